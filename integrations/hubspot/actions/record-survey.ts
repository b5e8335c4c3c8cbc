import { z } from "zod";
import { defineAction } from "../../core/define";
import { surveyAnswer } from "../../core/survey-answer";
import { hubspotClient } from "../client";
import { writeWithDealProperties } from "../deal-properties";
import { crmObjectSchema } from "../schemas";

/** The deal properties that hold the survey answer; created on first use in the deal information group. */
export const SURVEY_DEAL_PROPERTIES = {
  clientflow_survey_score: { label: "Clientflow survey score (0-10)", type: "number", fieldType: "number" },
  clientflow_survey_comment: { label: "Clientflow survey comment", type: "string", fieldType: "textarea" },
} as const;

type SurveyDealProperty = keyof typeof SURVEY_DEAL_PROPERTIES;

/**
 * Writes the client's survey answer (score and comment) onto the deal. The
 * app reads the answer and marks it synced; a PATCH of the same values is
 * naturally idempotent. The PATCH goes first; the survey properties are
 * created only when HubSpot answers that they do not exist, then the PATCH
 * is sent again (writeWithDealProperties).
 * https://developers.hubspot.com/docs/api-reference/crm-deals-v3/basic/patch-crm-v3-objects-deals-dealId
 */
export const recordSurvey = defineAction({
  id: "hubspot.record-survey",
  idempotent: "natural",
  input: z.object({ dealId: z.string().regex(/^\d+$/), survey: surveyAnswer }),
  async run(ctx, { dealId, survey }) {
    const hubspot = hubspotClient(ctx);
    const definitions = (Object.keys(SURVEY_DEAL_PROPERTIES) as SurveyDealProperty[]).map((name) => ({
      name,
      ...SURVEY_DEAL_PROPERTIES[name],
    }));
    const properties: Record<SurveyDealProperty, string> = {
      clientflow_survey_score: String(survey.score),
      clientflow_survey_comment: survey.comment ?? "",
    };
    const deal = await writeWithDealProperties(hubspot, definitions, () =>
      hubspot.request("PATCH", `/crm/v3/objects/deals/${dealId}`, crmObjectSchema, { properties }),
    );
    return { dealId: deal.id, surveyId: survey.id, score: survey.score };
  },
});
