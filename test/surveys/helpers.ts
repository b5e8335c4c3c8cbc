import { env, exports } from "cloudflare:workers";
import { app } from "../../src/app";
import type { AppEnv } from "../../src/env";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { insertJourney } from "../../src/store/journeys";
import type { SurveyRow } from "../../src/store/surveys";
import { ensureSurvey } from "../../src/surveys/surveys";

export const ORIGIN = "https://clientflow.test";
export const QUESTION = "How likely are you to recommend Bright Studio to a friend or colleague?";
export const FORM_HEADERS = { "content-type": "application/x-www-form-urlencoded" };

/** A workspace and a journey row (no Workflow instance behind it). */
export async function insertWorkspaceAndJourney(workspaceId: string, journeyId: string): Promise<void> {
  await upsertWorkspace(env.DB, { id: workspaceId, name: "Bright Studio", settings: {} });
  await insertJourney(env.DB, { id: journeyId, workspaceId, dealId: `deal-${journeyId}` });
}

/** A journey with its survey sent; returns the survey id, its URL and its path. */
export async function sentSurvey(workspaceId: string, journeyId: string, question = QUESTION) {
  await insertWorkspaceAndJourney(workspaceId, journeyId);
  const ensured = await ensureSurvey(env, { workspaceId, journeyId, question });
  return { ...ensured, path: new URL(ensured.url).pathname, token: new URL(ensured.url).pathname.slice(3) };
}

export async function surveyRow(surveyId: string): Promise<SurveyRow> {
  const row = await env.DB.prepare("SELECT * FROM surveys WHERE id = ?").bind(surveyId).first<SurveyRow>();
  if (!row) throw new Error(`no survey ${surveyId}`);
  return row;
}

/** SHA-256 hex computed here, independently of the app's helper. */
export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A form body as a browser posts it. */
export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** A request to the real Worker. */
export function fetchWorker(path: string, init: RequestInit = {}) {
  return exports.default.fetch(`${ORIGIN}${path}`, init);
}

/**
 * A form POST of an answer: to the real Worker, or through the app with the
 * given env (e.g. one whose Workflow bindings record events).
 */
export function postAnswer(path: string, fields: Record<string, string>, withEnv?: AppEnv) {
  const init = { method: "POST", headers: FORM_HEADERS, body: form(fields) };
  return withEnv ? app.request(`${ORIGIN}${path}`, init, withEnv) : fetchWorker(path, init);
}

/** An event that signalJourney sent to a journey's Workflow instance. */
export interface SentEvent {
  instanceId: string;
  type: string;
  payload: unknown;
}

/**
 * The env whose Workflow bindings record each event sent to an instance and
 * then hand it on to the real instance (`forward`), or drop it. A binding's
 * get + sendEvent is all signalJourney touches of a Workflow.
 */
export function envRecordingEvents(sent: SentEvent[], forward = false): AppEnv {
  const recording = (real: Workflow) =>
    ({
      get: async (instanceId: string) => {
        const instance = forward ? await real.get(instanceId) : null;
        return {
          id: instanceId,
          sendEvent: async (event: { type: string; payload: unknown }) => {
            sent.push({ instanceId, type: event.type, payload: event.payload });
            await instance?.sendEvent(event);
          },
        };
      },
    }) as unknown as Workflow;
  return { ...env, JOURNEYS: recording(env.JOURNEYS) } as AppEnv;
}
