// Folder layers of the product, enforced by `npm run lint:layers` (STYLE.md rule 4): dependencies
// point one way, from composition down to the pure model.
//
//   model/                                  domain types and their validation: npm packages only
//   kit/                                    shared libraries for signal kinds: model/
//   signals/<kind>/, signals/index.ts       one folder per kind of signal, one registry: model/, kit/
//   environments/                           environment profiles: model/
//   rules/ dashboards/ alertmanager/        renderers: model/, kit/, signals/, environments/, renderers
//   monitors/ helm-values/
//   artifacts/                              pure assembly of an environment's objects: all of the above
//   constructs/, stacks/                    the cdktf layer: artifacts/ and below; stacks/ over constructs/
//   app/                                    composition: anything but main.ts and the tooling
//   services/                               the service catalog: model/, signals/
//   demo-service/                           the simulated fleet: model/, kit/, signals/, environments/, renderers
//   main.ts                                 runs the app; imported by nobody
//   canary-runner/                          one plain file run in a stock Node image: node builtins only
//
// Paths are matched relative to the directory the cruise runs from, so the same rules apply to the
// repository and to the miniature trees under test/fixtures/layers (test/architecture/layers.test.ts).
// npm packages resolve to `node_modules/...`, or `../../node_modules/...` from a fixture: hence
// NPM below, which also tells the `constructs` package apart from the `constructs/` folder.
const path = require("node:path");

const NPM = "(^|/)node_modules/";
const RENDERERS = ["rules", "dashboards", "alertmanager", "monitors", "helm-values"];
const PURE = ["model", "kit", "signals", "environments", ...RENDERERS, "artifacts"];

/** `^(a|b)/`: a file in one of these top-level folders. */
const folders = (...names) => `^(${names.join("|")})/`;

/** A layer whose files may import only files in `allowed` folders, npm packages and node builtins. */
function mayImportOnly(name, layer, allowed, comment) {
  return {
    name,
    comment,
    severity: "error",
    from: { path: folders(...layer) },
    // Unresolvable imports are reported once, by not-to-unresolvable.
    to: { pathNot: [folders(...allowed), NPM], dependencyTypesNot: ["core"], couldNotResolve: false },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    mayImportOnly("model-imports-no-product", ["model"], ["model"], "model/ holds the domain types: it imports npm packages (zod), never the product."),
    mayImportOnly(
      "kit-imports-only-model",
      ["kit"],
      ["model", "kit"],
      "kit/ (PromQL helpers, rule constructors, promtool fixtures, panel house style) builds on model/ only.",
    ),
    mayImportOnly(
      "signals-import-only-model-kit",
      ["signals"],
      ["model", "kit", "signals"],
      "signals/<kind>/ and the registry import model/, kit/ and other signals only.",
    ),
    mayImportOnly("environments-import-only-model", ["environments"], ["model", "environments"], "environments/ (profiles) import model/ only."),
    mayImportOnly(
      "renderers-stay-below-artifacts",
      RENDERERS,
      ["model", "kit", "signals", "environments", ...RENDERERS],
      "The renderers (rules, dashboards, alertmanager, monitors, helm-values) turn model, signals and environments into plain objects; they never import artifacts/, the cdktf layer, app/, services/, main.ts, the tooling or test/.",
    ),
    mayImportOnly(
      "artifacts-stay-below-cdktf-layer",
      ["artifacts"],
      ["model", "kit", "signals", "environments", ...RENDERERS, "artifacts"],
      "artifacts/ assembles an environment's objects from the pure layers; it never imports constructs/, stacks/, app/, services/ or main.ts.",
    ),
    mayImportOnly(
      "constructs-stay-below-stacks",
      ["constructs"],
      ["model", "kit", "signals", "environments", ...RENDERERS, "artifacts", "constructs"],
      "constructs/ serializes artifacts and below; it never imports stacks/ (stacks use constructs, not the reverse), app/, services/ or main.ts.",
    ),
    mayImportOnly(
      "stacks-stay-below-app",
      ["stacks"],
      ["model", "kit", "signals", "environments", ...RENDERERS, "artifacts", "constructs", "stacks"],
      "stacks/ compose constructs over artifacts and below; they never import app/, services/ or main.ts.",
    ),
    mayImportOnly(
      "services-import-only-model-signals",
      ["services"],
      ["model", "signals", "services"],
      "services/ (the catalog) is data typed by model/ and signals/; it imports nothing else of the product.",
    ),
    mayImportOnly(
      "demo-service-imports-only-pure-layers",
      ["demo-service"],
      ["model", "kit", "signals", "environments", ...RENDERERS, "demo-service"],
      "demo-service/ simulates the fleet from the pure layers; it never imports app/, stacks/, constructs/, scripts/ or bench/.",
    ),
    {
      name: "canary-runner-imports-only-node-builtins",
      comment:
        "canary-runner/runner.mjs is mounted from a ConfigMap into a stock Node image and run as is: it imports node builtins only, never an npm package or the product.",
      severity: "error",
      from: { path: folders("canary-runner") },
      to: { dependencyTypesNot: ["core"] },
    },
    {
      name: "app-not-to-entry-or-tooling",
      comment: "app/ composes everything, but never imports main.ts, scripts/, bench/ or test/.",
      severity: "error",
      from: { path: folders("app") },
      to: { path: ["^main\\.ts$", folders("scripts", "bench", "test")] },
    },
    {
      name: "no-import-of-main",
      comment: "main.ts runs the app and is imported by nobody.",
      severity: "error",
      from: {},
      to: { path: "^main\\.ts$" },
    },
    {
      name: "not-to-test",
      comment: "Only test/ imports test/ (its helpers, fixtures and contexts).",
      severity: "error",
      from: { pathNot: folders("test") },
      to: { path: folders("test") },
    },
    {
      name: "no-cdktf-in-pure-layers",
      comment:
        "model/, kit/, signals/, environments/, the renderers and artifacts/ are pure: no cdktf, constructs (the npm package, not the constructs/ folder) or @cdktf/* import.",
      severity: "error",
      from: { path: folders(...PURE) },
      to: { path: `${NPM}(cdktf|constructs|@cdktf/[^/]+)/` },
    },
    {
      name: "no-circular",
      comment: "No cycle between files: a cycle makes the import order (and the layers) ambiguous.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      comment: "Every import resolves (a missing file or an undeclared package).",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: NPM },
    // Generated or produced by a run; the layer fixtures break the layers on purpose.
    exclude: { path: ["^(generated|cdktf\\.out|coverage|\\.gen|bench/results)/", "^test/fixtures/layers/"] },
    // Type-only imports count: a type from a higher layer is a dependency on it all the same.
    tsPreCompilationDeps: true,
    // Absolute, so a cruise from a fixture directory resolves with the project's compiler options
    // (its `paths` for @grafana/grafana-foundation-sdk/*).
    tsConfig: { fileName: path.join(__dirname, "tsconfig.json") },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};
