/**
 * Route patterns of HTTP signals: a route as the service's route label writes it (`/auth/login`),
 * or a prefix of routes ending in a single `*` (`/api/v1/*`). SLO routes and threshold tiers take
 * the same patterns and match them the same way: one RE2 alternation on the route label.
 */
import { z } from "zod";
import { escapeRegex, re, type LabelMatcher } from "./promql";

/** One route pattern: a route, or a prefix ending in `*`. */
export const routePatternSchema = z.string().regex(/^[^*]+\*?$/, "must be a route, or a route prefix ending in a single * such as /api/v1/*");

/** Whether a pattern is a prefix (`/api/v1/*`). */
export function isRoutePrefix(pattern: string): boolean {
  return pattern.endsWith("*");
}

/** The RE2 alternation matching the patterns: exact routes escaped, prefixes followed by `.*`. */
export function routePatternsRegex(patterns: readonly string[]): string {
  return patterns.map((p) => (isRoutePrefix(p) ? `${escapeRegex(p.slice(0, -1))}.*` : escapeRegex(p))).join("|");
}

/** The route-label matcher of the patterns, or none for every route (`undefined`). */
export function routePatternMatchers(routeLabel: string, patterns: readonly string[] | undefined): LabelMatcher[] {
  return patterns === undefined ? [] : [re(routeLabel, routePatternsRegex(patterns))];
}

/** Whether `route` is one the patterns select (every route when `undefined`). */
export function routeMatchesPatterns(route: string, patterns: readonly string[] | undefined): boolean {
  return patterns === undefined || patterns.some((p) => (isRoutePrefix(p) ? route.startsWith(p.slice(0, -1)) : route === p));
}

/** A concrete route a pattern selects, for fixtures and demo traffic: a prefix gets `fixture` appended. */
export function concreteRoute(pattern: string): string {
  return isRoutePrefix(pattern) ? `${pattern.slice(0, -1)}fixture` : pattern;
}
