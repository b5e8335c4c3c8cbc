import { exports } from "cloudflare:workers";
import { createProjectCard } from "../../integrations/notion/actions/create-project-card";
import { runStepAction } from "../../src/connections/action-context";
import type { AppEnv } from "../../src/env";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { saveConnection } from "../../src/store/connections";
import { recordJourneyCard } from "../../src/store/journey-cards";
import { insertJourney } from "../../src/store/journeys";
import { APP, awaitIntake, connectWorkspace, NOTION_BOARD, NOTION_TOKEN, type World } from "../world";

/**
 * A workspace with every provider connected, whose Notion connection names
 * the Notion workspace its webhook events come from (`connectWorkspace`
 * leaves it unset).
 */
export async function connectWithNotionWorkspace(
  env: AppEnv,
  workspaceId: string,
  portalId: string,
  notionWorkspaceId: string,
) {
  await connectWorkspace(env, workspaceId, portalId);
  await saveConnection(env.DB, env, {
    workspaceId,
    provider: "notion",
    externalAccountId: notionWorkspaceId,
    credentials: { accessToken: NOTION_TOKEN },
    config: { boardId: NOTION_BOARD },
    source: "oauth",
  });
}

/**
 * POSTs a delivery to the Worker's Notion receiver (`suffix`: a path or query after /webhooks/notion), the way
 * Notion sends it; an accepted event is returned once the intake consumer processed it.
 */
export async function postNotion(delivery: { body: string; headers: Record<string, string> }, suffix = "") {
  const response = await exports.default.fetch(`${APP}/webhooks/notion${suffix}`, {
    method: "POST",
    headers: delivery.headers,
    body: delivery.body,
  });
  return awaitIntake(response);
}

/**
 * Notion's one-time verification request, sent to a subscription URL: the
 * public integration's (`/webhooks/notion`) unless `path` names another
 * (an internal integration's `/w/<id>`).
 */
export function postHandshake(world: World, token = world.notion.webhook.token, path = "") {
  return postNotion({ body: world.notion.handshakeBody(token), headers: { "content-type": "application/json" } }, path);
}

/**
 * A journey in fulfillment without a running Workflow: its won deal in
 * HubSpot, its card on the board (status Onboarding, made by the real
 * action) and the card recorded on the journey, as onboarding leaves them.
 */
export async function journeyWithCard(world: World, env: AppEnv, workspaceId: string, dealId: string) {
  world.hubspot.addDeal(dealId, { properties: { dealname: `Website ${dealId}`, dealstage: "closedwon" } });
  const journeyId = await onboardingJourneyId(workspaceId, dealId);
  await insertJourney(env.DB, { id: journeyId, workspaceId, dealId });
  const card = await runStepAction(
    env,
    createProjectCard,
    { workspaceId, journeyId, idempotencyKey: `${journeyId}:notion.create-project-card` },
    {
      title: `Website ${dealId}`,
      status: "Onboarding",
      clientName: "Cobol & Co",
      dealUrl: `https://app.hubspot.test/contacts/1/record/0-3/${dealId}`,
      invoiceUrl: "https://invoice.stripe.test/i/1",
      dueDate: "2026-12-20",
      checklist: ["Kickoff"],
    },
  );
  await recordJourneyCard(env.DB, journeyId, card.pageId);
  return { journeyId, pageId: card.pageId };
}
