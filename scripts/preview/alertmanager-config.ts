/**
 * The environment's Alertmanager configuration, redirected for the preview: every receiver that
 * notifies anyone posts to the local webhook sink instead, at `<sink>/<receiver-name>`, so what
 * arrives tells which receiver (which team, pager or ticket) the routing chose. The routing tree,
 * inhibit rules, mute timings and the `null` receiver (which drops) stay exactly as generated.
 */
import type { AlertmanagerConfig, Receiver } from "../../alertmanager";

/** The integrations of a receiver: its `*_configs` lists, flattened. */
function integrations(receiver: Receiver): readonly { readonly send_resolved: boolean }[] {
  return [...(receiver.slack_configs ?? []), ...(receiver.pagerduty_configs ?? []), ...(receiver.webhook_configs ?? []), ...(receiver.email_configs ?? [])];
}

/**
 * A receiver posting to the sink, keeping whether the original sends resolved notifications (an
 * email receiver often does not); a receiver without integrations stays without.
 */
export function sinkReceiver(receiver: Receiver, sinkUrl: string): Receiver {
  const original = integrations(receiver);
  if (original.length === 0) return { name: receiver.name };
  return {
    name: receiver.name,
    webhook_configs: [{ url: `${sinkUrl.replace(/\/+$/, "")}/${encodeURIComponent(receiver.name)}`, send_resolved: original.some((i) => i.send_resolved) }],
  };
}

/** The config with every receiver redirected to the sink; nothing else changes. */
export function redirectReceiversToSink(config: AlertmanagerConfig, sinkUrl: string): AlertmanagerConfig {
  return { ...config, receivers: config.receivers.map((r) => sinkReceiver(r, sinkUrl)) };
}
