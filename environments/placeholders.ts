import { formatProblems, type Problem } from "../model/validation-error";
import type { EnvironmentProfile } from "./profile-schema";

/**
 * Placeholders: values a profile validates with but that cannot be an organisation's own, such as
 * the shipped profiles' `https://runbooks.example.com/...` and `acme-prod-loki-chunks`. Synth
 * warns about them rather than failing (a fork may synthesize before it owns a domain); they must
 * be replaced before deploying.
 *
 * A value is a placeholder when it names a host or an email domain reserved for examples
 * (RFC 2606: example.com, example.net, example.org and the .example, .test and .invalid top-level
 * domains), or when it contains the word `acme`, the example company.
 */

/** The reserved part of a host (`example.com`, `.test`), or undefined when the host is not reserved. */
function reservedDomain(host: string): string | undefined {
  const name = host.toLowerCase().replace(/\.$/, "");
  const secondLevel = /(?:^|\.)(example\.(?:com|net|org))$/.exec(name);
  if (secondLevel) return secondLevel[1];
  const topLevel = /\.(example|test|invalid)$/.exec(name);
  return topLevel ? `.${topLevel[1]}` : undefined;
}

/** The host a string names, if it is a URL, an email address or a `host[:port]`. */
function hostOf(value: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    try {
      return new URL(value).hostname;
    } catch {
      return undefined;
    }
  }
  const email = /^[^\s@]+@([^\s@]+)$/.exec(value);
  if (email) return email[1];
  const host = /^([^\s:/@]+\.[^\s:/@]+)(?::\d+)?$/.exec(value);
  return host ? host[1] : undefined;
}

/** The word `acme`, alone or between separators: `acme-prod-loki-chunks`, `ops@acme.io`. */
const EXAMPLE_COMPANY = /(?:^|[^a-z0-9])acme(?:[^a-z0-9]|$)/i;

/**
 * Why one value is a placeholder, as the message of a warning line, or undefined when it is not
 * one: `is a placeholder (example.com is reserved for examples), set your own before deploying`.
 */
export function placeholderReason(value: string): string | undefined {
  const host = hostOf(value);
  const domain = host === undefined ? undefined : reservedDomain(host);
  if (domain !== undefined) return `is a placeholder (${domain} is reserved for examples), set your own before deploying`;
  if (EXAMPLE_COMPANY.test(value)) return 'is a placeholder ("acme" is the example company), set your own before deploying';
  return undefined;
}

function collect(value: unknown, path: PropertyKey[], found: Problem[]): void {
  if (typeof value === "string") {
    const message = placeholderReason(value);
    if (message !== undefined) found.push({ path, message, received: value });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => collect(item, [...path, i], found));
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) collect(item, [...path, key], found);
  }
}

/**
 * Every placeholder value of a validated profile, with its path and the value, in the profile's
 * order; empty when the profile names only real hosts, emails and buckets. Record keys (receiver
 * names) are not values and are not checked.
 */
export function placeholderProblems(profile: EnvironmentProfile): Problem[] {
  const found: Problem[] = [];
  collect(profile, [], found);
  return found;
}

/**
 * The placeholders as warning lines, in the form of the validation errors:
 * `runbookBaseUrl is a placeholder (example.com is reserved for examples), set your own before
 * deploying, got "https://runbooks.example.com/observability" (environment "prod")`.
 */
export function placeholderWarnings(profile: EnvironmentProfile): string[] {
  return formatProblems(placeholderProblems(profile), { input: profile, context: () => [`environment ${JSON.stringify(profile.name)}`] });
}
