/** The few Prometheus and Alertmanager API calls the preview and the e2e test make. */

/** An alert as Prometheus' `/api/v1/alerts` lists it. */
export interface PrometheusAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly state: "pending" | "firing";
  readonly activeAt: string;
  readonly value: string;
}

/** A scrape target as `/api/v1/targets` lists it. */
export interface PrometheusTarget {
  readonly labels: Readonly<Record<string, string>>;
  readonly scrapeUrl: string;
  readonly health: "up" | "down" | "unknown";
  readonly lastError: string;
}

/** An alert as Alertmanager's `/api/v2/alerts` lists it. */
export interface AlertmanagerAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly fingerprint: string;
  readonly receivers: readonly { readonly name: string }[];
  readonly status: { readonly state: "active" | "suppressed" | "unprocessed"; readonly inhibitedBy: readonly string[]; readonly silencedBy: readonly string[] };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Pending and firing alerts of Prometheus. */
export async function prometheusAlerts(prometheusUrl: string): Promise<PrometheusAlert[]> {
  return (await getJson<{ data: { alerts: PrometheusAlert[] } }>(`${prometheusUrl}/api/v1/alerts`)).data.alerts;
}

/** Active scrape targets of Prometheus. */
export async function prometheusTargets(prometheusUrl: string): Promise<PrometheusTarget[]> {
  return (await getJson<{ data: { activeTargets: PrometheusTarget[] } }>(`${prometheusUrl}/api/v1/targets`)).data.activeTargets;
}

/** Names of the rule groups Prometheus has loaded. */
export async function prometheusRuleGroups(prometheusUrl: string): Promise<string[]> {
  return (await getJson<{ data: { groups: { name: string }[] } }>(`${prometheusUrl}/api/v1/rules`)).data.groups.map((g) => g.name);
}

/** Asks Prometheus (started with `--web.enable-lifecycle`) to reload its configuration and rule files. */
export async function reloadPrometheus(prometheusUrl: string): Promise<void> {
  const response = await fetch(`${prometheusUrl}/-/reload`, { method: "POST", signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`POST ${prometheusUrl}/-/reload: ${response.status} ${await response.text()}`);
}

/** An instant query's vector: each series' labels and value. */
export async function prometheusQuery(prometheusUrl: string, expr: string): Promise<{ labels: Record<string, string>; value: number }[]> {
  const body = await getJson<{ data: { result: { metric: Record<string, string>; value: [number, string] }[] } }>(
    `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`,
  );
  return body.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}

/** How many series match `selector` between `startSeconds` and now (`/api/v1/series`). */
export async function prometheusSeriesCount(prometheusUrl: string, selector: string, startSeconds: number): Promise<number> {
  const query = `match[]=${encodeURIComponent(selector)}&start=${startSeconds}`;
  return (await getJson<{ data: unknown[] }>(`${prometheusUrl}/api/v1/series?${query}`)).data.length;
}

/** Alerts Alertmanager holds, active, silenced and inhibited alike (`status` says which). */
export async function alertmanagerAlerts(alertmanagerUrl: string): Promise<AlertmanagerAlert[]> {
  return getJson<AlertmanagerAlert[]>(`${alertmanagerUrl}/api/v2/alerts`);
}

/** Polls `probe` every `intervalMs` until it returns a value other than undefined; throws after `timeoutMs`. */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)})` : ""}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
