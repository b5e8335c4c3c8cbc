import { env, exports } from "cloudflare:workers";
import { ensureContract } from "../../src/contracts/create-contract-action";
import { renderContract } from "../../src/contracts/render-contract";
import type { MergeData } from "../../src/engine/merge-fields";
import type { AppEnv } from "../../src/env";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { insertJourney } from "../../src/store/journeys";

export const ORIGIN = "https://clientflow.test";

/** Onboarding merge data as the journey builds it, with a deal name the test chooses. */
export function mergeData(dealName = "Brand sprint"): MergeData {
  return {
    client: {
      firstName: "Grace",
      lastName: "Hopper",
      fullName: "Grace Hopper",
      email: "grace@client.test",
      company: "Cobol & Co",
    },
    deal: { name: dealName, url: "https://app.hubspot.test/deal/1", description: "Four weekly strategy sessions" },
    invoice: { url: "https://invoice.stripe.test/i/1", number: "INV-0001", amount: "$2,400.00", dueDate: "2026-11-27" },
    project: { startDate: "2026-11-20", dueDate: "2026-12-20", url: "https://notion.test/card" },
    agreement: { url: "" },
    business: { name: "Bright Studio", senderName: "Ada at Bright Studio" },
  };
}

/** A workspace and a journey row (no Workflow instance behind it). */
export async function insertWorkspaceAndJourney(workspaceId: string, journeyId: string): Promise<void> {
  await upsertWorkspace(env.DB, { id: workspaceId, name: "Bright Studio", settings: {} });
  await insertJourney(env.DB, { id: journeyId, workspaceId, dealId: `deal-${journeyId}` });
}

/** A journey with its contract sent; returns the contract id, its URL and its path. */
export async function sentContract(workspaceId: string, journeyId: string, dealName?: string) {
  await insertWorkspaceAndJourney(workspaceId, journeyId);
  const { title, text } = renderContract({
    data: mergeData(dealName),
    lineItems: ["Strategy session × 4", "Brand guide"],
    date: "2026-11-20",
  });
  const ensured = await ensureContract(env, { workspaceId, journeyId, title, text });
  return { ...ensured, path: new URL(ensured.url).pathname, text };
}

export interface ContractRow {
  id: string;
  status: string;
  body_text: string;
  body_sha256: string;
  token_hash: string;
  accepted_at: string | null;
  accepted_name: string | null;
  accepted_ip: string | null;
  accepted_user_agent: string | null;
  accepted_text_sha256: string | null;
  audit_signature: string | null;
  signal_outcome: string | null;
  updated_at: string;
}

export async function contractRow(contractId: string): Promise<ContractRow> {
  const row = await env.DB.prepare("SELECT * FROM contracts WHERE id = ?").bind(contractId).first<ContractRow>();
  if (!row) throw new Error(`no contract ${contractId}`);
  return row;
}

/** SHA-256 hex computed here, independently of the app's helper. */
export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The acceptance form as the page posts it. */
export function form(fields: Record<string, string> | [string, string][]): string {
  return new URLSearchParams(fields).toString();
}

/** A request to the real Worker. */
export function fetchWorker(path: string, init: RequestInit = {}) {
  return exports.default.fetch(`${ORIGIN}${path}`, init);
}

export const FORM_HEADERS = { "content-type": "application/x-www-form-urlencoded" };

/** An event that reached a journey's Workflow instance. */
export interface SentEvent {
  instanceId: string;
  type: string;
  payload: unknown;
}

/**
 * The env with Workflow bindings that record every event sent to an
 * instance (a binding's get + sendEvent is all signalJourney touches of a
 * Workflow). The journey Workflow is replaced.
 */
export function envRecordingEvents(sent: SentEvent[]): AppEnv {
  const binding = {
    get: async (instanceId: string) => ({
      id: instanceId,
      sendEvent: async (event: { type: string; payload: unknown }) => {
        sent.push({ instanceId, type: event.type, payload: event.payload });
      },
    }),
  } as unknown as Workflow;
  return { ...env, JOURNEYS: binding } as AppEnv;
}
