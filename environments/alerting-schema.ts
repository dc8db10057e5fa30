import { z } from "zod";

/**
 * Alerting part of an environment profile: receivers per team, the dead man's switch and the
 * Secret the receivers' credentials are mounted from. Filled in by the Alertmanager work.
 */
export const alertingProfileSchema = z.strictObject({
  /** Secret mounted into Alertmanager at /etc/alertmanager/secrets/<name>/. */
  secretName: z.string().min(1),
});

export type AlertingProfile = z.infer<typeof alertingProfileSchema>;
