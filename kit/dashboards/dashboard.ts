import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { DashboardBuilder, DashboardCursorSync, DashboardLinkBuilder, DashboardLinkType } from "@grafana/grafana-foundation-sdk/dashboard";
import { layoutRows, type PanelRow } from "./layout";
import { querySyntaxProblems } from "./query-syntax";
import { dashboardKeyProblem, dashboardUid } from "./uid";

/** Tag every generated dashboard carries; service dashboards add {@link SERVICE_DASHBOARD_TAG}. */
export const GENERATED_TAG = "observability-stack";
/** Tag of per-service dashboards: their "Services" dropdown switches between them. */
export const SERVICE_DASHBOARD_TAG = "service";
/** Folder of dashboards no single team owns. */
export const PLATFORM_FOLDER = "platform";

/** One generated dashboard: its key and uid, the folder (team) it belongs in, and its JSON model. */
export interface DashboardArtifact {
  /** The stable key the uid and the Terraform construct ids derive from. */
  readonly key: string;
  /** `obs-<key>` (see {@link dashboardUid}). */
  readonly uid: string;
  readonly title: string;
  /** Team that owns it, or {@link PLATFORM_FOLDER}. */
  readonly folder: string;
  /** Grafana's dashboard model; nothing in it that Grafana rewrites on save (no `id`, no `version`). */
  readonly model: Readonly<Record<string, unknown>>;
}

/** What a dashboard is made of. */
export interface DashboardDefinition {
  /**
   * Stable identity, kebab-case (`platform-overview`, `service-<name>`): the uid is `obs-<key>` and
   * the Terraform construct ids derive from it, so the title can change without replacing the
   * dashboard in Grafana. Changing the key replaces it.
   */
  readonly key: string;
  readonly title: string;
  readonly description: string;
  readonly folder: string;
  /** @default [] */
  readonly tags?: readonly string[];
  /** @default [] */
  readonly variables?: readonly dashboard.VariableModel[];
  readonly rows: readonly PanelRow[];
}

/** Keys Grafana rewrites on save; leaving them in would make every plan show a diff. */
const SERVER_OWNED_KEYS = ["id", "version"] as const;

/**
 * Assembles a dashboard: uid derived from the key (an invalid key throws, naming the dashboard),
 * house settings (UTC, 1m refresh, shared crosshair, read-only: dashboards are changed in code), a
 * dropdown to the per-service dashboards, panels laid out on the grid, every query parsed (a
 * malformed one throws, naming the panel). The model is plain JSON with server-owned keys removed.
 */
export function assembleDashboard(definition: DashboardDefinition): DashboardArtifact {
  const keyProblem = dashboardKeyProblem(definition.key);
  if (keyProblem !== undefined) throw new Error(`${keyProblem} (dashboard "${definition.title}")`);
  const uid = dashboardUid(definition.key);
  const panels = layoutRows(definition.rows);
  const problems = querySyntaxProblems(panels);
  if (problems.length > 0) throw new Error(`dashboard "${definition.title}" has malformed queries:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  const builder = new DashboardBuilder(definition.title)
    .uid(uid)
    .description(definition.description)
    .tags([GENERATED_TAG, ...(definition.tags ?? [])])
    .timezone("utc")
    .refresh("1m")
    .time({ from: "now-6h", to: "now" })
    .tooltip(DashboardCursorSync.Crosshair)
    .readonly()
    .link(
      new DashboardLinkBuilder("Services").type(DashboardLinkType.Dashboards).tags([SERVICE_DASHBOARD_TAG]).asDropdown(true).keepTime(true).includeVars(false),
    );
  for (const variable of definition.variables ?? []) builder.withVariable({ build: () => variable });
  const model = JSON.parse(JSON.stringify({ ...builder.build(), panels })) as Record<string, unknown>;
  for (const key of SERVER_OWNED_KEYS) delete model[key];
  return { key: definition.key, uid, title: definition.title, folder: definition.folder, model };
}
