import { defineIntegration } from "../define";
import { createProjectCard } from "./actions/create-project-card";
import { moveCard } from "./actions/move-card";
import { recordSurvey } from "./actions/record-survey";

/** Notion: the project board is the fulfillment tracker. */
export const notion = defineIntegration({
  id: "notion",
  auth: { kind: "oauth2", scopes: [] },
  actions: {
    createProjectCard,
    moveCard,
    recordSurvey,
  },
});
