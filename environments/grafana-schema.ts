import { z } from "zod";
import { httpUrl, kubernetesName } from "../model/schema-primitives";
import { persistentVolume, secretKey, workload } from "./primitives";

/**
 * Grafana part of an environment profile. More than one replica needs a shared database
 * (`database`): Grafana otherwise keeps its state in a SQLite file on a ReadWriteOnce volume,
 * which one pod at a time can use (environments/grafana-problems.ts says so at validation).
 */

/** `sslmode` values Grafana passes to the Postgres driver (libpq's names). */
export const POSTGRES_SSL_MODES = ["disable", "require", "verify-ca", "verify-full"] as const;

/** `host:port` of a database server, e.g. `grafana-db.example.com:5432`. */
const hostPort = z.string().regex(/^[^\s:/]+:\d{1,5}$/, "must be host:port, such as grafana-db.example.com:5432");

/** A database or user name: letters, digits, `_`, `-` and `.`, as written in grafana.ini. */
const databaseIdentifier = z.string().regex(/^[A-Za-z0-9_.-]{1,63}$/, "must be a database identifier ([A-Za-z0-9_.-], at most 63)");

/** Fields every kind of shared database has. */
const databaseCommon = {
  /** Server address, `host:port`. */
  host: hostPort,
  /** Database Grafana owns on that server. */
  name: databaseIdentifier,
  /** User Grafana logs in as. */
  user: databaseIdentifier,
  /**
   * Secret in the profile's namespace whose `key` holds that user's password. Grafana reads it as
   * `GF_DATABASE_PASSWORD`; the password never appears in values or in grafana.ini.
   */
  passwordSecret: z.strictObject({ name: kubernetesName, key: secretKey }),
};

/** A shared Postgres or MySQL that every Grafana replica stores its state in. */
export const grafanaDatabaseSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("postgres"),
    ...databaseCommon,
    /**
     * TLS to the server (Grafana's `ssl_mode`).
     * @default "require"
     */
    sslMode: z.enum(POSTGRES_SSL_MODES).default("require"),
  }),
  z.strictObject({ type: z.literal("mysql"), ...databaseCommon }),
]);

/** The `grafana` section of a profile. */
export const grafanaProfileSchema = z.strictObject({
  ...workload.shape,
  url: httpUrl,
  /** Secret holding the admin user and password; Grafana never generates one. */
  adminSecret: z.strictObject({ name: kubernetesName, userKey: secretKey, passwordKey: secretKey }),
  /**
   * The ReadWriteOnce volume of Grafana's SQLite file: required without `database`, left out with
   * it. One replica uses it, replaced with the Recreate strategy so two pods never share it.
   * @default - none; a problem at validation when `database` is absent too
   */
  persistence: persistentVolume.optional(),
  /**
   * Shared Postgres or MySQL that Grafana keeps its state in; required for `replicas` above 1.
   * With it Grafana keeps nothing on disk, runs a headless Service and its replicas gossip
   * alerting state (unified alerting HA).
   * @default - none: one replica on SQLite, on `persistence`
   */
  database: grafanaDatabaseSchema.optional(),
  /**
   * How dashboards reach Grafana: `terraform` through the Grafana provider (folders per team),
   * or `sidecar` as labelled ConfigMaps for clusters where Terraform cannot reach Grafana's API.
   */
  dashboardDelivery: z.enum(["terraform", "sidecar"]),
});

/** A validated Grafana section. */
export type GrafanaProfile = z.infer<typeof grafanaProfileSchema>;
/** A validated shared database of Grafana. */
export type GrafanaDatabase = z.infer<typeof grafanaDatabaseSchema>;
