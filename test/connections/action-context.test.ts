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
      "throttled",
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

  it("marks a request leaving only for a `stored` action, after its permit, and hands the hook through app steps", async () => {
    await connectWorkspace(env, WS, "7710001");
    const events: string[] = [];
    const requestStarting = async () => {
      events.push("mark");
    };
    /** An action that takes two permits (two requests) and says what it saw before and after. */
    const probe = (idempotent: "stored" | "natural") =>
      defineAction({
        id: "hubspot.probe-requests",
        idempotent,
        input: z.object({}),
        async run(ctx) {
          events.push("before");
          await ctx.permit?.();
          events.push("request");
          await ctx.permit?.(2);
          return { keys: Object.keys(ctx) };
        },
      });
    const stored = await runStepAction(env, probe("stored"), { ...step, requestStarting }, {});
    // The mark follows each permit (the app's hook writes once per attempt); the action never sees the hook.
    expect(events).toEqual(["before", "mark", "request", "mark"]);
    expect(stored.keys).not.toContain("requestStarting");
    events.length = 0;
    await runStepAction(env, probe("natural"), { ...step, requestStarting }, {});
    expect(events).toEqual(["before", "request"]);
    events.length = 0;
    const outer = defineAppStep({
      id: "hubspot.probe-outer",
      idempotent: "stored",
      input: z.object({}),
      run: (ctx) => runStepAction(ctx.env, probe("stored"), ctx, {}),
    });
    await runStepAction(env, outer, { ...step, requestStarting }, {});
    expect(events).toEqual(["before", "mark", "request", "mark"]);
  });
});
