/**
 * A small emulator of the OTTL subset the redaction statements use, to evaluate the generated
 * statements on sample telemetry with an RE2 engine (re2js, a port of RE2/J, itself derived from
 * Go's regexp) instead of JavaScript's regexes, which differ (lookaround, `\z`, `\b`, `$1`).
 *
 * It follows collector-contrib's `pkg/ottl` as stored near collector 0.158 (the v0.158.0 tag
 * itself could not be read here):
 * - the grammar: string literals unquoted by participle's `Unquote`, one `strconv.UnquoteChar`
 *   per character (Go escapes, `\x24` is `$`); `where` conditions joined by `and`;
 * - `delete_matching_keys(target, pattern)`: removes the keys matching `pattern` (unanchored
 *   `MatchString`) from one map;
 * - `replace_all_patterns(target, "value", regex, replacement)` (the version whose regex is a
 *   StringGetter, with optional function and replacementFormat): every value of type string that
 *   matches is set to `ReplaceAllString(value, replacement)`; other types and nested maps are
 *   left alone. Mode "key" is not emulated;
 * - `replace_pattern(target, regex, replacement)`: the same on one field, if it holds a string;
 * - `flatten(target)` (the version iterating `Map.All`, with ResolveConflicts): nested maps and
 *   slices moved to the root under dotted keys, no depth limit, no conflict resolution;
 * - `IsMap(value)`, `IsString(value)`;
 * - Go's `regexp.ReplaceAllString` (non-overlapping matches, an empty match right after a match
 *   is not replaced, a search advances at least one character) and `Expand` (`$1`, `${1}`,
 *   `$name`, `$$`; `$1x` is the group named `1x`; an unknown group is empty).
 *
 * Stricter than the collector on purpose: an unknown function, an optional argument, a named
 * argument, `or`, or a map function applied to something that is not a map throws, where the
 * collector (error_mode: ignore) would log and go on; a statement must not depend on that.
 * Positions are UTF-16 indices where Go counts bytes; the results are the same.
 */
import { RE2JS } from "re2js";

/** An OTTL value as pdata holds it: Str, Int/Double, Bool, Empty (null), Slice, Map (ordered). */
export type OttlValue = string | number | boolean | null | OttlValue[] | OttlMap;
export type OttlMap = Map<string, OttlValue>;

/** The fields of one telemetry item that statements address, by path: `span.attributes`, `log.body`. */
export type TelemetryItem = Map<string, OttlValue>;

/** A path, `span.attributes` or `span.attributes["db.statement"]`. */
export interface OttlPath {
  readonly field: string;
  readonly key?: string;
}

type Argument = { readonly kind: "string"; readonly value: string } | { readonly kind: "path"; readonly path: OttlPath };

/** A converter call in a `where` condition: `IsMap(log.body)`. */
interface Condition {
  readonly converter: string;
  readonly path: OttlPath;
}

/** A parsed statement. */
export interface OttlStatement {
  readonly editor: string;
  readonly args: readonly Argument[];
  readonly conditions: readonly Condition[];
  /** The statement as written. */
  readonly text: string;
}

/* ----------------------------------------------------------------------------------------------
 * Go string literals and Go regexps
 * -------------------------------------------------------------------------------------------- */

const SIMPLE_ESCAPES: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"' };

/**
 * A double-quoted OTTL string literal's value: Go's `strconv.UnquoteChar` per character, as
 * participle's `Unquote` does (a `\xNN` escape yields the code point NN).
 */
export function unquoteOttlString(literal: string): string {
  if (literal.length < 2 || !literal.startsWith('"') || !literal.endsWith('"')) throw new Error(`not a string literal: ${literal}`);
  const body = literal.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length;) {
    const c = body[i]!;
    if (c === '"') throw new Error(`unescaped quote in ${literal}`);
    if (c !== "\\") {
      out += c;
      i += 1;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) throw new Error(`dangling backslash in ${literal}`);
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
      continue;
    }
    const hexLength = { x: 2, u: 4, U: 8 }[e];
    if (hexLength !== undefined) {
      const hex = body.slice(i + 2, i + 2 + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) throw new Error(`bad \\${e} escape in ${literal}`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 2 + hexLength;
      continue;
    }
    const octal = body.slice(i + 1, i + 4);
    if (/^[0-7]{3}$/.test(octal) && parseInt(octal, 8) <= 255) {
      out += String.fromCodePoint(parseInt(octal, 8));
      i += 4;
      continue;
    }
    // Go rejects \' in a double-quoted literal, and any other escape.
    throw new Error(`invalid escape \\${e} in ${literal}`);
  }
  return out;
}

const compiled = new Map<string, RE2JS>();

/** A regex compiled by RE2 syntax rules (no lookaround, no backreferences); throws if RE2 rejects it. */
export function compileRe2(regex: string): RE2JS {
  let re = compiled.get(regex);
  if (!re) {
    re = RE2JS.compile(regex);
    compiled.set(regex, re);
  }
  return re;
}

/** Go's `regexp.MatchString`: does the regex match anywhere in `text`? */
export function matchString(regex: string, text: string): boolean {
  return compileRe2(regex).test(text);
}

/** `extract` of Go's `Regexp.Expand`: the name after a `$`, and what follows it. */
function extractGroupName(template: string): { name: string; rest: string } | undefined {
  const braced = template.startsWith("{");
  const body = braced ? template.slice(1) : template;
  const name = /^[\p{L}\p{Nd}_]+/u.exec(body)?.[0];
  if (!name) return undefined;
  if (!braced) return { name, rest: body.slice(name.length) };
  if (body[name.length] !== "}") return undefined;
  return { name, rest: body.slice(name.length + 1) };
}

/** The group number a name stands for, or -1 (a name that is not all ASCII digits, or with a leading zero). */
function groupNumber(name: string): number {
  if (!/^[0-9]+$/.test(name) || (name.length > 1 && name.startsWith("0")) || name.length > 9) return -1;
  return Number(name);
}

type Matcher = ReturnType<RE2JS["matcher"]>;

/** Go's `Regexp.Expand` of `template` for the current match of `matcher`. */
export function expandTemplate(template: string, matcher: Matcher): string {
  let out = "";
  let rest = template;
  for (let at = rest.indexOf("$"); at >= 0; at = rest.indexOf("$")) {
    out += rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (rest.startsWith("$")) {
      out += "$";
      rest = rest.slice(1);
      continue;
    }
    const extracted = extractGroupName(rest);
    if (!extracted) {
      // Malformed: the $ is kept as text.
      out += "$";
      continue;
    }
    rest = extracted.rest;
    const num = groupNumber(extracted.name);
    const group = num >= 0 ? (num <= matcher.groupCount() ? num : undefined) : matcher.namedGroups[extracted.name];
    if (group !== undefined) out += matcher.group(group) ?? "";
  }
  return out + rest;
}

/** Go's `Regexp.ReplaceAllString(src, template)`. */
export function replaceAllString(regex: string, src: string, template: string): string {
  const matcher = compileRe2(regex).matcher(src);
  let out = "";
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length && matcher.find(searchPos)) {
    const start = matcher.start();
    const end = matcher.end();
    out += src.slice(lastMatchEnd, start);
    // An empty match right after the previous match is not replaced.
    if (end > lastMatchEnd || start === 0) out += expandTemplate(template, matcher);
    lastMatchEnd = end;
    // Advance past the match, and at least one character.
    const width = searchPos < src.length ? String.fromCodePoint(src.codePointAt(searchPos)!).length : 0;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos += 1;
    else searchPos = end;
  }
  return out + src.slice(lastMatchEnd);
}

/* ----------------------------------------------------------------------------------------------
 * Parsing
 * -------------------------------------------------------------------------------------------- */

/** A string literal, a name, a number or a punctuation mark (numbers and `=` only to reject them clearly). */
const TOKEN = /\s*(?:("(?:\\.|[^\\"])*")|([A-Za-z_][A-Za-z0-9_]*|-?[0-9][0-9.]*)|([().,[\]=]))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) {
      if (/^\s*$/.test(text.slice(start))) break;
      throw new Error(`cannot read OTTL at ${JSON.stringify(text.slice(start, start + 20))} in: ${text}`);
    }
    tokens.push(match[1] ?? match[2] ?? match[3]!);
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: readonly string[],
    private readonly text: string,
  ) {}

  private peek(): string | undefined {
    return this.tokens[this.at];
  }

  private next(): string {
    const token = this.tokens[this.at++];
    if (token === undefined) throw new Error(`unexpected end of statement: ${this.text}`);
    return token;
  }

  private expect(token: string): void {
    const got = this.next();
    if (got !== token) throw new Error(`expected ${token}, got ${got} in: ${this.text}`);
  }

  private identifier(): string {
    const token = this.next();
    if (!/^[A-Za-z_]/.test(token)) throw new Error(`expected a name, got ${token} in: ${this.text}`);
    return token;
  }

  private path(first: string): OttlPath {
    const parts = [first];
    while (this.peek() === ".") {
      this.next();
      parts.push(this.identifier());
    }
    if (this.peek() !== "[") return { field: parts.join(".") };
    this.next();
    const key = this.next();
    if (!key.startsWith('"')) throw new Error(`only string keys are emulated, got ${key} in: ${this.text}`);
    this.expect("]");
    if (this.peek() === "[") throw new Error(`nested keys are not emulated: ${this.text}`);
    return { field: parts.join("."), key: unquoteOttlString(key) };
  }

  private argument(): Argument {
    const token = this.next();
    if (token.startsWith('"')) return { kind: "string", value: unquoteOttlString(token) };
    if (!/^[a-z]/.test(token)) throw new Error(`only paths and string literals are emulated as arguments, got ${token} in: ${this.text}`);
    return { kind: "path", path: this.path(token) };
  }

  private condition(): Condition {
    const converter = this.identifier();
    if (!/^[A-Z]/.test(converter)) throw new Error(`a condition must be a converter call, got ${converter} in: ${this.text}`);
    this.expect("(");
    const path = this.path(this.identifier());
    this.expect(")");
    return { converter, path };
  }

  statement(): OttlStatement {
    const editor = this.identifier();
    if (!/^[a-z]/.test(editor)) throw new Error(`a statement must call an editor (lowercase), got ${editor} in: ${this.text}`);
    this.expect("(");
    const args: Argument[] = [];
    if (this.peek() !== ")") {
      args.push(this.argument());
      while (this.peek() === ",") {
        this.next();
        args.push(this.argument());
      }
    }
    this.expect(")");
    const conditions: Condition[] = [];
    if (this.peek() === "where") {
      this.next();
      conditions.push(this.condition());
      while (this.peek() === "and") {
        this.next();
        conditions.push(this.condition());
      }
    }
    if (this.peek() !== undefined) throw new Error(`unexpected ${this.peek()} in: ${this.text}`);
    return { editor, args, conditions, text: this.text };
  }
}

/** Parses one statement of the emulated subset; throws on anything else. */
export function parseStatement(text: string): OttlStatement {
  return new Parser(tokenize(text), text).statement();
}

/* ----------------------------------------------------------------------------------------------
 * Evaluation
 * -------------------------------------------------------------------------------------------- */

const isMap = (value: OttlValue | undefined): value is OttlMap => value instanceof Map;

function read(item: TelemetryItem, path: OttlPath): OttlValue {
  if (!item.has(path.field)) throw new Error(`the telemetry item has no ${path.field}`);
  const value = item.get(path.field)!;
  if (path.key === undefined) return value;
  if (!isMap(value)) throw new Error(`${path.field} is not a map`);
  return value.get(path.key) ?? null;
}

function write(item: TelemetryItem, path: OttlPath, value: OttlValue): void {
  if (path.key === undefined) {
    item.set(path.field, value);
    return;
  }
  const map = read(item, { field: path.field });
  if (!isMap(map)) throw new Error(`${path.field} is not a map`);
  map.set(path.key, value);
}

function readMap(item: TelemetryItem, path: OttlPath, editor: string): OttlMap {
  const value = read(item, path);
  if (!isMap(value)) throw new Error(`${editor}: expected a map at ${path.field}${path.key ? `["${path.key}"]` : ""}, got ${JSON.stringify(value)}`);
  return value;
}

function pathArg(statement: OttlStatement, index: number): OttlPath {
  const arg = statement.args[index];
  if (arg?.kind !== "path") throw new Error(`argument ${index + 1} must be a path in: ${statement.text}`);
  return arg.path;
}

function stringArg(statement: OttlStatement, index: number): string {
  const arg = statement.args[index];
  if (arg?.kind !== "string") throw new Error(`argument ${index + 1} must be a string literal in: ${statement.text}`);
  return arg.value;
}

/** `flatten`'s walk over one value, as the upstream function does it (slices of slices included). */
function flattenValue(result: OttlMap, key: string, value: OttlValue, prefix: string): void {
  if (isMap(value)) {
    flattenMap(result, value, prefix + key);
  } else if (Array.isArray(value)) {
    value.forEach((element, i) => {
      const elementKey = `${prefix + key}.${i}`;
      if (isMap(element)) flattenMap(result, element, elementKey);
      // Upstream passes the slice's key as the prefix without a trailing dot: [[x]] under "a" gives "a.00".
      else if (Array.isArray(element)) element.forEach((inner, j) => flattenValue(result, String(j), inner, elementKey));
      else result.set(elementKey, element);
    });
  } else {
    result.set(prefix + key, value);
  }
}

function flattenMap(result: OttlMap, map: OttlMap, prefix: string): void {
  const withDot = prefix ? `${prefix}.` : "";
  for (const [key, value] of map) flattenValue(result, key, value, withDot);
}

type Editor = (item: TelemetryItem, statement: OttlStatement) => void;

const EDITORS: Record<string, { readonly arity: number; readonly run: Editor }> = {
  delete_matching_keys: {
    arity: 2,
    run(item, statement) {
      const map = readMap(item, pathArg(statement, 0), statement.editor);
      const pattern = stringArg(statement, 1);
      compileRe2(pattern);
      for (const key of [...map.keys()]) if (matchString(pattern, key)) map.delete(key);
    },
  },
  replace_all_patterns: {
    arity: 4,
    run(item, statement) {
      const map = readMap(item, pathArg(statement, 0), statement.editor);
      const mode = stringArg(statement, 1);
      const regex = stringArg(statement, 2);
      const replacement = stringArg(statement, 3);
      compileRe2(regex);
      if (mode !== "value") throw new Error(`replace_all_patterns mode ${JSON.stringify(mode)} is not emulated in: ${statement.text}`);
      for (const [key, value] of map) {
        if (typeof value === "string" && matchString(regex, value)) map.set(key, replaceAllString(regex, value, replacement));
      }
    },
  },
  replace_pattern: {
    arity: 3,
    run(item, statement) {
      const target = pathArg(statement, 0);
      const regex = stringArg(statement, 1);
      const replacement = stringArg(statement, 2);
      compileRe2(regex);
      const value = read(item, target);
      if (typeof value === "string" && matchString(regex, value)) write(item, target, replaceAllString(regex, value, replacement));
    },
  },
  flatten: {
    arity: 1,
    run(item, statement) {
      const map = readMap(item, pathArg(statement, 0), statement.editor);
      const result: OttlMap = new Map();
      flattenMap(result, map, "");
      map.clear();
      for (const [key, value] of result) map.set(key, value);
    },
  },
};

const CONVERTERS: Record<string, (value: OttlValue) => boolean> = {
  IsMap: (value) => isMap(value),
  IsString: (value) => typeof value === "string",
};

/** Checks a parsed statement against the emulated functions and their arities; throws if it is outside them. */
export function checkEmulated(statement: OttlStatement): void {
  const editor = EDITORS[statement.editor];
  if (!editor) throw new Error(`OTTL function ${statement.editor} is not emulated: ${statement.text}`);
  if (statement.args.length !== editor.arity) {
    throw new Error(
      `${statement.editor} takes ${editor.arity} arguments here (optional ones are not emulated), got ${statement.args.length}: ${statement.text}`,
    );
  }
  for (const condition of statement.conditions) {
    if (!CONVERTERS[condition.converter]) throw new Error(`OTTL converter ${condition.converter} is not emulated: ${statement.text}`);
  }
}

/** Runs one statement on a telemetry item, in place. */
export function runStatement(item: TelemetryItem, statement: OttlStatement): void {
  checkEmulated(statement);
  const applies = statement.conditions.every((condition) => CONVERTERS[condition.converter]!(read(item, condition.path)));
  if (applies) EDITORS[statement.editor]!.run(item, statement);
}

/** Parses and runs statements in order on a telemetry item, in place, as one statement group does. */
export function runStatements(item: TelemetryItem, statements: readonly string[]): void {
  for (const text of statements) runStatement(item, parseStatement(text));
}

/** Every path a statement reads or writes. */
export function pathsOf(statement: OttlStatement): OttlPath[] {
  return [...statement.args.flatMap((arg) => (arg.kind === "path" ? [arg.path] : [])), ...statement.conditions.map((c) => c.path)];
}

/** The OTTL context a statement addresses: the first segment of its paths (`span`, `log`). */
export function contextOf(statement: OttlStatement): string {
  const contexts = new Set(pathsOf(statement).map((path) => path.field.split(".")[0]!));
  if (contexts.size !== 1) throw new Error(`a statement must address one context, got ${[...contexts].join(", ") || "none"}: ${statement.text}`);
  return [...contexts][0]!;
}

/** Every regex argument of a statement (the pattern of delete_matching_keys, the regex of the replace functions). */
export function regexesOf(statement: OttlStatement): string[] {
  const index = { delete_matching_keys: 1, replace_all_patterns: 2, replace_pattern: 1 }[statement.editor];
  return index === undefined ? [] : [stringArg(statement, index)];
}

/** The replacement template of a replace statement, if it is one. */
export function replacementOf(statement: OttlStatement): string | undefined {
  const index = { replace_all_patterns: 3, replace_pattern: 2 }[statement.editor];
  return index === undefined ? undefined : stringArg(statement, index);
}
