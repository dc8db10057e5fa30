/**
 * Platform-wide meta alerts (`platform.yaml`): `Watchdog`, always firing so that its absence at
 * the dead man's switch proves the pipeline broken, and `InfoInhibitor`.
 */
import { defineSignalKind } from "../kind";
import { META_ALERTS } from "./alerts";
import { metaTestGroups } from "./promtool";
import { metaRuleGroup } from "./rules";

export const metaKind = defineSignalKind({
  name: "meta",
  alertNames: Object.values(META_ALERTS),
  platformRuleGroups: (ctx) => [metaRuleGroup(ctx)],
  promtool: { platformTestGroups: metaTestGroups },
});
