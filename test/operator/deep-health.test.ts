import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EMULATED_ACCOUNT } from "../../emulators/stripe";
import { HANDLED_STRIPE_EVENTS } from "../../integrations/stripe/webhook-endpoints";
import type { AppEnv } from "../../src/env";
import worker from "../../src/index";
import { useWorld } from "../world";

const world = useWorld();
/** The Stripe App's Connect endpoint, as `npm run setup:providers` creates it in the platform account. */
function connectEndpoint() {
  const endpoint = {
    id: "we_connect_platform",
    object: "webhook_endpoint" as const,
    account: EMULATED_ACCOUNT,
    url: `${env.PUBLIC_URL}/webhooks/stripe`,
    enabled_events: [...HANDLED_STRIPE_EVENTS],
    api_version: null,
    description: "Clientflow",
    metadata: {},
    status: "enabled" as "enabled" | "disabled",
    secret: "whsec_connect_platform",
    created: 0,
  };
  world.stripe.webhooks.endpoints.set(endpoint.id, endpoint);
  return endpoint;
}

const TOKEN = "operator-token-for-tests-0123456789";
const deep = (auth?: string) =>
  exports.default.fetch("https://clientflow.test/operator/health", { headers: auth ? { authorization: auth } : {} });

describe("GET /operator/health (deep health)", () => {
  it("checks D1 both ways, the bindings and the secrets by name, never their values", async () => {
    connectEndpoint();
    const response = await deep(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toMatchObject({
      status: "ok",
      d1: { read: true, write: true },
      bindings: { DB: true, JOURNEYS: true, TASKS: true, INTAKE: true, RATE_BUDGET: true },
      secrets: {
        required: { ENCRYPTION_KEY: true, PUBLIC_URL: true },
        optional: { OPERATOR_TOKEN: true, ENCRYPTION_KEY_PREVIOUS: false, STRIPE_WEBHOOK_SECRET: true },
      },
      stripeConnectEndpoint: { checked: true, ok: true },
    });
    const text = JSON.stringify(body);
    for (const secret of [env.ENCRYPTION_KEY, TOKEN, "whsec_test_current"]) expect(text).not.toContain(secret);
  });

  it("answers 503 naming what is missing or unusable", async () => {
    const broken = { ...env, ENCRYPTION_KEY: "not-a-key", TASKS: undefined, INTAKE: undefined } as unknown as AppEnv;
    const request = new Request("https://clientflow.test/operator/health", {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const response = await worker.fetch(request, broken, createExecutionContext());
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: "degraded",
      d1: { read: true, write: true },
      bindings: { TASKS: false, INTAKE: false, RATE_BUDGET: true },
      secrets: { required: { ENCRYPTION_KEY: false } },
    });
  });

  it("reads the Stripe App's Connect endpoint: missing, disabled, missing events, each degraded with its fix", async () => {
    const body = async () => {
      const response = await deep(`Bearer ${TOKEN}`);
      return { http: response.status, ...((await response.json()) as Record<string, unknown>) };
    };
    world.stripe.webhooks.endpoints.delete("we_connect_platform");
    expect(await body()).toMatchObject({
      http: 503,
      status: "degraded",
      stripeConnectEndpoint: {
        checked: true,
        ok: false,
        problem: "stripe_endpoint_missing",
        fix: expect.stringContaining("npm run setup:providers"),
      },
    });
    expect(world.stripe.requests.matching("GET", "/v1/webhook_endpoints")).not.toHaveLength(0);

    const endpoint = connectEndpoint();
    endpoint.status = "disabled";
    expect(await body()).toMatchObject({
      http: 503,
      stripeConnectEndpoint: { ok: false, problem: "stripe_endpoint_disabled", fix: expect.stringContaining("Enable") },
    });

    endpoint.status = "enabled";
    endpoint.enabled_events = ["invoice.paid"];
    expect(await body()).toMatchObject({
      http: 503,
      stripeConnectEndpoint: {
        ok: false,
        problem: "stripe_endpoint_events",
        fix: expect.stringContaining("charge.refunded"),
      },
    });

    endpoint.enabled_events = [...HANDLED_STRIPE_EVENTS];
    expect(await body()).toMatchObject({ http: 200, status: "ok", stripeConnectEndpoint: { checked: true, ok: true } });
  });

  it("is for the operator only; /health stays open for load balancers", async () => {
    expect((await deep()).status).toBe(401);
    expect((await deep("Bearer nope")).status).toBe(401);
    expect((await exports.default.fetch("https://clientflow.test/health")).status).toBe(200);
  });
});
