/**
 * A synth in its own process, for interrupted-synth.test.ts to kill:
 *
 *   OBS_SYNTH_TEST_KILL_AT=<point> tsx test/artifacts/synth-child.ts <parent> <service>...
 *
 * The point (test-only, see app/atomic-tree.ts) makes the process SIGKILL itself there.
 */
import { synthInto } from "./synth-fixtures";

const [parent, ...services] = process.argv.slice(2);
if (parent === undefined || services.length === 0) throw new Error("usage: synth-child.ts <parent> <service>...");
synthInto(parent, services);
