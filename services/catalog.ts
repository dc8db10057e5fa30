import { ServiceCatalog } from "../constructs/service-catalog";

/** The catalog every file of services/ adds its one ServiceObservability to. */
export const catalog = new ServiceCatalog();
