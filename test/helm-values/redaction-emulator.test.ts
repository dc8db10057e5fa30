/**
 * The OTTL emulator the redaction tests rely on (test/support/ottl.ts), held to the behaviour of
 * the Go and OTTL functions it follows. Expected values are those of Go's documentation and of
 * the upstream functions' source, worked out by hand.
 */
import { compileRe2, replaceAllString, runStatements, unquoteOttlString, type OttlValue, type TelemetryItem } from "../support/ottl";

const logItem = (body: OttlValue): TelemetryItem => new Map<string, OttlValue>([["log.body", body]]);

describe("Go's regexp.ReplaceAllString", () => {
  it.each([
    ["T", "-T-T-"],
    ["$1", "--xx-"],
    // $1W names the group "1W", which does not exist: empty.
    ["$1W", "---"],
    ["${1}W", "-W-xxW-"],
    ["$$1", "-$1-$1-"],
    // A $ not followed by a name is kept.
    ["${1", "-${1-${1-"],
  ])("a(x*)b on -ab-axxb- with %s", (template, expected) => {
    expect(replaceAllString("a(x*)b", "-ab-axxb-", template)).toBe(expected);
  });

  it("does not replace an empty match right after a match, and advances past empty matches", () => {
    expect(replaceAllString("a*", "baaac", "X")).toBe("XbXcX");
  });

  it("sees the text before the search position: \\b and ^ after a match", () => {
    expect(replaceAllString(String.raw`\bx`, "xx x", "Y")).toBe("Yx Y");
    expect(replaceAllString("^a", "aaa", "b")).toBe("baa");
  });

  it("names groups as Go does: by name, and an unknown name is empty", () => {
    expect(replaceAllString("(?P<word>[a-z]+)=", "k=v", "[${word}] $nope")).toBe("[k] v");
  });
});

describe("RE2 syntax", () => {
  it.each(["a(?=b)", "(?<=a)b", String.raw`(a)\1`, "a++"])("rejects %s, which Go's regexp does not compile", (regex) => {
    expect(() => compileRe2(regex)).toThrow();
  });

  it("reads \\z as the end of text and (?i) case-insensitively", () => {
    expect(replaceAllString(String.raw`(?i)abc\z`, "ABC abc", "_")).toBe("ABC _");
  });
});

describe("OTTL string literals", () => {
  it("are unquoted with Go's escapes", () => {
    expect(unquoteOttlString(String.raw`"\x24{1} \"q\" \\d \u00e9 \101"`)).toBe('${1} "q" \\d é A');
  });

  it.each([String.raw`"\'"`, String.raw`"\q"`, String.raw`"\x2"`, '"a"b"'])("rejects %s", (literal) => {
    expect(() => unquoteOttlString(literal)).toThrow();
  });
});

describe("the emulated OTTL functions", () => {
  it("replace_all_patterns rewrites string values only, at the top level", () => {
    const attributes = new Map<string, OttlValue>([
      ["s", "a-a"],
      ["n", 5],
      ["list", ["a"]],
      ["nested", new Map([["s", "a"]])],
    ]);
    runStatements(new Map([["span.attributes", attributes]]), [`replace_all_patterns(span.attributes, "value", "a", "b")`]);
    expect([...attributes]).toEqual([
      ["s", "b-b"],
      ["n", 5],
      ["list", ["a"]],
      ["nested", new Map([["s", "a"]])],
    ]);
  });

  it("delete_matching_keys matches anywhere in a key unless anchored", () => {
    const attributes = new Map<string, OttlValue>([
      ["xtokx", 1],
      ["keep", 2],
    ]);
    runStatements(new Map([["span.attributes", attributes]]), [`delete_matching_keys(span.attributes, "tok")`]);
    expect([...attributes.keys()]).toEqual(["keep"]);
  });

  it("replace_pattern on a missing attribute or a non-string changes nothing", () => {
    const attributes = new Map<string, OttlValue>([["n", 5]]);
    const item = new Map([["span.attributes", attributes]]);
    runStatements(item, [`replace_pattern(span.attributes["missing"], "a", "b")`, `replace_pattern(span.attributes["n"], "5", "b")`]);
    expect([...attributes]).toEqual([["n", 5]]);
  });

  it("flatten moves nested maps and slices to the root, empty ones vanish, slices of slices as upstream keys them", () => {
    const body = new Map<string, OttlValue>([
      ["a", [["x", "y"]]],
      ["b", new Map([["c", []]])],
      ["d", new Map()],
      ["e", [new Map([["f", 1]]), "g"]],
    ]);
    const item = logItem(body);
    runStatements(item, ["flatten(log.body) where IsMap(log.body)"]);
    expect([...(item.get("log.body") as Map<string, OttlValue>)]).toEqual([
      ["a.00", "x"],
      ["a.01", "y"],
      ["e.0.f", 1],
      ["e.1", "g"],
    ]);
  });

  it("skips a statement whose condition is false", () => {
    const item = logItem("text");
    runStatements(item, ["flatten(log.body) where IsMap(log.body)"]);
    expect(item.get("log.body")).toBe("text");
  });

  it.each([
    ["an unknown function", `delete_key(log.attributes, "password")`, "text", /delete_key is not emulated/],
    ["an optional argument", `replace_pattern(log.body, "a", "b", SHA256)`, "text", /only paths and string literals/],
    ["a named argument", `flatten(log.body, depth=2)`, new Map(), /expected \), got =/],
    ["an unknown converter", `flatten(log.body) where IsList(log.body)`, new Map(), /IsList is not emulated/],
    ["`or`", `flatten(log.body) where IsMap(log.body) or IsString(log.body)`, new Map(), /unexpected or/],
    ["key mode", `replace_all_patterns(log.body, "key", "a", "b") where IsMap(log.body)`, new Map(), /mode "key" is not emulated/],
    ["a map function on a string", `flatten(log.body)`, "text", /expected a map/],
  ] as const)("throws on %s", (_what, statement, body, message) => {
    const item = new Map<string, OttlValue>([
      ["log.body", body],
      ["log.attributes", new Map()],
    ]);
    expect(() => runStatements(item, [statement])).toThrow(message);
  });
});
