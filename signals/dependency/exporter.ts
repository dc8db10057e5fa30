/**
 * Who exports a store's metrics. Without `exporter` the dependency is exported elsewhere (by the
 * service itself, or by an exporter deployed apart, under `job`). With `exporter.provision` the
 * stack deploys the store's exporter as a Helm release of its own, one per dependency however many
 * services name it, whose ServiceMonitor scrapes it under the dependency's `job`. Credentials are
 * read from a Secret by reference (`secret: { name, key }`); a value is never accepted.
 */
import { z } from "zod";
import { REDACTED, secretKey, secretName } from "../../model/schema-primitives";

/** `{ name, key }` of a Secret in the observability namespace; the exporter reads the password from it. */
export const secretKeyReference = z.strictObject({
  /** The Secret's name, in the environment's namespace. */
  name: secretName,
  /** The key holding the password. */
  key: secretKey,
});

/** A host name or IP address: no scheme, port, path or credentials. */
const host = z.string().regex(/^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/, "must be a host name without scheme, port or credentials");

/**
 * Redis: `host:port`, optionally `redis://` or `rediss://` (TLS). Credentials in the address are
 * refused without echoing it: the password comes from `secret`.
 */
const redisAddress = z.string().superRefine((value, ctx) => {
  if (value.includes("@")) {
    ctx.addIssue({
      code: "custom",
      input: REDACTED,
      params: { redacted: true },
      message: "must not carry a credential (user:password@): it would be written to generated/ and the Terraform JSON; name a Secret in secret instead",
    });
  } else if (!/^(rediss?:\/\/)?[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:\d{1,5}$/.test(value)) {
    ctx.addIssue({ code: "custom", input: value, message: "must be host:port or redis[s]://host:port" });
  }
});

/** How the stack provisions a Redis exporter. */
export const redisProvisionSchema = z.strictObject({
  /** Where the exporter connects: `core-redis.core.svc:6379`. */
  address: redisAddress,
  /** The Redis password. @default - no authentication */
  secret: secretKeyReference.optional(),
});

/** libpq's `sslmode` values. */
export const POSTGRES_SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;

/** How the stack provisions a Postgres exporter. */
export const postgresProvisionSchema = z.strictObject({
  host,
  /** @default 5432 */
  port: z.number().int().min(1).max(65535).default(5432),
  /** The database the exporter connects to; the custom queries (bloat) read its tables. */
  database: z.string().min(1),
  /** A role with `pg_monitor`. */
  user: z.string().min(1),
  /** @default "require" */
  sslMode: z.enum(POSTGRES_SSL_MODES).default("require"),
  /** The user's password. */
  secret: secretKeyReference,
});

export type RedisProvision = z.output<typeof redisProvisionSchema>;
export type PostgresProvision = z.output<typeof postgresProvisionSchema>;

/** `exporter` of a dependency whose provisioning is described by `provision`. */
export function exporterSchema<S extends z.ZodType>(provision: S) {
  return z.strictObject({
    /** The stack deploys the exporter, connected as described. */
    provision,
  });
}

/** A dependency's own job when the stack provisions its exporter and none is given: `core-redis-exporter`. */
export function provisionedJob(dependencyName: string): string {
  return `${dependencyName}-exporter`;
}

/** The Helm release of a dependency's exporter; also the chart's fullname, so its Service is this name. */
export function exporterReleaseName(dependencyName: string): string {
  return `${dependencyName}-exporter`;
}

/** A Helm release name is a DNS label of at most 53 characters. */
export const MAX_RELEASE_NAME = 53;
