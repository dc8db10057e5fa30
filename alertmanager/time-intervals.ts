import type { AlertingProfile } from "../environments/alerting-schema";
import type { TimeInterval } from "./config-types";

/** The profile's mute timings as Alertmanager `time_intervals`, which routes name in `mute_time_intervals`. */
export function buildTimeIntervals(alerting: AlertingProfile): TimeInterval[] {
  return alerting.muteTimings.map((timing) => ({
    name: timing.name,
    time_intervals: timing.timeIntervals.map((interval) => ({
      ...(interval.times ? { times: interval.times.map((t) => ({ start_time: t.startTime, end_time: t.endTime })) } : {}),
      ...(interval.weekdays ? { weekdays: [...interval.weekdays] } : {}),
      location: interval.location,
    })),
  }));
}
