/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  testTimeout: 60000,
  // Two workers even on two cores (jest's default is cores - 1): the e2e and promtool files spend
  // most of their time waiting on Prometheus, Alertmanager and promtool, so the rest runs beside them.
  maxWorkers: 2,
};
