/**
 * Zod schemas of the names and numbers every part of the product validates the same way: one
 * regex each, one message each, saying what form is allowed.
 */
import { z } from "zod";

/** Lowercase words joined by `-`: service, team, SLO, dependency and dashboard names. */
export const kebabName = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "must be kebab-case (a-z, 0-9 and '-')");

/** Prometheus' label-name grammar, also a raw metric name's (`:` is reserved for recorded series). */
export const LABEL_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A raw metric name. */
export const metricName = z.string().regex(LABEL_NAME_PATTERN, "must be a metric name ([a-zA-Z_][a-zA-Z0-9_]*)");

/** A label name. */
export const labelName = z.string().regex(LABEL_NAME_PATTERN, "must be a label name ([a-zA-Z_][a-zA-Z0-9_]*)");

/** RFC 1123 label: Kubernetes names of namespaces, Secrets, ConfigMaps (at most 63 characters). */
export const KUBERNETES_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A Kubernetes object or namespace name. */
export const kubernetesName = z.string().regex(KUBERNETES_NAME_PATTERN, "must be a Kubernetes name (lowercase letters, digits and '-', at most 63)");

/** An IANA service name, as Kubernetes port names are (at most 15 characters). */
export const portName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/, "must be a port name (IANA_SVC_NAME, at most 15)");

/** An absolute http(s) URL. */
export const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

/** A ratio strictly between 0 and 1. */
export const openRatio = z.number().gt(0, "must be in (0, 1)").lt(1, "must be in (0, 1)");

/** A number above 0. */
export const positive = z.number().positive("must be > 0");

/** A number of at least 0. */
export const nonNegative = z.number().nonnegative("must be >= 0");
