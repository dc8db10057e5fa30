/**
 * The import probe's mock broker (spec 002): an account whose broker returns 50 trades over 30
 * days. The flow posts it as the import's source, so the import reads these trades instead of
 * calling a real broker; the same account is imported each run, replacing the previous import.
 */
import type { JsonValue } from "../../signals/canary/spec";

/** How many trades the mock broker returns (spec 002: 50). */
export const MOCK_BROKER_TRADE_COUNT = 50;

/** The symbols the trades cycle through. */
const SYMBOLS = ["AAPL", "MSFT", "NVDA", "TSLA", "AMZN"] as const;

/** Trade `i` (0-based): one trade a day or so from 2026-01-01, buys and sells alternating. */
function mockTrade(i: number): { [key: string]: JsonValue } {
  const day = String(1 + Math.floor((i * 30) / MOCK_BROKER_TRADE_COUNT)).padStart(2, "0");
  return {
    id: `mock-trade-${String(i + 1).padStart(2, "0")}`,
    symbol: SYMBOLS[i % SYMBOLS.length]!,
    side: i % 2 === 0 ? "buy" : "sell",
    quantity: 1 + (i % 7),
    price: 100 + i,
    executedAt: `2026-01-${day}T14:30:00Z`,
  };
}

/** The body of the import probe's `POST /api/v1/imports`: the mock broker and its trades. */
export const MOCK_BROKER_IMPORT = {
  broker: "mock",
  accountId: "canary-mock-account",
  trades: Array.from({ length: MOCK_BROKER_TRADE_COUNT }, (_, i) => mockTrade(i)),
} satisfies JsonValue;
