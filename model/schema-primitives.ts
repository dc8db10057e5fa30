/**
 * Zod schemas of the names and numbers every part of the product validates the same way: one
 * regex each, one message each, saying what form is allowed.
 */
import { RE2JS } from "re2js";
import { z } from "zod";

/** What an error shows instead of a value that is (or may be) a secret. */
export const REDACTED = "[redacted]";

/** Lowercase words joined by `-`: service, team, SLO, dependency and dashboard names. */
export const kebabName = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "must be kebab-case (a-z, 0-9 and '-')");

/** Prometheus' label-name grammar, also a raw metric name's (`:` is reserved for recorded series). */
export const LABEL_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A raw metric name. */
export const metricName = z.string().regex(LABEL_NAME_PATTERN, "must be a metric name ([a-zA-Z_][a-zA-Z0-9_]*)");

/** A label name; names starting with `__` are reserved for Prometheus' internal use. */
export const labelName = z
  .string()
  .regex(LABEL_NAME_PATTERN, "must be a label name ([a-zA-Z_][a-zA-Z0-9_]*)")
  .refine((name) => !name.startsWith("__"), "must not start with __ (reserved for Prometheus' internal labels)");

/** A Kubernetes label value: at most 63 of `[A-Za-z0-9-_.]`, starting and ending alphanumeric, or empty. */
export const kubernetesLabelValue = z
  .string()
  .regex(
    /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/,
    "must be a Kubernetes label value (at most 63 of A-Z, a-z, 0-9, '-', '_', '.', alphanumeric at both ends)",
  );

/** A Kubernetes label key: an optional DNS-subdomain prefix and `/`, then a name like a label value. */
export const kubernetesLabelKey = z
  .string()
  .regex(
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
    "must be a Kubernetes label key such as app.kubernetes.io/name (an optional DNS prefix and '/', then at most 63 of A-Z, a-z, 0-9, '-', '_', '.')",
  )
  .refine((key) => !key.includes("/") || key.indexOf("/") <= 253, "must have a prefix of at most 253 characters");

/** Kubernetes labels (a selector, an object's labels). */
export const kubernetesLabels = z.record(kubernetesLabelKey, kubernetesLabelValue);

/** The error of compiling `pattern` with RE2 (the engine Prometheus and the OTel Collector use), or undefined. */
export function re2Error(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error as string);
  }
}

/** A regular expression in RE2 syntax, checked with an RE2 implementation (not JavaScript's RegExp). */
export const re2Regex = z
  .string()
  .min(1, "must not be empty")
  .superRefine((pattern, ctx) => {
    const error = re2Error(pattern);
    if (error !== undefined) ctx.addIssue({ code: "custom", message: `must be an RE2 regex, the syntax Prometheus matches with (${error})` });
  });

/** RFC 1123 label: Kubernetes names of namespaces, Secrets, ConfigMaps (at most 63 characters). */
export const KUBERNETES_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A Kubernetes object or namespace name. */
export const kubernetesName = z.string().regex(KUBERNETES_NAME_PATTERN, "must be a Kubernetes name (lowercase letters, digits and '-', at most 63)");

/** A Kubernetes Secret's name (a DNS subdomain: lowercase letters, digits, '-' and '.', at most 253). */
export const secretName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, "must be a Kubernetes Secret name (lowercase letters, digits, '-' and '.')");

/** A key of a Kubernetes Secret. */
export const secretKey = z.string().regex(/^[-._a-zA-Z0-9]{1,253}$/, "must be a Secret key ([-._a-zA-Z0-9]+)");

/** An IANA service name, as Kubernetes port names are (at most 15 characters). */
export const portName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/, "must be a port name (IANA_SVC_NAME, at most 15)");

/** An absolute http(s) URL, whatever it carries. */
export const httpUrlSyntax = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

/** Query parameters named like a credential (`?token=`, `?api_key=`, `?sig=`, ...). */
const CREDENTIAL_PARAMETER = /token|key|secret|pass|auth|sig|credential/i;

/** Where a URL carries a credential, or undefined: user info, or a query parameter named like one. */
export function urlCredential(value: string): string | undefined {
  if (!URL.canParse(value)) return undefined;
  const url = new URL(value);
  if (url.username !== "" || url.password !== "") return "user:password@";
  const parameter = [...url.searchParams.keys()].find((k) => CREDENTIAL_PARAMETER.test(k));
  return parameter === undefined ? undefined : `the query parameter ${parameter}`;
}

/**
 * An absolute http(s) URL that carries no credential: profiles and specs are committed and the URL
 * reaches generated/ and the Terraform JSON, so a credential belongs in a Kubernetes Secret. The
 * value is never echoed in the error.
 */
export const httpUrl = httpUrlSyntax.superRefine((value, ctx) => {
  const credential = urlCredential(value);
  if (credential !== undefined) {
    ctx.addIssue({
      code: "custom",
      input: REDACTED,
      params: { redacted: true },
      message: `must not carry a credential (${credential}): it would be written to generated/ and the Terraform JSON; keep it in a Kubernetes Secret`,
    });
  }
});

/** A ratio strictly between 0 and 1. */
export const openRatio = z.number().gt(0, "must be in (0, 1)").lt(1, "must be in (0, 1)");

/** A number above 0. */
export const positive = z.number().positive("must be > 0");

/** A number of at least 0. */
export const nonNegative = z.number().nonnegative("must be >= 0");
