import { createRoute, z } from "@hono/zod-openapi";
import { apiRouter, errorResponses, json } from "../../api/router";
import { NotFoundError } from "../../errors";
import { actOnStep, changeJourney } from "./journey-actions";
import { FILTERS, type JourneyFilter, journeyView, listJourneyViews } from "./journey-view";
import { resolveReversal } from "./reversal-actions";

const STATUSES = ["running", "waiting", "paused", "complete", "failed", "unpaid", "cancelled"] as const;
const STEP_STATUSES = ["running", "succeeded", "failed", "waiting"] as const;

const NextStepSchema = z
  .object({
    step: z.string().openapi({ example: "onboarding.deposit-paid" }),
    stepLabel: z.string().openapi({
      description: "The step in the journey template's words; the raw name when unknown",
      example: "Deposit paid",
    }),
    status: z.enum(STEP_STATUSES),
    dueAt: z.string().nullable().openapi({ description: "When its delay or dated trigger fires, if known" }),
    waitingFor: z
      .string()
      .nullable()
      .openapi({ description: "`approval`, `operator` (a failed step awaiting retry/skip) or an event name" }),
    label: z.string().openapi({ example: "waiting for the invoice to be paid" }),
  })
  .openapi("JourneyNextStep");

const JourneySchema = z
  .object({
    id: z.string(),
    clientName: z.string().nullable().openapi({ example: "Grace Hopper" }),
    dealId: z.string().openapi({ example: "8401" }),
    dealUrl: z.string().nullable().openapi({
      example: "https://app.hubspot.com/contacts/4410040/record/0-3/8401",
      description: "Null while a lead's journey has no deal yet",
    }),
    contactUrl: z.string().nullable().openapi({ example: "https://app.hubspot.com/contacts/4410040/record/0-1/901" }),
    phase: z.enum(["lead", "onboarding", "fulfillment", "offboarding", "follow_up"]),
    status: z.enum(STATUSES),
    workflow: z.enum(["process"]).describe("The Workflow that runs the journey: the journey engine runs every one"),
    pausedFor: z.string().nullable().openapi({ description: "`owner`, or the provider to reconnect" }),
    next: NextStepSchema.nullable(),
    actions: z.array(z.enum(["pause", "resume", "cancel"])).openapi({ description: "Actions valid now" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Journey");

const StepSchema = z
  .object({
    name: z.string().openapi({ example: "onboarding.deposit-invoice" }),
    label: z.string().openapi({
      description:
        "The step in the journey template's words (a sub-step as `<step> — <part>`); the raw name when unknown",
      example: "Invoice the deposit",
    }),
    phase: z
      .string()
      .nullable()
      .openapi({ description: "The template phase's name; null for the engine's own steps", example: "Onboarding" }),
    status: z.enum(STEP_STATUSES),
    attempts: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    dueAt: z.string().nullable(),
    waitingFor: z.string().nullable(),
    result: z.unknown().openapi({ description: "The step's small JSON result (ids, urls)" }),
    links: z.array(z.object({ label: z.string(), href: z.string() })),
    error: z.object({ summary: z.string(), raw: z.string() }).nullable(),
    actions: z.array(z.enum(["retry", "skip", "approve"])).openapi({ description: "Actions valid now" }),
  })
  .openapi("JourneyStep");

const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ example: "j_4f2c…" }) });
const StepParams = IdParam.extend({
  step: z.string().min(3).max(120).openapi({ example: "onboarding.deposit-invoice" }),
});

const listRoute = createRoute({
  method: "get",
  path: "/",
  summary: "List the workspace's journeys with their next step",
  description:
    "`status` filters: `waiting` (running, waiting, unpaid), `failed`, `paused`, `done` (complete, cancelled), `all`.",
  tags: ["Journeys"],
  request: { query: z.object({ status: z.enum(Object.keys(FILTERS) as [JourneyFilter]).default("all") }) },
  responses: { 200: json(z.object({ journeys: z.array(JourneySchema) }), "The journeys"), ...errorResponses(400) },
});

const getRoute = createRoute({
  method: "get",
  path: "/{id}",
  summary: "One journey with its timeline",
  tags: ["Journeys"],
  request: { params: IdParam },
  responses: {
    200: json(
      z.object({
        journey: JourneySchema,
        steps: z.array(StepSchema),
        lastError: z
          .object({
            summary: z.string(),
            raw: z.string(),
            step: z.string().openapi({ description: "The failed step's name" }),
            label: z.string().openapi({ description: "The failed step in the template's words" }),
          })
          .nullable(),
      }),
      "The journey",
    ),
    ...errorResponses(404),
  },
});

const ChangedSchema = z
  .object({ journeyId: z.string(), action: z.enum(["pause", "resume", "cancel"]), status: z.enum(STATUSES) })
  .openapi("JourneyChanged");

const journeyActionRoute = (action: "pause" | "resume" | "cancel", summary: string) =>
  createRoute({
    method: "post",
    path: `/{id}/${action}`,
    summary,
    tags: ["Journeys"],
    request: { params: IdParam },
    responses: { 200: json(ChangedSchema, "Done; the journey's new status"), ...errorResponses(404, 409) },
  });

const SignalledSchema = z
  .object({
    journeyId: z.string(),
    step: z.string(),
    action: z.enum(["retry", "skip", "approve"]),
    outcome: z.literal("signalled"),
  })
  .openapi("StepSignalled");

const stepActionRoute = (action: "retry" | "skip" | "approve", summary: string, description: string) =>
  createRoute({
    method: "post",
    path: `/{id}/steps/{step}/${action}`,
    summary,
    description,
    tags: ["Journeys"],
    request: { params: StepParams },
    responses: {
      202: json(SignalledSchema, "The journey got the decision and acts on it"),
      ...errorResponses(404, 409),
    },
  });

const ReversalParams = IdParam.extend({
  reversalId: z
    .string()
    .min(1)
    .max(200)
    .openapi({ description: "The Stripe event that opened the reversal", example: "evt_1Q…" }),
});

const ResolvedSchema = z
  .object({
    journeyId: z.string(),
    reversalId: z.string(),
    resolvedBy: z.literal("owner"),
    outcome: z.string().openapi({ description: "`signalled` when the journey was woken; why not otherwise" }),
  })
  .openapi("ReversalResolved");

const resolveRoute = createRoute({
  method: "post",
  path: "/{id}/reversals/{reversalId}/resolve",
  summary: "Mark a money reversal resolved",
  description:
    "For a refund, a voided invoice or a lost dispute, which no Stripe event ends: recorded as resolved by the owner, on the timeline, and a phase it held goes on.",
  tags: ["Journeys"],
  request: { params: ReversalParams },
  responses: { 200: json(ResolvedSchema, "Resolved; the journey was told"), ...errorResponses(404, 409) },
});

/** Journeys: GET /api/journeys, GET /api/journeys/:id and the owner's actions on them. */
export const journeysApi = apiRouter()
  .openapi(listRoute, async (c) => {
    const { status } = c.req.valid("query");
    return c.json({ journeys: await listJourneyViews(c.env, c.get("session").workspaceId, status) }, 200);
  })
  .openapi(getRoute, async (c) => {
    const view = await journeyView(c.env, c.get("session").workspaceId, c.req.valid("param").id);
    if (!view) throw new NotFoundError("unknown_journey", "No such journey");
    return c.json(view, 200);
  });

for (const [action, summary] of [
  ["pause", "Pause a running or waiting journey"],
  ["resume", "Resume a journey the owner paused"],
  ["cancel", "Cancel a journey (stops its run for good)"],
] as const) {
  journeysApi.openapi(journeyActionRoute(action, summary), async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await changeJourney(c.env, c.get("session").workspaceId, id, action), 200);
  });
}

for (const [action, summary, description] of [
  [
    "retry",
    "Retry a failed step",
    "Runs the step's action again with the same idempotency key (no duplicate invoice or email).",
  ],
  [
    "skip",
    "Skip a failed or waiting step",
    "The step is recorded as skipped by the owner and the journey goes on without it.",
  ],
  ["approve", "Approve a step waiting for approval", "The step runs once approved."],
] as const) {
  journeysApi.openapi(stepActionRoute(action, summary, description), async (c) => {
    const { id, step } = c.req.valid("param");
    const { workspaceId, googleSub } = c.get("session");
    return c.json(await actOnStep(c.env, workspaceId, id, step, action, googleSub), 202);
  });
}

journeysApi.openapi(resolveRoute, async (c) => {
  const { id, reversalId } = c.req.valid("param");
  return c.json(await resolveReversal(c.env, c.get("session").workspaceId, id, reversalId), 200);
});
