import { readVectorSelector } from "../../kit/promql-selector";

describe("readVectorSelector", () => {
  it("reads a metric and its matchers in source order, with every operator and quoting", () => {
    expect(readVectorSelector(`sync_runs_total{status="failed", job!='a', "le"=~"1|1\\\\.0", code!~\`5..\`}`)).toEqual({
      selector: {
        metric: "sync_runs_total",
        matchers: [
          { label: "status", op: "=", value: "failed" },
          { label: "job", op: "!=", value: "a" },
          { label: "le", op: "=~", value: "1|1\\.0" },
          { label: "code", op: "!~", value: "5.." },
        ],
      },
    });
    expect(readVectorSelector(" up ")).toEqual({ selector: { metric: "up", matchers: [] } });
    expect(readVectorSelector('x{a="say \\"hi\\"\\n"}')).toEqual({ selector: { metric: "x", matchers: [{ label: "a", op: "=", value: 'say "hi"\n' }] } });
  });

  it.each([
    ["rate(x[5m])", "is no plain selector: it is a function call"],
    ["sum(x)", "is no plain selector: it is an aggregation"],
    ["x[5m]", "is no plain selector: it is a range selector"],
    ["x[1h:5m]", "is no plain selector: it is a subquery"],
    ["x offset 5m", "is no plain selector: it is a selector with an offset"],
    ["x @ 1700000000", "is no plain selector: it is a selector with an @ modifier"],
    ["x / y", "is no plain selector: it is a binary expression"],
    ["(x)", "is no plain selector: it is an expression in parentheses"],
    ["-x", "is no plain selector: it is a unary expression"],
    ["1", "is no plain selector: it is a literal"],
    ['{__name__="x"}', "is no plain selector: it names no metric before its matchers"],
    ["", "is empty"],
    ["x y", 'is not valid PromQL (at offset 2 near "x y")'],
    ['x{a="\\x41"}', 'cannot read the matcher a="\\x41"'],
  ])("refuses %j: %s", (expr, problem) => {
    expect(readVectorSelector(expr)).toEqual({ problem });
  });
});
