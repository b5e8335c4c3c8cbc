import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import {
  listSteps,
  markStepFinished,
  markStepRequestStarted,
  markStepStarted,
  requestInDoubt,
} from "../../src/store/journey-steps";
import { insertJourney } from "../../src/store/journeys";
import { TEST_BINDINGS as B } from "../bindings";
import { closeDeal, ownerWithProcess, welcomeOnly } from "../journeys/fixtures";
import { connectWorkspace, useWorld } from "../world";
import { failOnce } from "./fail-write";

/*
 * An attempt of an email step that died unrecorded (an isolate crash, the step's timeout) before its request to
 * Gmail left sent nothing: the re-run sends, once, without holding the email for the owner. The death is
 * simulated as in send-once.test.ts: the attempt fails before the request, and the write that would record its
 * failure fails too, so the row still says `running` and the Workflow runs attempt 2.
 */

const world = useWorld();
beforeEach(() => world.google.requests.clear());
const STEP = "onboarding.welcome";
const SEND = "/gmail/v1/users/me/messages/send";
const LIST = "/gmail/v1/users/me/messages";

/**
 * Makes the connection's rate-budget lookup for `name` throw once, as an attempt that ends while it waits
 * for its permit (the Workflow's steps share this isolate's Durable Object namespace class).
 */
function failPermitOnce(name: string): () => number {
  const proto = Object.getPrototypeOf(env.RATE_BUDGET) as DurableObjectNamespace;
  const idFromName = proto.idFromName;
  let failed = 0;
  proto.idFromName = function (this: DurableObjectNamespace, key: string) {
    if (failed === 0 && key === name) {
      failed += 1;
      throw new Error("injected: the attempt ended while it waited for its permit");
    }
    return idFromName.call(this, key);
  };
  return () => {
    proto.idFromName = idFromName;
    return failed;
  };
}

/** Runs the one-email journey of a new owner whose first attempt dies by `kill`; checks one send, no hold. */
async function sendsOnceAfter(sub: string, portal: string, deal: string, kill: (workspaceId: string) => () => number) {
  const o = await ownerWithProcess(world, sub, portal, welcomeOnly);
  const journeyId = await onboardingJourneyId(o.workspaceId, deal);
  const restoreKill = kill(o.workspaceId);
  const restoreRecord = failOnce((args) => args[0] === journeyId && args[1] === STEP && args[2] === "failed");
  const { instance, email } = await closeDeal(world, o.portal, o.workspaceId, deal, Number(deal) * 10);
  await using _ = instance;
  try {
    await instance.waitForStatus("complete");
  } finally {
    expect(restoreKill()).toBe(1);
    expect(restoreRecord()).toBe(1);
  }
  expect(world.google.requests.matching("POST", SEND)).toHaveLength(1);
  expect(world.google.requests.matching("GET", LIST)).toHaveLength(0);
  expect(world.google.sent.filter((m) => m.to.includes(email))).toHaveLength(1);
  const step = (await listSteps(env.DB, journeyId)).find((s) => s.name === STEP);
  expect(step).toMatchObject({ status: "succeeded", attempts: 2, lastError: null });
}

describe("an attempt that died before its request left is re-run without holding the email", () => {
  it("died while it waited for the rate budget's permit: attempt 2 sends once", async () => {
    await sendsOnceAfter("owner-send-permit", "5520601", "9701", (ws) => failPermitOnce(`${ws}:google`));
  });

  it("died during the token refresh: attempt 2 refreshes and sends once", async () => {
    await sendsOnceAfter("owner-send-refresh", "5520602", "9702", () => {
      let refused = 0;
      world.network.use(
        http.post(`${B.GOOGLE_OAUTH_BASE}/token`, () => {
          if (refused > 0) return undefined;
          refused += 1;
          return HttpResponse.json({ error: "internal_failure" }, { status: 503 });
        }),
      );
      return () => refused;
    });
  });
});

describe("a recorded failure before the request left is retried, not held", () => {
  it("the token refresh answers 503 (recorded): no 'may already have sent', attempt 2 sends once", async () => {
    const o = await ownerWithProcess(world, "owner-send-refresh-rec", "5520603", welcomeOnly);
    world.network.use(
      http.post(
        `${B.GOOGLE_OAUTH_BASE}/token`,
        () => HttpResponse.json({ error: "internal_failure" }, { status: 503 }),
        {
          once: true,
        },
      ),
    );
    const { instance, journeyId, email } = await closeDeal(world, o.portal, o.workspaceId, "9703", 97030);
    await using _ = instance;
    await instance.waitForStatus("complete");
    expect(world.google.requests.matching("POST", SEND)).toHaveLength(1);
    expect(world.google.sent.filter((m) => m.to.includes(email))).toHaveLength(1);
    const step = (await listSteps(env.DB, journeyId)).find((s) => s.name === STEP);
    expect(step).toMatchObject({ status: "succeeded", attempts: 2 });
  });
});

describe("the request mark on a step's row (src/store/journey-steps.ts)", () => {
  it("is in doubt only while running with a mark; an unrecorded attempt passes it on, a recorded one clears it", async () => {
    const ws = "ws-request-mark";
    await connectWorkspace(env, ws, "5520604");
    await insertJourney(env.DB, { id: "j-mark", workspaceId: ws, dealId: "d-mark", workflow: "process" });
    const [db, j, n] = [env.DB, "j-mark", "mark.step"] as const;
    await markStepStarted(db, j, n, 1);
    expect(await requestInDoubt(db, j, n)).toBe(false);
    await markStepRequestStarted(db, j, n);
    expect(await requestInDoubt(db, j, n)).toBe(true);
    // Attempt 2 after attempt 1 died unrecorded: the doubt stays until an attempt records its outcome.
    await markStepStarted(db, j, n, 2);
    expect(await requestInDoubt(db, j, n)).toBe(true);
    await markStepFinished(db, j, n, { status: "failed", error: "refused" });
    expect(await requestInDoubt(db, j, n)).toBe(false);
    // Attempt 3 opens after a recorded outcome: no mark until its own request leaves.
    await markStepStarted(db, j, n, 3);
    expect(await requestInDoubt(db, j, n)).toBe(false);
  });
});
