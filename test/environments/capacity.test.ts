import { capacityProblems, memcachedMemoryRequestMi, requestedCapacity, totalRequested } from "../../environments/capacity";
import { loadProfiles } from "../../environments";
import { cpuToMillicores, memoryToMebibytes } from "../../environments/quantities";

describe("cluster capacity", () => {
  it("parses CPU and memory quantities", () => {
    expect([cpuToMillicores("250m"), cpuToMillicores("2"), cpuToMillicores("1.5")]).toEqual([250, 2000, 1500]);
    expect([memoryToMebibytes("512Mi"), memoryToMebibytes("2Gi"), memoryToMebibytes("1024Ki")]).toEqual([512, 2048, 1]);
  });

  it.each(loadProfiles().map((p) => [p.name, p] as const))("%s: the requests fit the declared capacity", (_name, profile) => {
    expect(capacityProblems(profile)).toEqual([]);
    const total = totalRequested(profile);
    expect(total.cpuMillicores).toBeLessThanOrEqual(cpuToMillicores(profile.clusterCapacity.cpu));
    expect(total.memoryMi).toBeLessThanOrEqual(memoryToMebibytes(profile.clusterCapacity.memory));
  });

  it("counts Loki's memcached caches, the usual cause of Pending pods", () => {
    const prod = loadProfiles(["prod"])[0]!;
    const chunks = requestedCapacity(prod).find((r) => r.workload === "loki-chunks-cache");
    expect(chunks).toEqual({
      workload: "loki-chunks-cache",
      pods: 2,
      cpuMillicores: 200,
      memoryMi: 2 * memcachedMemoryRequestMi(2048),
    });
    expect(memcachedMemoryRequestMi(2048)).toBe(2458);
  });

  it("counts every Mimir component, its gateway and the rollout-operator where zone-aware", () => {
    const [staging, prod] = loadProfiles(["staging", "prod"]);
    const mimirRows = (profile: typeof prod) => requestedCapacity(profile!).filter((r) => r.workload.startsWith("mimir-"));
    const components = ["distributor", "ingester", "querier", "queryFrontend", "queryScheduler", "storeGateway", "compactor", "gateway", "ruler"];
    expect(mimirRows(staging).map((r) => r.workload)).toEqual(components.map((c) => `mimir-${c}`));
    expect(mimirRows(prod).map((r) => r.workload)).toEqual([...components.map((c) => `mimir-${c}`), "mimir-rollout-operator"]);
    // prod: 3 ingesters at 4Gi each.
    expect(mimirRows(prod).find((r) => r.workload === "mimir-ingester")).toEqual({
      workload: "mimir-ingester",
      pods: 3,
      cpuMillicores: 1500,
      memoryMi: 3 * 4096,
    });
    expect(mimirRows(prod).find((r) => r.workload === "mimir-rollout-operator")).toMatchObject({ pods: 1, cpuMillicores: 100, memoryMi: 100 });
    // prod: 2 rulers at 100m and 256Mi each.
    expect(mimirRows(prod).find((r) => r.workload === "mimir-ruler")).toEqual({ workload: "mimir-ruler", pods: 2, cpuMillicores: 200, memoryMi: 512 });
    expect(requestedCapacity(loadProfiles(["dev"])[0]!).filter((r) => r.workload.startsWith("mimir-"))).toEqual([]);
  });

  it("counts node-exporter once per node", () => {
    const prod = loadProfiles(["prod"])[0]!;
    expect(requestedCapacity(prod).find((r) => r.workload === "node-exporter")?.pods).toBe(prod.clusterCapacity.nodes);
  });
});
