import type { Team } from "../../model/teams";
import { App, Testing } from "cdktf";
import { crossObjectProblems, datasourceReferences } from "../../artifacts/cross-object-invariants";
import type { EnvironmentArtifacts } from "../../artifacts/environment-artifacts";
import { addEnvironmentStacks, buildAllArtifacts } from "../../app";

const artifacts = buildAllArtifacts();
const prod = artifacts.find((a) => a.profile.name === "prod")!;

/** prod with its Alertmanager route tree sending every ticket to a receiver that does not exist. */
function withDanglingTicketReceiver(a: EnvironmentArtifacts): EnvironmentArtifacts {
  const config = a.alertmanagerConfig;
  return {
    ...a,
    alertmanagerConfig: {
      ...config,
      receivers: config.receivers.filter((r) => r.name !== "social-ticket"),
    },
  };
}

describe("cross-object invariants", () => {
  it.each(artifacts.map((a) => [a.profile.name, a] as const))("%s: hold for the shipped profiles and catalog", (_env, a) => {
    expect(crossObjectProblems(a)).toEqual([]);
  });

  it("fails when an alert routes to a receiver that does not exist, naming the alert and receiver", () => {
    const problems = crossObjectProblems(withDanglingTicketReceiver(prod));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems).toContainEqual(
      expect.stringMatching(/^prod: alert ServiceHighErrorRate in group divan-api\.\S+ routes to receiver "social-ticket", which does not exist$/),
    );
    // Only the social team's warnings are affected.
    for (const p of problems) expect(p).toMatch(/"social-ticket"/);
  });

  it("fails when a service's team has no receivers", () => {
    // The spec schema only accepts declared teams; the synth-time check still guards artifacts built otherwise.
    const orphan = { ...prod, services: [...prod.services, { ...prod.services[0]!, name: "orphan", team: "nobody" as Team }] };
    expect(crossObjectProblems(orphan)).toEqual(['prod: team "nobody" of service "orphan" has no receivers in alerting.teams']);
  });

  it("fails when a correlation names a datasource that is not provisioned", () => {
    const withoutTempo = { ...prod, datasources: prod.datasources.filter((d) => d.uid !== "tempo") };
    const problems = crossObjectProblems(withoutTempo);
    expect(problems).toContain('prod: datasources[0].jsonData.exemplarTraceIdDestinations[0].datasourceUid names datasource "tempo", which is not provisioned');
    expect(problems.every((p) => p.includes('"tempo"'))).toBe(true);
  });

  it("finds dashboard-style references and skips template variables", () => {
    const panel = { targets: [{ datasource: { type: "prometheus", uid: "prometheus" } }, { datasource: { uid: "${datasource}" } }] };
    expect(datasourceReferences(panel, "panel")).toEqual([{ where: "panel.targets[0].datasource.uid", uid: "prometheus" }]);
  });

  it("stops synth: the content stack registers the invariants as a construct validation", () => {
    const broken = artifacts.map((a) => (a.profile.name === "prod" ? withDanglingTicketReceiver(a) : a));
    const app: App = addEnvironmentStacks(Testing.app(), broken);
    expect(() => app.synth()).toThrow(/routes to receiver "social-ticket", which does not exist/);
  });
});
