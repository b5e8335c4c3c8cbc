import { z } from "zod";
import { type ActionContext, attemptOf } from "../../core/context";
import { defineAction } from "../../core/define";
import { sha256Hex } from "../../core/encoding";
import { IntegrationError } from "../../core/errors";
import { googleClient } from "../client";

const event = z.object({ id: z.string(), htmlLink: z.string().optional() });

/**
 * Calendar event ids are base32hex (a–v, 0–9), 5–1024 characters; deriving one
 * from the step's idempotency key makes a retried create a 409 instead of a
 * second invitation.
 * https://developers.google.com/calendar/api/v3/reference/events/insert
 */
async function eventId(idempotencyKey: string): Promise<string> {
  const hex = await sha256Hex(idempotencyKey);
  return `cf${hex.slice(0, 40)}`.replace(/[w-z]/g, "v");
}

/** The event under `id`, or null when the calendar has none (404). */
async function readEvent(ctx: ActionContext<"google">, id: string): Promise<z.infer<typeof event> | null> {
  try {
    return await googleClient(ctx).get(`/calendar/v3/calendars/primary/events/${id}`, event);
  } catch (error) {
    if (error instanceof IntegrationError && error.httpStatus === 404) return null;
    throw error;
  }
}

/**
 * Invites the client to a meeting on the connected Google account's primary
 * calendar (scope calendar.events), with invitations sent by Google. The
 * event id comes from the step's key, so a repeated insert is refused with
 * 409. Google does not promise to detect every id collision at creation
 * ("due to the globally distributed nature of the system", events.insert
 * reference), so a retried run also reads the event by its id first and
 * inserts only when the calendar has none: find before create, with the 409
 * as the second guard.
 */
export const createEvent = defineAction({
  id: "google.create-event",
  idempotent: "key",
  input: z.object({
    title: z.string().min(1).max(300),
    description: z.string().max(8000).default(""),
    start: z.iso.datetime(),
    durationMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60),
    attendee: z.object({ email: z.email(), name: z.string().max(200) }),
  }),
  async run(ctx, input) {
    const id = await eventId(ctx.idempotencyKey);
    // A first run has nothing to find; a retry may follow an insert whose answer was lost.
    const earlier = attemptOf(ctx) === "r0a1" ? null : await readEvent(ctx, id);
    if (earlier) return { eventId: earlier.id, url: earlier.htmlLink ?? null };
    const start = new Date(input.start);
    const end = new Date(start.getTime() + input.durationMinutes * 60_000);
    const google = googleClient(ctx);
    try {
      const created = await google.post("/calendar/v3/calendars/primary/events?sendUpdates=all", event, {
        id,
        summary: input.title,
        description: input.description,
        start: { dateTime: start.toISOString() },
        end: { dateTime: end.toISOString() },
        attendees: [{ email: input.attendee.email, displayName: input.attendee.name }],
        reminders: { useDefault: true },
      });
      return { eventId: created.id, url: created.htmlLink ?? null };
    } catch (error) {
      // 409: a previous attempt created it; the invitation went out then.
      if (error instanceof IntegrationError && error.httpStatus === 409) {
        const existing = await google.get(`/calendar/v3/calendars/primary/events/${id}`, event);
        return { eventId: existing.id, url: existing.htmlLink ?? null };
      }
      throw error;
    }
  },
});
