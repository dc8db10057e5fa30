import {
  budgetSpent,
  burnThreshold,
  daysToExhaustion,
  DEFAULT_BURN_RATE_ALERTS,
  detectionBoundSeconds,
  errorBudget,
  resolveBoundSeconds,
  SLO_WINDOW_SOURCES,
  SLO_WINDOWS,
} from "../../signals/slo/burn-rate";
import { durationSeconds } from "../../model/duration";

describe("burn-rate alerting", () => {
  it("records the contract's windows", () => {
    expect(SLO_WINDOWS).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
  });

  it("pages on 14.4x 1h/5m and 6x 6h/30m, tickets on 3x 1d/2h and 1x 3d/6h", () => {
    expect(DEFAULT_BURN_RATE_ALERTS).toEqual([
      { severity: "critical", factor: 14.4, longWindow: "1h", shortWindow: "5m" },
      { severity: "critical", factor: 6, longWindow: "6h", shortWindow: "30m" },
      { severity: "warning", factor: 3, longWindow: "1d", shortWindow: "2h" },
      { severity: "warning", factor: 1, longWindow: "3d", shortWindow: "6h" },
    ]);
  });

  it("spends 2%, 5%, 10% and 10% of a 30-day budget before each condition fires", () => {
    expect(DEFAULT_BURN_RATE_ALERTS.map((a) => Number(budgetSpent(a, 30).toFixed(4)))).toEqual([0.02, 0.05, 0.1, 0.1]);
  });

  it("derives thresholds from the objective without float noise", () => {
    expect(errorBudget(0.999)).toBe(0.001);
    expect(DEFAULT_BURN_RATE_ALERTS.map((a) => burnThreshold(a.factor, 0.999))).toEqual([0.0144, 0.006, 0.003, 0.001]);
    expect(DEFAULT_BURN_RATE_ALERTS.map((a) => burnThreshold(a.factor, 0.95))).toEqual([0.72, 0.3, 0.15, 0.05]);
    expect(daysToExhaustion(14.4, 30)).toBeCloseTo(2.083, 3);
  });

  it("bounds detection of a full outage and resolution after it", () => {
    const [page1h, page6h] = DEFAULT_BURN_RATE_ALERTS;
    // 0.0144 x 3600 s + 1m scrape + 1m evaluation: no window adds a lag of its own.
    expect(detectionBoundSeconds(page1h!, 0.999)).toBeCloseTo(51.84 + 120, 6);
    expect(detectionBoundSeconds(page6h!, 0.999)).toBeCloseTo(129.6 + 120, 6);
    // Half the requests failing takes twice as long to fill the long window.
    expect(detectionBoundSeconds(page1h!, 0.999, 0.5)).toBeCloseTo(103.68 + 120, 6);
    // An outage milder than the threshold never fires that condition.
    expect(detectionBoundSeconds(page1h!, 0.999, 0.01)).toBe(Number.POSITIVE_INFINITY);
    expect(resolveBoundSeconds(page1h!)).toBe(300 + 120);
    expect(resolveBoundSeconds(page6h!)).toBe(1800 + 120);
    // At the prod profile's 30s scrape and evaluation the fast page's bound is under 2 minutes.
    expect(detectionBoundSeconds(page1h!, 0.999, 1, { scrapeIntervalSeconds: 30, evaluationIntervalSeconds: 30 })).toBeCloseTo(111.84, 6);
  });
});

describe("window sources", () => {
  it("reads the raw counters over 5m and over the fast page's long window (1h) only", () => {
    expect(SLO_WINDOWS.filter((w) => SLO_WINDOW_SOURCES[w].from === "sli")).toEqual(["5m", "1h"]);
  });

  it.each(SLO_WINDOWS.filter((w) => SLO_WINDOW_SOURCES[w].from === "tiles"))("builds %s from back-to-back tiles of an earlier, shorter window", (window) => {
    const source = SLO_WINDOW_SOURCES[window];
    if (source.from !== "tiles") throw new Error("unreachable");
    // The tiles cover exactly the window: a count off by one would widen or narrow it.
    expect(durationSeconds(source.tile) * source.count).toBe(durationSeconds(window));
    // The tile is recorded before the window that reads it.
    expect(SLO_WINDOWS.indexOf(source.tile)).toBeLessThan(SLO_WINDOWS.indexOf(window));
  });
});
