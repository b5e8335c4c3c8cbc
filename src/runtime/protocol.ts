import type { WorkflowStep, WorkflowTimeoutDuration } from "cloudflare:workers";
import { NonRetryableError } from "cloudflare:workflows";
import { z } from "zod";
import type { Provider } from "../store/connections";
import { isEngineAbort } from "./platform";
import { REVERSAL_KINDS, REVERSAL_STATES } from "./reversal-kinds";

/**
 * Every signal sent into a running journey: the Workflow event type it
 * travels as and its payload schema (inngest's `eventType(name, { schema })`
 * is the model). Senders go through `sendSignal`, waits through
 * `waitForSignal` / `waitForFirstSignal`: a payload is checked on both sides.
 */
export interface Signal<S extends z.ZodType = z.ZodType> {
  /** The Workflow event type: letters, digits, `-` and `_` (no dots), at most 100 characters. */
  readonly type: string;
  readonly schema: S;
}

/**
 * A signal addressed to one step (its name is in the type): exactly one wait
 * ever listens for it, the only kind `waitForFirstSignal` accepts.
 */
export interface StepSignal<S extends z.ZodType = z.ZodType> extends Signal<S> {
  readonly step: string;
}

/** What a sender passes (before defaults) and what a wait receives. */
export type SignalInput<G extends Signal> = z.input<G["schema"]>;
export type SignalPayload<G extends Signal> = z.output<G["schema"]>;

const EVENT_TYPE = /^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$/;

/** Declares a journey-wide signal. */
export function defineSignal<S extends z.ZodType>(type: string, options: { schema: S }): Signal<S> {
  if (!EVENT_TYPE.test(type)) throw new Error(`Not a Workflow event type: ${type}`);
  return { type, schema: options.schema };
}

/** Declares a per-step signal: `prefix-<step>`, the step name's other characters turned into dashes. */
export function defineStepSignal<S extends z.ZodType>(prefix: string, options: { schema: S }) {
  return (step: string): StepSignal<S> => ({
    ...defineSignal(`${prefix}-${step.replace(/[^a-zA-Z0-9_-]/g, "-")}`, options),
    step,
  });
}

/** A payload the protocol refused; `side` says whether it was being sent or received. */
export class SignalPayloadError extends Error {
  override name = "SignalPayloadError";
  constructor(
    readonly type: string,
    readonly side: "send" | "receive",
    readonly issues: string,
  ) {
    super(`Signal ${type}: payload refused on ${side}: ${issues}`);
  }
}

function parse<G extends Signal>(signal: G, payload: unknown, side: "send" | "receive"): SignalPayload<G> {
  const parsed = signal.schema.safeParse(payload);
  if (parsed.success) return parsed.data as SignalPayload<G>;
  const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`).join("; ");
  const error = new SignalPayloadError(signal.type, side, issues);
  // In a Workflow a refused payload ends the run: retrying cannot make the event valid.
  throw side === "receive" ? new NonRetryableError(error.message, error.name) : error;
}

/** Sends a signal to a journey's Workflow instance; a payload that does not fit the schema is never sent. */
export async function sendSignal<G extends Signal>(
  instance: Pick<WorkflowInstance, "sendEvent">,
  signal: G,
  payload: SignalInput<G>,
): Promise<void> {
  await instance.sendEvent({ type: signal.type, payload: parse(signal, payload, "send") });
}

/** How long a wait may last: Workflows' duration strings or milliseconds. */
export type WaitTimeout = WorkflowTimeoutDuration | number;

/** A wait's outcome: the parsed payload, or the explicit timeout (an engine abort is thrown, never reported as one). */
export type Waited<T> = { timedOut: false; payload: T } | { timedOut: true };

/**
 * Waits (as the permanent step `stepName`) for a signal. A payload that does
 * not fit the schema ends the run (NonRetryableError).
 */
export async function waitForSignal<G extends Signal>(
  step: WorkflowStep,
  stepName: string,
  signal: G,
  options: { timeout: WaitTimeout },
): Promise<Waited<SignalPayload<G>>> {
  const received = await settle(step, stepName, signal, options.timeout);
  return received.timedOut ? received : { timedOut: false, payload: parse(signal, received.payload, "receive") };
}

/** A wait's raw outcome: an engine abort is rethrown; any other refusal of the wait is its timeout. */
async function settle(step: WorkflowStep, stepName: string, signal: Signal, timeout: WaitTimeout) {
  try {
    const event = await step.waitForEvent(stepName, { type: signal.type, timeout });
    return { timedOut: false as const, payload: event.payload as unknown };
  } catch (error) {
    if (isEngineAbort(error)) throw error;
    return { timedOut: true as const };
  }
}

/** The waits `waitForFirstSignal` races: each a permanent step name and a per-step signal. */
export type SignalRace = Record<string, { stepName: string; signal: StepSignal }>;

/** Which of the raced signals arrived first (with its payload), or the timeout. */
export type FirstSignal<R extends SignalRace> =
  | { timedOut: true }
  | { [K in keyof R & string]: { timedOut: false; signal: K; payload: SignalPayload<R[K]["signal"]> } }[keyof R &
      string];

/**
 * Waits for whichever of several per-step signals comes first (or the
 * timeout), and records the winner as the step `outcomeStep`.
 *
 * Why the restrictions: a losing `waitForEvent` is never cancelled; it keeps
 * its place in the engine's queue for its type and takes the next event of
 * that type (seen under miniflare), so racing a type that a later wait also
 * listens for would lose that later event. Per-step types have one wait each.
 * And on a replay more than one of the raced waits may hold an event, so the
 * winner is read from the recorded step, not from the race.
 */
export async function waitForFirstSignal<R extends SignalRace>(
  step: WorkflowStep,
  outcomeStep: string,
  waits: R,
  options: { timeout: WaitTimeout },
): Promise<FirstSignal<R>> {
  const raced = Object.entries(waits).map(async ([key, wait]) => ({
    key,
    ...(await settle(step, wait.stepName, wait.signal, options.timeout)),
  }));
  // The losers settle later (or never); an abort rejects them all, and only the race's rejection is ours to throw.
  for (const wait of raced) wait.catch(() => undefined);
  const first = await Promise.race(raced);
  const recorded = JSON.parse(
    await step.do(outcomeStep, async () =>
      JSON.stringify(first.timedOut ? { key: null } : { key: first.key, payload: first.payload }),
    ),
  ) as { key: string | null; payload?: unknown };
  const wait = recorded.key === null ? undefined : waits[recorded.key];
  if (!wait) return { timedOut: true };
  const payload = parse(wait.signal, recorded.payload, "receive");
  return { timedOut: false, signal: recorded.key, payload } as FirstSignal<R>;
}

// ---------------------------------------------------------------------------
// The signals. Names are permanent: a running instance waits for these types.

/**
 * The owner skipping a step that waits for an event: delivered as that event,
 * so the wait it ends is the one that takes it (an invoice wait takes only
 * its own invoice's skip).
 */
const ownerSkip = z.object({ skippedBy: z.literal("owner"), invoiceId: z.string().nullable().optional() });
const id = z.string().min(1).max(200);

/** The deal was won (a journey that started as a lead goes on into onboarding). */
export const dealWon = defineSignal("hubspot-deal-won", { schema: z.union([z.object({ dealId: id }), ownerSkip]) });

/** The client accepted the agreement on the hosted contract page. */
export const contractSigned = defineSignal("contract-signed", {
  schema: z.union([z.object({ contractId: id, acceptedAt: z.iso.datetime() }), ownerSkip]),
});

/** Stripe's `invoice.paid` for an invoice whose metadata names the journey. */
export const invoicePaid = defineSignal("stripe-invoice-paid", {
  schema: z.union([z.object({ invoiceId: id, eventId: id, paidAt: z.iso.datetime() }), ownerSkip]),
});

/** Stripe's `invoice.payment_failed` (a template step may wait for it). */
export const paymentFailed = defineSignal("stripe-invoice-payment-failed", {
  schema: z.union([z.object({ invoiceId: id, eventId: id }), ownerSkip]),
});

/**
 * The journey's card changed in Notion: ids only, the journey re-reads the
 * page. Not skippable: a card status can only be reached in Notion.
 */
export const notionPageChanged = defineSignal("notion-page-changed", {
  schema: z.object({ pageId: id, eventId: id }),
});

/** The client answered the satisfaction survey: ids and the score, never the comment. */
export const surveyAnswered = defineSignal("survey-answered", {
  schema: z.union([z.object({ surveyId: id, score: z.number().int().min(0).max(10) }), ownerSkip]),
});

/**
 * Money reversed on one of the journey's own invoices (docs/reversals.md):
 * a refund, dispute, voided or uncollectible invoice or failed instalment
 * opened, or resolved (a dispute won, an instalment paid). Ids only; the
 * journey applies its pinned template's `reversals` rules. Not a template
 * event: no step waits for it by name, the phase hold does.
 */
export const moneyReversed = defineSignal("stripe-reversal", {
  schema: z.object({
    kind: z.enum(REVERSAL_KINDS),
    state: z.enum(REVERSAL_STATES),
    invoiceId: id,
    eventId: id,
    partial: z.boolean().optional(),
  }),
});

/** The signal each template event (`provider.object.verb`) arrives as. */
export const EVENT_SIGNALS = {
  "hubspot.deal.won": dealWon,
  "contract.signed": contractSigned,
  "stripe.invoice.paid": invoicePaid,
  "stripe.invoice.payment_failed": paymentFailed,
  "notion.project.status_changed": notionPageChanged,
  "survey.answered": surveyAnswered,
} as const;

/** A template event whose wait the owner may skip. */
export type SkippableEvent = Exclude<keyof typeof EVENT_SIGNALS, "notion.project.status_changed">;

/** Whether the owner may skip a wait for this event. */
export const isSkippableEvent = (event: string | null): event is SkippableEvent =>
  event !== null && event in EVENT_SIGNALS && event !== "notion.project.status_changed";

/** The owner connected a provider again: every journey paused on it resumes. */
export const connectionRestored = (provider: Provider) =>
  defineSignal(`connection-restored-${provider}`, { schema: z.object({ provider: z.literal(provider) }) });

/** The owner approves a gated step, or skips it (dashboard or emailed link). */
export const approval = defineStepSignal("approval", {
  schema: z.object({ step: z.string(), by: z.string().min(1), skip: z.boolean().optional() }),
});

/** The owner's decision on a step that failed for good and holds the journey. */
export const operatorDecision = defineStepSignal("operator", {
  schema: z.object({ action: z.enum(["retry", "skip"]), by: z.string().optional() }),
});

/** The owner skips a step that waits for its delay or date: the step is skipped, the journey goes on. */
export const skipDelay = defineStepSignal("skip-delay", { schema: z.object({ by: z.string().min(1) }) });

/**
 * The client bought again (a new deal for the same contact): a follow-up
 * delay ends the journey instead of running its step. Sent to each delay
 * step of the phase, so the delay the journey is in, or the next one, takes it.
 */
export const repurchased = defineStepSignal("client-repurchased", { schema: z.object({ dealId: id }) });
