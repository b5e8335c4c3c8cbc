import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { ensureContract } from "../../src/contracts/create-contract-action";
import { renderContract } from "../../src/contracts/render-contract";
import { insertJourney, updateJourney } from "../../src/store/journeys";
import { findOwner } from "../../src/store/owners";
import { type Browser, signIn } from "../browser";
import { connectWorkspace, type useWorld } from "../world";
import { FORM_HEADERS, form, mergeData, sha256 } from "./helpers";

/** The client's IP and user agent as the agreement page records them. */
export const IP = "203.0.113.41";
export const UA = "Mozilla/5.0 (Evidence test)";

/** A signed-in owner with a connected workspace. */
export interface Owner {
  browser: Browser;
  workspaceId: string;
}

/** Signs an owner in and connects their workspace (HubSpot portal `portal`). */
export async function owner(world: ReturnType<typeof useWorld>, sub: string, portal: string): Promise<Owner> {
  const { browser } = await signIn(world, { sub, email: `${sub}@studio.test` });
  const workspaceId = (await findOwner(env.DB, sub))?.workspaceId ?? "";
  await connectWorkspace(env, workspaceId, portal);
  return { browser, workspaceId };
}

/** A journey on the built-in default template (version 0) with its agreement sent; returns the text and its page. */
export async function journeyWithAgreement(workspaceId: string, journeyId: string) {
  await insertJourney(env.DB, { id: journeyId, workspaceId, dealId: `d-${journeyId}`, templateVersion: 0 });
  await updateJourney(env.DB, journeyId, { clientName: "Grace Hopper", contactId: "901" });
  const { title, text } = renderContract({ data: mergeData(), lineItems: ["Brand guide"], date: "2026-11-20" });
  const { url } = await ensureContract(env, { workspaceId, journeyId, title, text });
  return { text, path: new URL(url).pathname };
}

/** The client accepts on the hosted page, as a browser behind Cloudflare does. */
export async function accept(path: string, text: string) {
  const response = await exports.default.fetch(`https://clientflow.test${path}`, {
    method: "POST",
    headers: { ...FORM_HEADERS, "cf-connecting-ip": IP, "user-agent": UA },
    body: form({ name: "Grace Hopper", text_sha256: await sha256(text) }),
  });
  expect(response.status).toBeLessThan(400);
}
