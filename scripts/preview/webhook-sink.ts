/**
 * The webhook sink every receiver of the preview's Alertmanager posts to, at `/<receiver-name>`:
 * it records each notification with the time it arrived, and answers queries in-process (the e2e
 * test) or over HTTP (`GET /notifications`, for a person running the preview).
 */
import { listen, pathOf, readJson, sendJson, sendText, type ListeningServer } from "../../demo-service/http";

/** One alert of a webhook notification (Alertmanager's webhook payload, version 4). */
export interface WebhookAlert {
  readonly status: "firing" | "resolved";
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/** A webhook notification as Alertmanager posts it. */
export interface WebhookPayload {
  readonly version: string;
  readonly groupKey: string;
  readonly status: "firing" | "resolved";
  readonly receiver: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly alerts: readonly WebhookAlert[];
}

/** A notification and when it arrived. */
export interface ReceivedNotification {
  /** `Date.now()` when the request body was read. */
  readonly receivedAtMs: number;
  /** The receiver named by the URL path (`/<receiver-name>`). */
  readonly pathReceiver: string;
  readonly payload: WebhookPayload;
}

/** One alert as delivered: the alert, its notification and its receiver. */
export interface Delivery {
  readonly receivedAtMs: number;
  readonly receiver: string;
  readonly alert: WebhookAlert;
  readonly notification: ReceivedNotification;
}

/** Which deliveries to find; every given field must match. */
export interface DeliveryQuery {
  /** Labels the alert must carry (a subset of its labels). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly status?: "firing" | "resolved";
  readonly receiver?: string;
  /** Received at or after this `Date.now()` value. */
  readonly sinceMs?: number;
  /** Received before this `Date.now()` value. */
  readonly beforeMs?: number;
}

/** True when `labels` carries every label of `subset` with the same value. */
export function hasLabels(labels: Readonly<Record<string, string>>, subset: Readonly<Record<string, string>>): boolean {
  return Object.entries(subset).every(([name, value]) => labels[name] === value);
}

/** Every delivery of `notifications` matching `query`, in order of arrival. */
export function findDeliveries(notifications: readonly ReceivedNotification[], query: DeliveryQuery): Delivery[] {
  return notifications
    .filter((n) => (query.sinceMs === undefined || n.receivedAtMs >= query.sinceMs) && (query.beforeMs === undefined || n.receivedAtMs < query.beforeMs))
    .filter((n) => query.receiver === undefined || n.payload.receiver === query.receiver)
    .flatMap((n) => n.payload.alerts.map((alert) => ({ receivedAtMs: n.receivedAtMs, receiver: n.payload.receiver, alert, notification: n })))
    .filter((d) => (query.status === undefined || d.alert.status === query.status) && hasLabels(d.alert.labels, query.labels ?? {}));
}

/** `ServiceHighErrorRate{service="divan-api",severity="warning"} resolved`, for messages. */
export function describeQuery(query: DeliveryQuery): string {
  const { alertname, ...rest } = query.labels ?? {};
  const labels = Object.entries(rest)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",");
  return `${alertname ?? "alert"}{${labels}}${query.status ? ` ${query.status}` : ""}${query.receiver ? ` at ${query.receiver}` : ""}`;
}

/** Options of {@link startWebhookSink}. */
export interface WebhookSinkOptions {
  /** Called for each notification as it arrives (the preview prints it). @default - nothing */
  readonly onNotification?: (notification: ReceivedNotification) => void;
}

/** A running sink. */
export interface WebhookSink {
  /** `http://127.0.0.1:<port>`; receivers post to `<url>/<receiver-name>`. */
  readonly url: string;
  readonly port: number;
  /** Every notification so far, in order of arrival. */
  notifications(): readonly ReceivedNotification[];
  deliveries(query: DeliveryQuery): Delivery[];
  /** The first matching delivery, waiting for it until `timeoutMs`; rejects with what did arrive. */
  waitFor(query: DeliveryQuery, timeoutMs: number): Promise<Delivery>;
  close(): Promise<void>;
}

/** A one-line summary of a notification: receiver, status and each alert's name and key labels. */
export function summarizeNotification(n: ReceivedNotification): string {
  const alerts = n.payload.alerts.map((a) => {
    const { alertname, severity, service, ...rest } = a.labels;
    const extra = ["slo", "dependency", "queue", "job_name", "namespace"].filter((k) => rest[k] !== undefined).map((k) => ` ${k}=${rest[k]}`);
    return `${a.status === "resolved" ? "RESOLVED" : "FIRING"} ${alertname} ${service ?? ""} ${severity ?? ""}${extra.join("")}`.replace(/\s+/g, " ").trim();
  });
  return `${new Date(n.receivedAtMs).toISOString().slice(11, 23)} -> ${n.payload.receiver}: ${alerts.join("; ")}`;
}

/** Starts the sink on a free loopback port. */
export async function startWebhookSink(options: WebhookSinkOptions = {}): Promise<WebhookSink> {
  const received: ReceivedNotification[] = [];
  const waiters = new Set<() => void>();
  const server: ListeningServer = await listen(async (request, response) => {
    const path = pathOf(request);
    if (request.method === "POST") {
      const payload = (await readJson(request)) as WebhookPayload;
      const notification = { receivedAtMs: Date.now(), pathReceiver: decodeURIComponent(path.replace(/^\/+/, "")), payload };
      received.push(notification);
      options.onNotification?.(notification);
      for (const wake of waiters) wake();
      sendText(response, 200, "ok\n");
    } else if (request.method === "GET" && path === "/notifications") {
      sendJson(response, 200, received);
    } else {
      sendText(response, 200, `webhook sink: ${received.length} notifications; GET /notifications lists them, receivers POST to /<receiver-name>\n`);
    }
  });
  const deliveries = (query: DeliveryQuery) => findDeliveries(received, query);
  return {
    url: server.url,
    port: server.port,
    notifications: () => received,
    deliveries,
    waitFor: (query, timeoutMs) =>
      new Promise<Delivery>((resolve, reject) => {
        const check = () => {
          const found = deliveries(query)[0];
          if (found === undefined) return false;
          done();
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          done();
          const seen = findDeliveries(received, { sinceMs: query.sinceMs ?? 0 }).map((d) => summarizeNotification(d.notification));
          reject(new Error(`no ${describeQuery(query)} within ${timeoutMs} ms; received meanwhile:\n${[...new Set(seen)].slice(-40).join("\n")}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        if (!check()) waiters.add(check);
      }),
    close: () => server.close(),
  };
}
