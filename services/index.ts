/**
 * The service catalog: one file per service, each a single `defineService(...)` value, listed
 * below. Adding a service is its file plus one line in SERVICES (a test fails for a file of
 * services/ that is not listed); every environment gets its scrape and probe objects, rules and
 * tests, dashboard and routing. Teams that do not write TypeScript add an OpenSLO v1 file to
 * services/openslo/ instead: its services join the catalog, after the TypeScript ones.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ServiceSpec, ServiceSpecInput } from "../signals/service-spec";
import { buildCatalog } from "../signals/catalog";
import { importOpenSlo } from "../signals/slo/openslo-import";
import { ValidationError } from "../model/validation-error";
import { aiCoach } from "./ai-coach";
import { coreApi } from "./core-api";
import { divanApi } from "./divan-api";
import { edge } from "./edge";
import { feed } from "./feed";
import { machinemateApi } from "./machinemate-api";
import { media } from "./media";
import { mobileReleaseHealth } from "./mobile-release-health";
import { notifications } from "./notifications";
import { workers } from "./workers";

/** The services written in TypeScript, one file each. */
export const TYPESCRIPT_SERVICES: readonly ServiceSpecInput[] = [
  aiCoach,
  coreApi,
  divanApi,
  edge,
  feed,
  machinemateApi,
  media,
  mobileReleaseHealth,
  notifications,
  workers,
];

/** The folder of OpenSLO files (`*.yaml`, `*.yml`), each one or more services. */
export const OPENSLO_DIR = path.join(__dirname, "openslo");

/** The OpenSLO files of {@link OPENSLO_DIR}, sorted by file name (so the catalog's order never depends on the file system's). */
export function openSloFiles(dir: string = OPENSLO_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * The services of every OpenSLO file of `dir`, file by file; throws one validation error naming
 * every problem of every file (synth reports it as it reports a TypeScript service's).
 */
export function loadOpenSloServices(dir: string = OPENSLO_DIR): ServiceSpecInput[] {
  // Files of the repository by their path from its root (services/openslo/x.yaml), others as given.
  const root = path.resolve(__dirname, "..");
  const named = (file: string) => (file.startsWith(`${root}${path.sep}`) ? path.relative(root, file) : file);
  return ValidationError.collect(openSloFiles(dir), (file) => importOpenSlo(named(file), fs.readFileSync(file, "utf8"))).flat();
}

/** Every service of the catalog, as written: the TypeScript ones, then those of services/openslo/. */
export const SERVICES: readonly ServiceSpecInput[] = [...TYPESCRIPT_SERVICES, ...loadOpenSloServices()];

let validated: readonly ServiceSpec[] | undefined;

/**
 * Every service's validated spec, sorted by name; names unique, downstream services present.
 * Validated on first use (synth catches its error and reports every problem, without a stack).
 */
export function serviceCatalog(): readonly ServiceSpec[] {
  validated ??= buildCatalog(SERVICES);
  return validated;
}
