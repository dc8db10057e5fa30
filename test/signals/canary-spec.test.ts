/** The canaries part of a service spec: what a bad flow is rejected with, all problems at once. */
import { canaryEngine, runnerReason } from "../../signals/canary/engine";
import { parseServiceSpec } from "../../signals/service-spec";
import { specProblems } from "../support/spec-problems";

const service = { name: "shop", team: "web", namespace: "shop" };
const login = {
  name: "login",
  request: { method: "POST", url: "/auth/login", body: { email: "c@shop.test", password: "{{password}}" } },
  extract: { token: "$.token" },
};
const cart = { name: "cart", request: { url: "/api/cart", headers: { Authorization: "Bearer {{token}}" } } };
const flow = (extra: Record<string, unknown> = {}) => ({
  name: "login",
  description: "logs in, reads the cart",
  baseUrl: "http://shop.shop.svc:8080",
  every: "5m",
  credentials: { password: { secret: "canary-shop", key: "password" } },
  steps: [login, cart],
  ...extra,
});
const problems = (...canaries: unknown[]) => specProblems({ ...service, canaries });
const at = 'service "shop", canary "login"';

describe("canary flows in a service spec", () => {
  it("accepts a flow whose placeholders name a credential or an earlier extraction, with its defaults", () => {
    const [canary] = parseServiceSpec({ ...service, canaries: [flow()] }).canaries;
    expect(canary).toMatchObject({ writes: false, failAfterRuns: 2, slowAfterRuns: 3, credentials: { password: { secret: "canary-shop", key: "password" } } });
    expect(canary!.steps[1]!.expect).toEqual({ status: [200], bodyMatches: [], json: [] });
  });

  it("rejects a step using a value no earlier step extracts, and one only a later step extracts", () => {
    const early = { ...cart, name: "early" };
    expect(problems(flow({ steps: [early, login, { ...cart, request: { url: "/api/cart?id={{cartId}}" } }] }))).toEqual([
      `canaries[0].steps[0].request.headers.Authorization uses {{token}}, which is extracted only by this step or a later one (known here: password), got "Bearer {{token}}" (${at}, step "early")`,
      `canaries[0].steps[2].request.url uses {{cartId}}, which no earlier step extracts and no credential names (known here: password, token), got "/api/cart?id={{cartId}}" (${at}, step "cart")`,
    ]);
  });

  it("rejects a budget or a schedule of 0", () => {
    expect(problems(flow({ every: "0s", budget: "0ms", steps: [{ ...login, budget: "0s" }, cart] }))).toEqual([
      `canaries[0].every must be longer than 0s, got "0s" (${at})`,
      `canaries[0].budget must be longer than 0s, got "0ms" (${at})`,
      `canaries[0].steps[0].budget must be longer than 0s, got "0s" (${at}, step "login")`,
    ]);
  });

  it("rejects a credential inline, in the flow's credentials, a header, a body or a URL, never showing it", () => {
    const lines = problems(
      flow({
        credentials: { password: "hunter2-secret" },
        steps: [
          { ...login, request: { ...login.request, body: { email: "c@shop.test", password: "hunter2-secret" } } },
          {
            name: "cart",
            request: { url: "/api/cart?api_key=hunter2-secret", headers: { Authorization: "Bearer hunter2-secret", Cookie: "sid=hunter2-secret" } },
          },
        ],
      }),
    );
    expect(lines.join("\n")).not.toContain("hunter2");
    expect(lines).toEqual([
      `canaries[0].credentials.password must be a Secret reference { secret, key }, not a value: a credential inline would be written to generated/, got "[redacted]" (${at})`,
      `canaries[0].steps[0].request.body.password holds a credential inline: write it as {{name}} and name it in the flow's credentials, read from a Secret, got "[redacted]" (${at}, step "login")`,
      `canaries[0].steps[1].request.url must not carry a credential (the query parameter api_key): use a placeholder for a credential read from a Secret, got "[redacted]" (${at}, step "cart")`,
      `canaries[0].steps[1].request.headers.Authorization holds a credential inline (only an auth scheme such as Bearer may be written): write it as {{name}} and name it in the flow's credentials, read from a Secret, got "[redacted]" (${at}, step "cart")`,
      `canaries[0].steps[1].request.headers.Cookie holds a credential inline (only an auth scheme such as Bearer may be written): write it as {{name}} and name it in the flow's credentials, read from a Secret, got "[redacted]" (${at}, step "cart")`,
    ]);
  });

  it("rejects duplicate names, a poll as long as the schedule and a step with neither request nor websocket", () => {
    const poll = { name: "import", request: { method: "POST", url: "/imports" }, poll: { within: "5m", until: [{ path: "$.progress", equals: 100 }] } };
    expect(problems(flow({ steps: [login, poll, { name: "import" }] }), flow())).toEqual([
      `canaries[0].steps[2] must have exactly one of request, websocket, got {"name":"import"} (${at}, step "import")`,
      `canaries[0].steps[1].poll.within must be shorter than the flow's schedule (every 5m): runs would overlap, got "5m" (${at}, step "import")`,
      `canaries[0].steps[2].name must be unique among the flow's steps, got "import" (${at}, step "import")`,
      `canaries[1].name must be unique among the service's canaries, got "login" (${at})`,
    ]);
  });

  it("runs one request the blackbox exporter can make on it, and anything more in the runner, saying why", () => {
    const [health, bearer, twoSteps, json, apikey] = parseServiceSpec({
      ...service,
      canaries: [
        flow({ name: "health", credentials: {}, steps: [{ name: "health", request: { url: "/health" }, expect: { bodyMatches: ["ok"] } }] }),
        flow({
          name: "bearer",
          credentials: { token: { secret: "s", key: "k" } },
          steps: [{ name: "me", request: { url: "/me", headers: { Authorization: "Bearer {{token}}" } } }],
        }),
        flow({ name: "two-steps" }),
        flow({ name: "json", credentials: {}, steps: [{ name: "count", request: { url: "/count" }, expect: { json: [{ path: "$.count", atLeast: 1 }] } }] }),
        flow({
          name: "apikey",
          credentials: { key: { secret: "s", key: "k" } },
          steps: [{ name: "count", request: { url: "/count", headers: { apikey: "{{key}}" } } }],
        }),
      ],
    }).canaries;
    expect([health, bearer, twoSteps, json, apikey].map((c) => canaryEngine(c!))).toEqual(["blackbox", "blackbox", "runner", "runner", "runner"]);
    expect([twoSteps, json, apikey].map((c) => runnerReason(c!))).toEqual([
      "it has several steps",
      "it asserts on JSON (CEL is not in the blackbox exporter the tests run, 0.23)",
      "it sends a credential outside a Bearer Authorization header",
    ]);
  });
});
