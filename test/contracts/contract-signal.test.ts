import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import type { AppEnv } from "../../src/env";
import { updateJourney } from "../../src/store/journeys";
import {
  contractRow,
  envRecordingEvents,
  FORM_HEADERS,
  fetchWorker,
  form,
  ORIGIN,
  type SentEvent,
  sentContract,
  sha256,
} from "./helpers";

const WS = "ws-contract-signal";

/** POSTs an acceptance through the app with the given env. */
async function accept(path: string, text: string, withEnv: AppEnv, name = "Grace Hopper") {
  return app.request(
    `${ORIGIN}${path}`,
    { method: "POST", headers: FORM_HEADERS, body: form({ name, text_sha256: await sha256(text) }) },
    withEnv,
  );
}

describe("contract-signed reaches the journey", () => {
  it("sends contract-signed with the contract id and acceptance time to the journey's instance, once", async () => {
    const sent = await sentContract(WS, "onb-signal-1");
    const events: SentEvent[] = [];
    const recording = envRecordingEvents(events);

    const response = await accept(sent.path, sent.text, recording);
    expect(response.status).toBe(200);
    const row = await contractRow(sent.contractId);
    expect(events).toEqual([
      {
        instanceId: "onb-signal-1",
        type: "contract-signed",
        payload: { contractId: sent.contractId, acceptedAt: row.accepted_at },
      },
    ]);
    expect(row.signal_outcome).toBe("signalled");

    const again = await accept(sent.path, sent.text, recording, "Someone Else");
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("already accepted");
    expect(events).toHaveLength(1);
  });

  it("does not signal a journey that has finished: its agreement link has expired, nothing is stored", async () => {
    const sent = await sentContract(WS, "onb-signal-2");
    await updateJourney(env.DB, "onb-signal-2", { status: "cancelled" });
    const events: SentEvent[] = [];
    const response = await accept(sent.path, sent.text, envRecordingEvents(events));
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Agreement link expired");
    expect(events).toEqual([]);
    expect(await contractRow(sent.contractId)).toMatchObject({ status: "sent", signal_outcome: null });
  });

  it("keeps the acceptance when the journey's instance is gone (real Worker and Workflow binding)", async () => {
    const sent = await sentContract(WS, "onb-signal-3");
    const response = await fetchWorker(sent.path, {
      method: "POST",
      headers: FORM_HEADERS,
      body: form({ name: "Grace Hopper", text_sha256: await sha256(sent.text) }),
    });
    expect(response.status).toBe(200);
    expect(await contractRow(sent.contractId)).toMatchObject({
      status: "accepted",
      accepted_name: "Grace Hopper",
      signal_outcome: "journey_finished",
    });
  });

  it("sends a lost signal again on the next submission without touching the audit record", async () => {
    const sent = await sentContract(WS, "onb-signal-4");
    const events: SentEvent[] = [];
    const recording = envRecordingEvents(events);
    await accept(sent.path, sent.text, recording);
    // As if the Worker stopped after storing the acceptance and before the signal went out.
    await env.DB.prepare("UPDATE contracts SET signal_outcome = NULL WHERE id = ?").bind(sent.contractId).run();
    const before = await contractRow(sent.contractId);

    const retry = await accept(sent.path, sent.text, recording, "Someone Else");
    expect(retry.status).toBe(200);
    expect(events).toHaveLength(2);
    expect(events[1]).toEqual(events[0]);
    const after = await contractRow(sent.contractId);
    expect(after).toEqual({ ...before, signal_outcome: "signalled", updated_at: after.updated_at });

    await accept(sent.path, sent.text, recording);
    expect(events).toHaveLength(2);
  });
});
