import { isAlertingRule } from "../kit/rule-types";
import { resolveReceivers } from "../alertmanager/route-resolution";
import type { EnvironmentArtifacts } from "./environment-artifacts";
import { topologyProblems } from "./topology";

/** A datasource reference found somewhere in an environment's artifacts. */
export interface DatasourceReference {
  /** Where the reference was found, for the message. */
  readonly where: string;
  readonly uid: string;
}

/**
 * Every datasource reference in a JSON-like value, with the path it was found at: provisioning's
 * `datasourceUid: "<uid>"` and dashboards' `datasource: { uid: "<uid>" }`. Template variables
 * (`${datasource}`) are not references to check.
 */
export function datasourceReferences(value: unknown, where: string): DatasourceReference[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => datasourceReferences(v, `${where}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, v]): DatasourceReference[] => {
    const path = `${where}.${key}`;
    if (key === "datasourceUid" && typeof v === "string") return [{ where: path, uid: v }];
    if (key === "datasource" && v !== null && typeof v === "object" && typeof (v as { uid?: unknown }).uid === "string") {
      const uid = (v as { uid: string }).uid;
      return uid.startsWith("$") ? [] : [{ where: `${path}.uid`, uid }];
    }
    return datasourceReferences(v, path);
  });
}

/**
 * Invariants across objects that no single builder can see, checked at synth time (the content
 * stack registers them as a construct validation): every alert routes to a receiver that exists,
 * every service's team has receivers, every datasource a correlation or dashboard names is
 * provisioned, and the topology invariants (artifacts/topology/). Returns one message per broken invariant, naming the environment and the object.
 */
export function crossObjectProblems(artifacts: EnvironmentArtifacts): string[] {
  const env = artifacts.profile.name;
  const problems: string[] = [];
  const config = artifacts.alertmanagerConfig;
  const receivers = new Set(config.receivers.map((r) => r.name));

  for (const file of artifacts.ruleFiles) {
    for (const group of file.groups) {
      for (const rule of group.rules) {
        if (!isAlertingRule(rule)) continue;
        for (const receiver of resolveReceivers(config.route, { ...rule.labels, alertname: rule.alert })) {
          if (!receivers.has(receiver)) {
            problems.push(`${env}: alert ${rule.alert} in group ${group.name} routes to receiver "${receiver}", which does not exist`);
          }
        }
      }
    }
  }

  for (const service of artifacts.services) {
    if (!(service.team in artifacts.profile.alerting.teams)) {
      problems.push(`${env}: team "${service.team}" of service "${service.name}" has no receivers in alerting.teams`);
    }
  }

  const provisioned = new Set(artifacts.datasources.map((d) => d.uid));
  const references = [
    ...datasourceReferences(artifacts.datasources, "datasources"),
    ...artifacts.dashboards.flatMap((d) => datasourceReferences(d.model, `dashboard ${d.uid}`)),
  ];
  for (const ref of references) {
    if (!provisioned.has(ref.uid)) problems.push(`${env}: ${ref.where} names datasource "${ref.uid}", which is not provisioned`);
  }
  return [...problems, ...topologyProblems(artifacts)];
}
