import { defineIntegration } from "../core/define";
import { archiveCard } from "./actions/archive-card";
import { createProjectCard } from "./actions/create-project-card";
import { flagCard } from "./actions/flag-card";
import { getCard } from "./actions/get-card";
import { moveCard } from "./actions/move-card";
import { recordSurvey } from "./actions/record-survey";
import { notionOAuth } from "./oauth";

/** Notion: the project board is the fulfillment tracker. Its pages are shared with the integration, not scoped. */
export const notion = defineIntegration({
  id: "notion",
  name: "Notion",
  role: "The project board: one card per client.",
  auth: { oauth: notionOAuth, scopes: [] },
  bases: (env) => ({ apiBase: env.NOTION_API_BASE }),
  webhook: { path: "/webhooks/notion", events: ["page.properties_updated"] },
  actions: {
    archiveCard,
    createProjectCard,
    flagCard,
    getCard,
    moveCard,
    recordSurvey,
  },
});
