import { z } from "@hono/zod-openapi";
import { templateSchema } from "../engine/template-schema";

/** The schemas of the process API (request validation and the OpenAPI document). */
export const TAGS = ["Process"];

export const ProcessTemplate = templateSchema.openapi("ProcessTemplate");
/** Checked in full on save (every problem listed in a 422), so the body schema itself only asks for an object. */
export const TemplateInput = z
  .record(z.string(), z.unknown())
  .openapi("ProcessTemplateInput", { description: "A process template (the shape of ProcessTemplate)" });
export const TemplateVersion = z
  .object({
    templateId: z.string(),
    version: z.number().int().openapi({ description: "0 for the built-in default that was never saved" }),
    template: ProcessTemplate,
    createdBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("ProcessTemplateVersion");
export const VersionEntry = z.object({
  version: z.number().int(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export const HistoryEntry = z
  .object({
    version: z.number().int(),
    name: z.string(),
    savedAt: z.string(),
    savedBy: z.string().nullable().openapi({ description: "The owner's email (or Google id) who saved it" }),
  })
  .openapi("ProcessTemplateHistoryEntry");
/** Checks against the connected accounts that were skipped (a provider not connected or not answering). */
export const WARNINGS = z.array(z.string()).openapi({
  description: "Checks that were skipped: a provider not connected, or not answering; saving is still allowed",
});
export const Problems = z
  .object({
    error: z.literal("invalid_template"),
    message: z.string(),
    details: z.array(z.string()),
    problems: z.array(z.object({ path: z.string(), message: z.string() })).openapi({
      description: 'Each problem on a dotted path (e.g. "phases.1.steps.3.inputs.subject"; "" for the whole template)',
    }),
    warnings: WARNINGS,
  })
  .openapi("ProcessTemplateProblems");
export const TemplateIdParam = z.object({
  templateId: z.string().openapi({ param: { name: "templateId", in: "path" }, example: "coaching" }),
});
export const VersionParam = z.object({
  version: z.coerce
    .number()
    .int()
    .min(1, "Versions are positive whole numbers")
    .openapi({ param: { name: "version", in: "path" }, example: 2 }),
});

export const PreviewRequest = z
  .object({
    subject: z.string().max(300).optional(),
    body: z.string().max(10_000).optional(),
    stepId: z.string().max(41).optional().openapi({
      description: "The step being previewed: only steps before it provide {{steps.<id>.<output>}}",
    }),
    templateId: z.string().max(40).optional().openapi({ description: "The saved template the step belongs to" }),
    template: z
      .looseObject({
        phases: z.array(
          z.looseObject({
            steps: z.array(
              z.looseObject({
                id: z.string(),
                action: z.string(),
                inputs: z.record(z.string(), z.unknown()).optional(),
              }),
            ),
          }),
        ),
      })
      .optional()
      .openapi({ description: "A draft template (instead of templateId): the editor's unsaved steps" }),
  })
  .refine((b) => b.subject !== undefined || b.body !== undefined, "Give a subject, a body or both")
  .openapi("ProcessPreviewRequest");
export const PreviewResponse = z
  .object({
    subject: z.string().nullable(),
    body: z.string().nullable().openapi({ description: "The text part as the email sends it" }),
    html: z.string().nullable().openapi({ description: "The HTML part as the email sends it" }),
    unknownFields: z.array(z.string()).openapi({ description: "Merge fields no data defines, left as written" }),
    emptyFields: z.array(z.string()).openapi({ description: "Known fields still empty at this step" }),
    fields: z.array(z.string()).openapi({ description: "Merge fields this step can use" }),
  })
  .openapi("ProcessPreview");
export const MergeDataSchema = z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number(), z.null()])));
export const SampleResponse = z
  .object({
    deal: z.object({
      dealId: z.string(),
      name: z.string(),
      amount: z.number().nullable(),
      url: z.string(),
      description: z.string().nullable(),
      contact: z.object({
        id: z.string(),
        email: z.string(),
        firstName: z.string(),
        lastName: z.string(),
        company: z.string().nullable(),
      }),
      lineItems: z.array(z.object({ name: z.string(), quantity: z.number(), unitPrice: z.number() })),
    }),
    data: MergeDataSchema.openapi({ description: "Every merge field's sample value, by group" }),
    fields: z.array(z.string()),
  })
  .openapi("ProcessSample");
