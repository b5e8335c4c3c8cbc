import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAction } from "../../integrations/core/define";
import { defineAppStep, runStepAction } from "../../src/connections/action-context";
import { ConnectionError } from "../../src/errors";
import { connectWorkspace, HUBSPOT_TOKEN, NOTION_BOARD, useWorld } from "../world";

useWorld();

const WS = "ws-action-context";
const step = { workspaceId: WS, journeyId: "onb-ctx", idempotencyKey: "onb-ctx:probe", attempt: "r0a2" };

/** An action that reports what its context holds. */
const hubspotProbe = defineAction({
  id: "hubspot.probe",
  idempotent: "natural",
  input: z.object({ n: z.number().int() }),
  async run(ctx, { n }) {
    const { token, permit, ...rest } = ctx;
    return {
      ...rest,
      n,
      keys: Object.keys(ctx).sort(),
      token: await token(),
      tokenType: typeof token,
      permitType: typeof permit,
    };
  },
});

const notionProbe = defineAction({
  id: "notion.probe",
  idempotent: "natural",
  input: z.object({}),
  run: async (ctx) => ({ config: ctx.config, apiBase: ctx.apiBase }),
});

describe("the action context (src/connections/action-context.ts)", () => {
  it("gives an action its step, a token function, its provider's config, account and bases: never the env", async () => {
    await connectWorkspace(env, WS, "7710001");
    const out = await runStepAction(env, hubspotProbe, step, { n: 1 });
    expect(out.keys).toEqual([
      "accountId",
      "apiBase",
      "appBase",
      "attempt",
      "config",
      "idempotencyKey",
      "journeyId",
      "permit",
      "provider",
      "token",
      "workspaceId",
    ]);
    expect(out).toMatchObject({
      provider: "hubspot",
      workspaceId: WS,
      journeyId: "onb-ctx",
      idempotencyKey: "onb-ctx:probe",
      attempt: "r0a2",
      accountId: "7710001",
      config: { portalId: "7710001" },
      apiBase: env.HUBSPOT_API_BASE,
      appBase: env.HUBSPOT_APP_BASE,
      token: HUBSPOT_TOKEN,
      tokenType: "function",
      // The connection's shared rate budget (src/connections/rate-budget.ts).
      permitType: "function",
    });
    expect(await runStepAction(env, notionProbe, step, {})).toEqual({
      config: { boardId: NOTION_BOARD },
      apiBase: env.NOTION_API_BASE,
    });
  });

  it("validates the input first, and refuses a provider that is not connected with a ConnectionError", async () => {
    await expect(runStepAction(env, hubspotProbe, step, { n: 1.5 })).rejects.toMatchObject({ name: "ZodError" });
    const missing = await runStepAction(env, hubspotProbe, { ...step, workspaceId: "ws-ctx-none" }, { n: 1 }).catch(
      (e: unknown) => e,
    );
    expect(missing).toBeInstanceOf(ConnectionError);
    expect((missing as Error).message).toBe("Connect hubspot first");
  });

  it("an app step gets the env; the actions it runs with its context still do not", async () => {
    await connectWorkspace(env, WS, "7710001");
    const outer = defineAppStep({
      id: "hubspot.probe-twice",
      idempotent: "natural",
      input: z.object({}),
      async run(ctx) {
        expect(ctx.env.DB).toBeDefined();
        return runStepAction(ctx.env, hubspotProbe, ctx, { n: 2 });
      },
    });
    const out = await runStepAction(env, outer, step, {});
    expect(out.keys).not.toContain("env");
    expect(out.n).toBe(2);
  });
});
