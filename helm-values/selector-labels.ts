import { RELEASES } from "./release-names";

/**
 * The labels Prometheus selects PrometheusRule, ServiceMonitor, PodMonitor and Probe objects by.
 *
 * kube-prometheus-stack labels its own monitors and default rules `release: <release name>`, and
 * the most reported failure of the chart is rules silently not loaded because an object lacks that
 * label. So the stack makes the selection explicit (`*SelectorNilUsesHelmValues: false` with this
 * selector) and every object the product creates carries exactly these labels; a test reads both
 * sides from the synthesized stacks.
 */
export const PROMETHEUS_SELECTOR_LABELS = { release: RELEASES.kubePrometheusStack } as const;

/** Labels of ServiceMonitors/PodMonitors/Probes; the same selector as rules. */
export const SCRAPE_SELECTOR_LABELS = PROMETHEUS_SELECTOR_LABELS;
