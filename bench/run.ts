/**
 * `npm run bench`: synth scaling, rule-evaluation cost and alert detection time.
 *
 *   npm run bench                                 # all three parts, full sizes
 *   npm run bench -- --smoke                      # tiny sizes (what .ci/run runs), results *.smoke.json
 *   npm run bench -- --parts synth,rules          # some parts only
 *   npm run bench -- --sizes 10,100,1000          # synth sizes
 *   npm run bench -- --rules-services 10          # services in the rule-evaluation part
 *   npm run bench -- --synth-three-only           # skip timing synthesize() over all four profiles
 *
 * Each part prints a markdown table and writes bench/results/<part>.json (<part>.smoke.json for
 * --smoke). Timings are measured side by side in one run; never compare them across machines.
 */
import { runDetection } from "./detection";
import { cleanup, installSignalHandlers } from "./processes";
import { runRuleEvaluation } from "./rule-evaluation";
import { runSynthScaling } from "./synth-scaling";

const PARTS = ["synth", "rules", "detection"] as const;
type Part = (typeof PARTS)[number];

interface Args {
  readonly parts: readonly Part[];
  readonly smoke: boolean;
  readonly sizes: readonly number[];
  readonly rulesServices: number;
  readonly synthThreeOnly: boolean;
}

function positiveIntegers(text: string, flag: string): number[] {
  const values = text.split(",").map((v) => Number(v.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(`${flag} must be positive integers separated by commas, got "${text}"`);
  return values;
}

export function parseArgs(argv: readonly string[]): Args {
  let parts: Part[] = [...PARTS];
  let smoke = false;
  let sizes: number[] | undefined;
  let rulesServices: number | undefined;
  let synthThreeOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--smoke":
        smoke = true;
        break;
      case "--parts": {
        const list = value()
          .split(",")
          .map((p) => p.trim());
        const unknown = list.filter((p) => !(PARTS as readonly string[]).includes(p));
        if (unknown.length > 0) throw new Error(`--parts must be some of ${PARTS.join(",")}, got ${unknown.join(",")}`);
        parts = list as Part[];
        break;
      }
      case "--sizes":
        sizes = positiveIntegers(value(), "--sizes");
        break;
      case "--rules-services":
        rulesServices = positiveIntegers(value(), "--rules-services")[0];
        break;
      case "--synth-three-only":
        synthThreeOnly = true;
        break;
      case "--help":
      case "-h":
        console.log("usage: npm run bench -- [--smoke] [--parts synth,rules,detection] [--sizes 10,100,1000] [--rules-services 10] [--synth-three-only]");
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${arg} (try --help)`);
    }
  }
  return {
    parts,
    smoke,
    sizes: sizes ?? (smoke ? [2, 5] : [10, 100, 1000]),
    rulesServices: rulesServices ?? (smoke ? 2 : 10),
    // synthesize() over all four profiles too, except in smoke runs.
    synthThreeOnly: synthThreeOnly || smoke,
  };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  installSignalHandlers();
  const started = Date.now();
  console.log(`# Benchmarks${args.smoke ? " (smoke)" : ""}: ${args.parts.join(", ")}; ${new Date().toISOString()}`);
  try {
    for (const part of args.parts) {
      if (part === "synth") await runSynthScaling({ sizes: args.sizes, smoke: args.smoke, includeAllProfiles: !args.synthThreeOnly });
      if (part === "rules") await runRuleEvaluation({ services: args.rulesServices, smoke: args.smoke });
      if (part === "detection") await runDetection({ smoke: args.smoke });
    }
    console.log(`\nbench done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    console.error(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    await cleanup();
  }
}

void main().then((code) => {
  process.exitCode = code;
});
