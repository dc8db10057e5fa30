/**
 * The demo service: any ServiceSpec of the catalog as a live Prometheus target with a steady
 * simulated workload (each kind of signal simulates its own metrics) and fault injection over
 * HTTP. Used by `npm run preview` and the end-to-end alert pipeline test; `npx tsx
 * demo-service/main.ts` runs it alone.
 */
export { applyFaultPatch, dependencyNames, FaultPatchError, NO_FAULTS, parseFaultPatch, type FaultPatch, type Faults } from "./faults";
export { startDemoFleet, type DemoFleet, type DemoFleetOptions, type RealDependencyState, type ScrapeTarget } from "./fleet";
export { LOOPBACK } from "./http";
export { startDemoService, type DemoService, type DemoServiceOptions } from "./service";
export { DEFAULT_WORKLOAD, WorkloadSimulator, type WorkloadOptions } from "./simulation";
