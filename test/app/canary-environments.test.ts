/**
 * A canary flow naming an environment it cannot run in is rejected with every other problem, at
 * once: the service, the path, the flow and the value.
 */
import { buildAllArtifacts } from "../../app";
import { PROFILE_INPUTS } from "../../environments";
import { SERVICES } from "../../services";
import type { ServiceSpecInput } from "../../signals/service-spec";
import { catalogFlow, checkoutFlow, searchFlow, shopService } from "../monitors/canary-fixtures";
import { synthError } from "../support/synth-error";

const cart = (canaries: readonly object[]) => ({ ...(shopService(canaries) as object), name: "cart" }) as unknown as ServiceSpecInput;

describe("canary environments", () => {
  it("rejects a writing flow naming prod (allowWrites false) and an unknown environment, in two services, with a timing problem, all at once", () => {
    const inputs = structuredClone(PROFILE_INPUTS) as any;
    inputs.dev.prometheus.scrapeInterval = "5m";
    const writingInProd = { ...checkoutFlow, environments: ["dev", "prod"] };
    const unknown = { ...catalogFlow, environments: ["dev", "qa"] };
    const error = synthError(inputs, [...SERVICES, shopService([searchFlow, writingInProd]), cart([unknown])]);
    const lines = error.problems;
    expect(lines).toContainEqual(
      'canaries[1].environments[1] names environment "prod", whose profile does not allow writing canaries (canaryRunner.allowWrites is false): a flow with writes: true cannot run there, got "prod" (service "shop", canary "checkout")',
    );
    expect(lines).toContainEqual(
      'canaries[0].environments[1] names environment "qa", which has no profile (environments: local, dev, staging, prod), got "qa" (service "cart", canary "catalog")',
    );
    expect(lines.some((l) => l.startsWith("prometheus.scrapeInterval must be at most") && l.endsWith('(environment "dev")'))).toBe(true);
    expect(lines).toHaveLength(3);
    expect(error.message).toMatch(/^invalid service spec "cart":\n/m);
    expect(error.message).toMatch(/^invalid service spec "shop":\n/m);
  });

  it("accepts a writing flow naming only environments that allow writes, and a flow naming none", () => {
    const writingInDev = { ...checkoutFlow, environments: ["dev", "staging"] };
    const environments = buildAllArtifacts(PROFILE_INPUTS, [...SERVICES, shopService([searchFlow, writingInDev])]);
    const flowsOf = (env: string) =>
      environments
        .find((e) => e.profile.name === env)!
        .canaryRunner.config.flows.filter((f) => f.service === "shop")
        .map((f) => f.canary);
    expect(flowsOf("dev")).toEqual(["checkout"]);
    expect(flowsOf("local")).toEqual([]);
    expect(flowsOf("prod")).toEqual([]);
  });
});
