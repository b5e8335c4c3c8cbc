import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/env";
import worker from "../../src/index";

const TOKEN = "operator-token-for-tests-0123456789";
const deep = (auth?: string) =>
  exports.default.fetch("https://clientflow.test/operator/health", { headers: auth ? { authorization: auth } : {} });

describe("GET /operator/health (deep health)", () => {
  it("checks D1 both ways, the bindings and the secrets by name, never their values", async () => {
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

  it("is for the operator only; /health stays open for load balancers", async () => {
    expect((await deep()).status).toBe(401);
    expect((await deep("Bearer nope")).status).toBe(401);
    expect((await exports.default.fetch("https://clientflow.test/health")).status).toBe(200);
  });
});
