/**
 * Per-alert overrides of a service: which of its alerts page, ticket or only inform, and which team
 * is notified, decided per service where a spec asks for it (spec 002 pages on an import backlog of
 * more than 200 for 15m, where the queue kind opens a ticket). Declared once on the spec as
 * `alertOverrides`, applied to every rule, promtool case and test the kinds build for the service
 * (signals/alert-overrides.ts), and checked against the rules the service really raises.
 */
import { z } from "zod";
import { labelName } from "./schema-primitives";
import { SEVERITIES } from "./severity";
import { teamName } from "./teams";

/** One override: the rules of `alert` carrying the labels of `where` get `severity` and/or `team`. */
export const alertOverrideSchema = z
  .strictObject({
    /** Name of an alert the service's rules raise, e.g. `QueueBacklogHigh`. */
    alert: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, "must be a PascalCase alert name such as QueueBacklogHigh"),
    /**
     * Static labels a rule of the alert must carry for the override to apply, e.g.
     * `{ queue: "q_import" }`: one queue's backlog pages, the others keep their ticket.
     * @default {} - every rule of the alert
     */
    where: z.record(labelName, z.string()).default({}),
    /**
     * The severity the matching rules raise instead: `critical` pages the team, `warning` opens a
     * ticket, `info` notifies nobody (context for other alerts).
     * @default - the severity the kind gives the alert
     */
    severity: z.enum(SEVERITIES).optional(),
    /**
     * The team notified instead of the service's own (its pager or ticket receiver, by severity).
     * @default - the service's team
     */
    team: teamName.optional(),
  })
  .refine((o) => o.severity !== undefined || o.team !== undefined, "must set severity, team or both");

/** One validated override. */
export type AlertOverride = z.output<typeof alertOverrideSchema>;

/**
 * The overrides of a service, applied in the order given; two overrides may not set the same field
 * of the same rule.
 * @default []
 */
export const alertOverridesSchema = z.array(alertOverrideSchema).default([]);
