// zod as @hono/zod-openapi extends it: the process API documents these schemas (`.openapi`), and a schema
// built before that extension loaded would lack it, whichever module happens to load first.
import { z } from "@hono/zod-openapi";
import { ACTION_NAMES, ANCHORS, PROCESS_EVENTS } from "./action-catalog";
import { reversalsSchema } from "./reversal-rules";

export const PHASES = ["lead", "onboarding", "fulfillment", "offboarding", "follow_up"] as const;

const duration = z.object({
  amount: z.number().int().min(0).max(1000),
  unit: z.enum(["hours", "days", "weeks", "months"]),
});

/** What a journey does when the event a step waits for never comes. */
export const TIMEOUT_OUTCOMES = ["fail", "skip", "end_unpaid"] as const;

/**
 * The timeout path of an event wait: how long to wait on after the last
 * reminder (or from the start, without reminders), then the outcome: `fail`
 * (the journey fails), `skip` (the step is skipped, the journey goes on) or
 * `end_unpaid` (the journey ends as unpaid). `dealStatus`, when given, is
 * written to the deal's Clientflow status first. Without a timeout, a wait
 * fails the journey after a year.
 */
const timeoutSchema = z.object({
  after: duration,
  outcome: z.enum(TIMEOUT_OUTCOMES),
  dealStatus: z.string().min(1).max(300).optional(),
});

/** When a step runs. */
export const triggerSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("after_previous") }),
  z.object({ type: z.literal("after"), steps: z.array(z.string()).min(1) }),
  z.object({
    type: z.literal("event"),
    event: z.enum(PROCESS_EVENTS),
    status: z.string().optional(),
    timeout: timeoutSchema.optional(),
  }),
  z.object({ type: z.literal("delay"), wait: duration, from: z.enum(ANCHORS) }),
  z.object({ type: z.literal("date"), at: z.iso.datetime() }),
]);

/** Run the step only if the deal matches. */
const conditionSchema = z
  .object({
    lineItemNameContains: z.string().min(1).max(100).optional(),
    dealAmountAtLeast: z.number().min(0).optional(),
  })
  .refine((c) => Object.keys(c).length > 0, "A condition needs at least one test");

/** Nudges while the step's gate is still open (e.g. 3 days after, if still unpaid). */
const reminderSchema = z.object({
  after: duration,
  while: z.enum(["unpaid", "unsigned"]),
  subject: z.string().min(1).max(300),
  body: z.string().min(1).max(5000),
  max: z.number().int().min(1).max(10).default(3),
});

export const stepSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, "Step ids are lower-case words joined by dashes"),
  name: z.string().min(1).max(120),
  action: z.enum(ACTION_NAMES, { error: (issue) => `Unknown action ${String(issue.input)}` }),
  inputs: z.record(z.string(), z.union([z.string().max(10_000), z.number(), z.boolean()])).default({}),
  trigger: triggerSchema.default({ type: "after_previous" }),
  condition: conditionSchema.optional(),
  approval: z.boolean().default(false),
  reminders: z.array(reminderSchema).max(5).default([]),
});

export const phaseSchema = z.object({
  id: z.enum(PHASES),
  name: z.string().min(1).max(80),
  steps: z.array(stepSchema).max(50),
});

export const templateSchema = z.object({
  name: z.string().min(1).max(120),
  /** The HubSpot deal pipeline this template serves; deals in other pipelines run the default template. */
  pipeline: z.string().min(1).max(100).optional(),
  phases: z.array(phaseSchema).min(1).max(PHASES.length),
  /**
   * Write the phase onto the HubSpot deal (`clientflow_status`) as each phase
   * starts. Versions saved before this field existed lack it and write
   * nothing, so a running journey's pinned template keeps its steps.
   */
  writeback: z.boolean().default(true),
  /**
   * What follows a refund, dispute, voided or uncollectible invoice or a
   * failed instalment (docs/reversals.md). Optional without a default:
   * versions saved before it existed keep running without reversal steps.
   */
  reversals: reversalsSchema.optional(),
});

export type ProcessTemplate = z.output<typeof templateSchema>;
export type ProcessStep = z.output<typeof stepSchema>;
export type ProcessPhase = z.output<typeof phaseSchema>;
export type WaitTimeout = z.output<typeof timeoutSchema>;
