/** What dashboard builders need to know of the environment. */
export interface DashboardContext {
  /** Base URL runbooks are published under (the profile's `runbookBaseUrl`). */
  readonly runbookBaseUrl: string;
}
