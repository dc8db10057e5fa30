/**
 * Validates every environment's Helm values against the charts' own values.schema.json.
 *
 *   npx tsx scripts/validate-chart-values.ts <schema-dir>
 *
 * `<schema-dir>` holds `<chart>-<version>.values.schema.json` files (in CI: ../shared/chart-schemas).
 * A release whose pinned chart version has a schema there is validated with ajv; one without is
 * listed as such. Exit 1 on any violation, naming the environment, release, path and message.
 * Not part of `npm test`: a user's clone has no schema copies.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ErrorObject } from "ajv";
import Ajv2019 from "ajv/dist/2019";
import { buildAllArtifacts } from "../app";

/** Compiles a chart schema with the ajv dialect it is written in (`$defs` means 2019-09 or later). */
function compileSchema(schema: Record<string, unknown>) {
  const { $schema: _dialect, ...body } = schema;
  const usesDefs = "$defs" in body;
  const ajv = usesDefs ? new Ajv2019({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
  return ajv.compile(body);
}

/** One line per ajv error: `<instance path>: <message> (<params>)`. */
function describeErrors(errors: readonly ErrorObject[]): string[] {
  return errors.map((e) => `${e.instancePath || "(root)"}: ${e.message ?? "invalid"} ${JSON.stringify(e.params)}`);
}

function main(schemaDir: string | undefined): number {
  if (!schemaDir) {
    console.error("usage: tsx scripts/validate-chart-values.ts <schema-dir>");
    return 2;
  }
  const validators = new Map<string, ReturnType<typeof compileSchema>>();
  const validatorFor = (file: string) => {
    if (!validators.has(file)) validators.set(file, compileSchema(JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>));
    return validators.get(file)!;
  };
  let failures = 0;
  for (const env of buildAllArtifacts()) {
    for (const release of env.releases) {
      const pin = env.profile.charts[release.chartKey];
      const schemaFile = path.join(schemaDir, `${pin.chart}-${pin.version}.values.schema.json`);
      const label = `${env.profile.name}/${release.releaseName} (${pin.chart}@${pin.version})`;
      if (!fs.existsSync(schemaFile)) {
        console.log(`-    ${label}: the chart ships no values schema here`);
        continue;
      }
      const validate = validatorFor(schemaFile);
      // Validate the values as Helm sees them: after a YAML/JSON round trip (no undefined).
      if (validate(JSON.parse(JSON.stringify(release.values)))) {
        console.log(`ok   ${label}`);
      } else {
        failures += 1;
        console.log(`FAIL ${label}`);
        for (const line of describeErrors(validate.errors ?? [])) console.log(`       ${line}`);
      }
    }
  }
  console.log(failures === 0 ? "chart values: all schemas pass" : `chart values: ${failures} release(s) violate their chart's schema`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = main(process.argv[2]);
