import { isAlertingRule } from "../../kit/rule-types";
import { parseServiceSpec } from "../../signals/service-spec";
import { jobRuleGroups } from "../../signals/job/rules";
import { queueRuleGroups } from "../../signals/queue/rules";
import { socketRuleGroups } from "../../signals/socket/rules";
import { CTX } from "../support/context";

const service = parseServiceSpec({
  name: "workers",
  team: "data",
  namespace: "workers",
  red: { enabled: false },
  sockets: { clientsMetric: "divan_socketio_clients" },
  jobs: { runsMetric: "worker_job_runs_total", nameLabel: "job_type", retriesMetric: "worker_job_retries_total" },
  queues: [
    {
      name: "q_import",
      depthMetric: "queue_depth",
      ageMetric: "queue_oldest_message_age_seconds",
      deadLetterMetric: "queue_dead_letter_messages",
      slaSeconds: 300,
      maxDepth: 200,
    },
  ],
});

describe("normalised series for dashboards", () => {
  it("records socket clients per namespace and job rates per job name, labelled by service", () => {
    const records = [...socketRuleGroups(service, service.sockets, CTX), ...jobRuleGroups(service, service.jobs, CTX)].flatMap((g) =>
      g.rules.filter((r) => !isAlertingRule(r)),
    );
    expect(records.map((r) => ("record" in r ? [r.record, r.labels] : []))).toEqual([
      ["service_socket:clients:sum", { service: "workers" }],
      ["service_job:runs:rate5m", { service: "workers" }],
      ["service_job:failures:rate5m", { service: "workers" }],
      ["service_job:retries:rate5m", { service: "workers" }],
    ]);
    expect(records[0]!.expr).toBe(
      'sum by (socket_namespace) (label_replace(divan_socketio_clients{job="workers"}, "socket_namespace", "$1", "namespace", "(.*)"))',
    );
  });
});

describe("socket alerts", () => {
  it("alerts when clients fall by more than half within 5m, from at least 10", () => {
    expect(socketRuleGroups(service, service.sockets, CTX)[0]!.rules.filter(isAlertingRule)).toEqual([
      {
        alert: "SocketClientsDrop",
        expr:
          'sum by (namespace) (divan_socketio_clients{job="workers"}) < 0.5 * sum by (namespace) (divan_socketio_clients{job="workers"} offset 5m)\n' +
          'and\nsum by (namespace) (divan_socketio_clients{job="workers"} offset 5m) >= 10',
        for: "1m",
        labels: { service: "workers", severity: "warning", team: "data" },
        annotations: {
          summary: "workers: socket clients of {{ $labels.namespace }} dropped by more than 50%",
          description:
            "Connected socket clients (divan_socketio_clients) of workers in namespace {{ $labels.namespace }} fell by more than 50% within 5m: a crash, a failed deploy or a broken load balancer drops connections.",
          runbook_url: "https://runbooks.example.com/observability/SocketClientsDrop.md",
        },
      },
    ]);
  });
});

describe("job alerts", () => {
  it("alerts on failure and retry ratios per job, under the job_name label", () => {
    const rules = jobRuleGroups(service, service.jobs, CTX)[0]!.rules.filter(isAlertingRule);
    const runs = 'sum by (job_name) (label_replace(rate(worker_job_runs_total{job="workers"}[5m]), "job_name", "$1", "job_type", "(.*)"))';
    expect(rules.map((r) => ("alert" in r ? [r.alert, r.expr, r.for, r.labels.severity] : []))).toEqual([
      [
        "JobFailureSurge",
        `(sum by (job_name) (label_replace(rate(worker_job_runs_total{job="workers",result=~"failure"}[5m]), "job_name", "$1", "job_type", "(.*)"))) / clamp_min(${runs}, 1e-12) > 0.1`,
        "10m",
        "warning",
      ],
      [
        "JobRetrySurge",
        `(sum by (job_name) (label_replace(rate(worker_job_retries_total{job="workers"}[5m]), "job_name", "$1", "job_type", "(.*)"))) / clamp_min(${runs}, 1e-12) > 0.2`,
        "10m",
        "warning",
      ],
    ]);
  });
});

describe("queue rules", () => {
  const rules = queueRuleGroups(service, service.queues, CTX)[0]!.rules;
  const age = 'service_queue:oldest_message_age_seconds:max{service="workers",queue="q_import"}';

  it("records depth, age and dead letters per queue under normalised names", () => {
    expect(rules.filter((r) => !isAlertingRule(r))).toEqual([
      { record: "service_queue:depth:max", expr: 'max(queue_depth{job="workers",queue="q_import"})', labels: { queue: "q_import", service: "workers" } },
      {
        record: "service_queue:oldest_message_age_seconds:max",
        expr: 'max(queue_oldest_message_age_seconds{job="workers",queue="q_import"})',
        labels: { queue: "q_import", service: "workers" },
      },
      {
        record: "service_queue:dead_letters:max",
        expr: 'max(queue_dead_letter_messages{job="workers",queue="q_import"})',
        labels: { queue: "q_import", service: "workers" },
      },
    ]);
  });

  it("alerts on backlog depth, age over the SLA, the forecast breach and dead-letter growth", () => {
    expect(rules.filter(isAlertingRule).map((r) => ("alert" in r ? [r.alert, r.expr, r.for, r.labels.severity, r.labels.queue] : []))).toEqual([
      ["QueueBacklogHigh", 'service_queue:depth:max{service="workers",queue="q_import"} > 200', "15m", "warning", "q_import"],
      ["QueueOldestMessageAgeHigh", `${age} > 300`, "5m", "critical", "q_import"],
      ["QueueSLABreachForecast", `predict_linear(${age}[30m], 3600) > 300\nand\n${age} <= 300`, "10m", "warning", "q_import"],
      ["DeadLetterGrowing", 'sum by (queue) (delta(queue_dead_letter_messages{job="workers",queue="q_import"}[5m])) > 0', "5m", "warning", "q_import"],
    ]);
  });
});
