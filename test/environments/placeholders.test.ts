import { loadProfiles, parseProfile, PROFILE_INPUTS } from "../../environments";
import { placeholderProblems, placeholderReason, placeholderWarnings } from "../../environments/placeholders";

/** dev as shipped, with its three placeholders replaced by real-looking values. */
function devWithoutPlaceholders(): any {
  const dev: any = structuredClone(PROFILE_INPUTS.dev);
  dev.runbookBaseUrl = "https://runbooks.corp.internal/observability";
  dev.grafana.url = "https://grafana.dev.corp.internal";
  dev.alerting.receivers["deadmans-switch"].url = "https://hc-ping.com/obs-dev";
  return dev;
}

const EXAMPLE_DOMAIN = "is a placeholder (example.com is reserved for examples), set your own before deploying";
const EXAMPLE_COMPANY = 'is a placeholder ("acme" is the example company), set your own before deploying';

describe("placeholders in a profile", () => {
  it.each([
    ["https://runbooks.example.com/observability", "example.com"],
    ["http://EXAMPLE.org:8080/x", "example.org"],
    ["https://grafana.dev.example.net", "example.net"],
    ["https://grafana.corp.test", ".test"],
    ["https://hooks.invalid/x", ".invalid"],
    ["data-oncall@example.com", "example.com"],
    ["smtp.example.com:587", "example.com"],
    ["mail.example", ".example"],
  ])("%s is a placeholder on %s", (value, domain) => {
    expect(placeholderReason(value)).toBe(`is a placeholder (${domain} is reserved for examples), set your own before deploying`);
  });

  it.each(["acme-prod-loki-chunks", "tempo-acme", "ops@acme.io", "s3.acme.internal:9000"])("%s names the example company", (value) => {
    expect(placeholderReason(value)).toBe(EXAMPLE_COMPANY);
  });

  it.each([
    "http://localhost:3000",
    "http://alert-sink.observability.svc:8080/alerts",
    "kafka-bootstrap.kafka.svc:9092",
    "https://notexample.com/x",
    "https://example.com.evil.io",
    "acmetrics-bucket",
    "#platform-alerts",
    "platform",
    "30s",
  ])("%s is not a placeholder", (value) => {
    expect(placeholderReason(value)).toBeUndefined();
  });

  it("finds nothing in a profile without placeholders", () => {
    expect(placeholderProblems(parseProfile(devWithoutPlaceholders(), "dev"))).toEqual([]);
  });

  it("names the path of each placeholder, array indexes included, with the value", () => {
    const dev = devWithoutPlaceholders();
    dev.prometheus.remoteWrite = [{ url: "https://mimir.corp.internal/api/v1/push" }, { url: "https://mimir.example.com/api/v1/push" }];
    dev.alerting.receivers["obs-dev"].channel = "#acme-alerts";
    expect(placeholderProblems(parseProfile(dev, "dev"))).toEqual([
      { path: ["prometheus", "remoteWrite", 1, "url"], message: EXAMPLE_DOMAIN, received: "https://mimir.example.com/api/v1/push" },
      { path: ["alerting", "receivers", "obs-dev", "channel"], message: EXAMPLE_COMPANY, received: "#acme-alerts" },
    ]);
  });

  it("checks values, not record keys", () => {
    const dev = devWithoutPlaceholders();
    dev.externalLabels = { ...dev.externalLabels, acme: "eu" };
    expect(placeholderProblems(parseProfile(dev, "dev"))).toEqual([]);
  });

  it("words each warning as a validation line naming the environment", () => {
    const dev = devWithoutPlaceholders();
    dev.grafana.url = "https://grafana.example.com";
    expect(placeholderWarnings(parseProfile(dev, "dev"))).toEqual([`grafana.url ${EXAMPLE_DOMAIN}, got "https://grafana.example.com" (environment "dev")`]);
  });
});

describe("placeholders in the shipped profiles", () => {
  const found = Object.fromEntries(loadProfiles().map((profile) => [profile.name, placeholderProblems(profile).map((p) => [p.path.join("."), p.received])]));

  it("lists 24: dev's 3 (local inherits its runbook URL), staging's 8 and prod's 12", () => {
    expect(found).toEqual({
      local: [["runbookBaseUrl", "https://runbooks.example.com/observability"]],
      dev: [
        ["runbookBaseUrl", "https://runbooks.example.com/observability"],
        ["grafana.url", "https://grafana.dev.example.com"],
        ["alerting.receivers.deadmans-switch.url", "https://deadman.example.com/api/v1/heartbeat/obs-dev"],
      ],
      staging: [
        ["runbookBaseUrl", "https://runbooks.example.com/observability"],
        ["grafana.url", "https://grafana.staging.example.com"],
        ["grafana.database.host", "grafana-db.staging.example.com:5432"],
        ["loki.topology.storage.bucketNames.chunks", "acme-staging-loki-chunks"],
        ["loki.topology.storage.bucketNames.ruler", "acme-staging-loki-ruler"],
        ["tempo.topology.storage.bucket", "acme-staging-tempo-traces"],
        ["mimir.storage.bucketNames.blocks", "acme-staging-mimir-blocks"],
        ["alerting.receivers.deadmans-switch.url", "https://deadman.example.com/api/v1/heartbeat/obs-staging"],
      ],
      prod: [
        ["runbookBaseUrl", "https://runbooks.example.com/observability"],
        ["grafana.url", "https://grafana.example.com"],
        ["grafana.database.host", "grafana-db.example.com:5432"],
        ["loki.topology.storage.bucketNames.chunks", "acme-prod-loki-chunks"],
        ["loki.topology.storage.bucketNames.ruler", "acme-prod-loki-ruler"],
        ["tempo.topology.storage.bucket", "acme-prod-tempo-traces"],
        ["mimir.storage.bucketNames.blocks", "acme-prod-mimir-blocks"],
        ["alerting.receivers.data-ticket.to", "data-oncall@example.com"],
        ["alerting.receivers.data-ticket.from", "alertmanager@example.com"],
        ["alerting.receivers.data-ticket.smarthost", "smtp.example.com:587"],
        ["alerting.receivers.data-ticket.authUsername", "alertmanager@example.com"],
        ["alerting.receivers.deadmans-switch.url", "https://deadman.example.com/api/v1/heartbeat/obs-prod"],
      ],
    });
    expect(Object.values(found).flat()).toHaveLength(24);
  });
});
