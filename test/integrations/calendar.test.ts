import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { google } from "../../integrations/google";
import { runStepAction } from "../../src/connections/action-context";
import { connectWorkspace, useWorld } from "../world";

const world = useWorld();

describe("google.create-event (kickoff invitation)", () => {
  it("invites the client once: a retried step finds the event the first attempt created", async () => {
    await connectWorkspace(env, "ws-calendar", "5520001");
    const step = { workspaceId: "ws-calendar", journeyId: "onb-cal", idempotencyKey: "onb-cal:onboarding.kickoff" };
    const input = google.actions.createEvent.input.parse({
      title: "Kickoff: Brand sprint",
      start: "2026-11-26T15:00:00.000Z",
      durationMinutes: 45,
      attendee: { email: "grace@client.test", name: "Grace Hopper" },
    });
    const first = await runStepAction(env, google.actions.createEvent, step, input);
    const again = await runStepAction(env, google.actions.createEvent, step, input);
    expect(again).toEqual(first);
    expect(world.google.events.size).toBe(1);
    expect(first.eventId).toMatch(/^[a-v0-9]{5,}$/);

    const [create] = world.google.requests.matching("POST", "/calendar/v3/calendars/primary/events");
    expect(create?.search.get("sendUpdates")).toBe("all");
    expect(create?.body).toMatchObject({
      summary: "Kickoff: Brand sprint",
      start: { dateTime: "2026-11-26T15:00:00.000Z" },
      end: { dateTime: "2026-11-26T15:45:00.000Z" },
      attendees: [{ email: "grace@client.test", displayName: "Grace Hopper" }],
    });
    expect(create?.headers.authorization).toMatch(/^Bearer ya29\./);
  });
});
