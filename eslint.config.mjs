// @ts-check
// ESLint 9 flat config: typescript-eslint's type-checked rules over the project's tsconfig.json,
// and eslint-plugin-jest on test/. Formatting is Prettier's job (npm run lint:format), folder
// layers dependency-cruiser's (npm run lint:layers).
import js from "@eslint/js";
import jest from "eslint-plugin-jest";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    // Generated or produced by a run, never edited by hand; the layer fixtures break the layers on purpose.
    ignores: ["generated/", "cdktf.out/", "bench/results/", ".gen/", "coverage/", ".synth-tmp-*/", "test/fixtures/layers/"],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // The tsconfig.json nearest each file: the project's own, with its `paths` for the grafana SDK.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      // The code marks indexed and destructured reads with `!` as under noUncheckedIndexedAccess
      // (`buckets[0]!`); without that flag the rule calls ~140 of those marks unnecessary and would
      // have them removed, the wrong way if the flag is turned on.
      "@typescript-eslint/no-unnecessary-type-assertion": "off",
      // tsc's noUnusedLocals/noUnusedParameters convention: a leading underscore marks "unused on purpose".
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["test/**/*.ts"],
    ...jest.configs["flat/recommended"],
    rules: {
      ...jest.configs["flat/recommended"].rules,
      // Tests that assert through a helper (`expectContract(...)` in test/e2e) count as asserting;
      // `assert*` for node:assert and helpers named that way.
      "jest/expect-expect": ["error", { assertFunctionNames: ["expect", "expect*", "assert*"] }],
      "jest/no-disabled-tests": "error",
      "jest/no-focused-tests": "error",
      // Tests read synthesized stacks, Helm values and rule files back through JSON.parse/YAML.parse
      // and walk them as `any`; typing every chart's values for that would be a schema per test.
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // Expected messages are matched verbatim, indentation included (`/:\n  - namespace: .../`).
      "no-regex-spaces": "off",
    },
  },
  {
    // Config files (jest.config.js, this file, .dependency-cruiser.cjs) are outside tsconfig.json.
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
