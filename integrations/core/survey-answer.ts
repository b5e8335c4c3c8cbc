import { z } from "zod";

/**
 * A client's answer to the satisfaction survey, as the record-survey actions
 * of HubSpot and Notion receive it (the app reads it from its store; the
 * actions only write it to the provider).
 */
export const surveyAnswer = z.object({
  id: z.string().min(1).max(100),
  score: z.number().int().min(0).max(10),
  comment: z.string().max(2000).nullable(),
});

/** A survey answer (see `surveyAnswer`). */
export type SurveyAnswer = z.infer<typeof surveyAnswer>;
