/**
 * The AI probe's fixture (spec 002: "indicators on a fixture, compare hash of outputs"): ten daily
 * closes and the indicators ai-coach must compute from them, written out by hand. The flow asserts
 * the SHA-256 of the response's canonical JSON; a test checks that hash is this output's.
 *
 * Indicators: `sma3`, the 3-close simple moving average; `change`, close-to-close differences; both
 * rounded to 2 decimals; `high` and `low` of the closes.
 */
import type { JsonValue } from "../../signals/canary/spec";

/** The body of the AI probe's `POST /v1/indicators`. */
export const INDICATORS_INPUT = {
  symbol: "CANARY",
  interval: "1d",
  closes: [100, 102, 101, 105, 107, 106, 110, 108, 111, 115],
} satisfies JsonValue;

/** What ai-coach answers for {@link INDICATORS_INPUT}, as `indicators`. */
export const INDICATORS_OUTPUT = {
  sma3: [101, 102.67, 104.33, 106, 107.67, 108, 109.67, 111.33],
  change: [2, -1, 4, 2, -1, 4, -2, 3, 4],
  high: 115,
  low: 100,
} satisfies JsonValue;
