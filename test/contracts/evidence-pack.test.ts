import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  canonicalJson,
  EVIDENCE_KEYS_PATH,
  type EvidencePack,
  verifyEvidencePack,
} from "../../src/contracts/evidence-format";
import { evidenceJwks } from "../../src/crypto/evidence-keys";
import { recordJourneyInvoice } from "../../src/store/journey-invoices";
import { markStepFinished } from "../../src/store/journey-steps";
import { insertJourney } from "../../src/store/journeys";
import { recordWebhookEvents } from "../../src/store/webhook-events";
import { SENDER_EMAIL, useWorld } from "../world";
import { accept, IP, journeyWithAgreement, type Owner, owner, UA } from "./evidence-fixtures";
import { sha256 } from "./helpers";

const world = useWorld();
/** The RFC 5322 Message-ID the send step sets, computed here independently (integrations/google/actions/send-email.ts). */
const messageIdHeader = async (journeyId: string, step: string) =>
  `<${(await sha256(`message-id:${journeyId}:${step}`)).slice(0, 32)}@example.com>`;

/** Every leaf of a JSON value, as a path of keys. */
function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (value !== null && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, Array.isArray(value) ? Number(k) : k]));
  return [path];
}

/** A copy of the pack with one leaf of its evidence changed (a string gains a character, a number or boolean flips). */
function changed(pack: EvidencePack, path: (string | number)[]): EvidencePack {
  const copy = structuredClone(pack);
  let parent = copy.evidence as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  const value = parent[last];
  parent[last] =
    typeof value === "string" ? `${value}x` : typeof value === "number" ? value + 1 : value === null ? "x" : !value;
  return copy;
}

let a: Owner;
let pack: EvidencePack;
let text: string;
const JOURNEY = "j-evidence-1";

beforeAll(async () => {
  a = await owner(world, "owner-evidence-a", "4417001");
  const sent = await journeyWithAgreement(a.workspaceId, JOURNEY);
  text = sent.text;
  // The timeline as the default template leaves it: the lead's auto-reply (no agreement link), the welcome
  // email and a reminder (both carry it), the deposit invoice, and Stripe's invoice.paid.
  await markStepFinished(env.DB, JOURNEY, "lead.auto-reply", { status: "succeeded", result: { messageId: "gm-0" } });
  await markStepFinished(env.DB, JOURNEY, "onboarding.welcome-email", {
    status: "succeeded",
    result: { messageId: "gm-1", threadId: "th-1", to: "grace@client.test" },
  });
  // A send recorded before steps kept their recipient: no address.
  await markStepFinished(env.DB, JOURNEY, "onboarding.agreement-signed.reminder-1", {
    status: "succeeded",
    result: { messageId: "gm-2", threadId: "th-1" },
  });
  await markStepFinished(env.DB, JOURNEY, "onboarding.deposit-invoice", {
    status: "succeeded",
    result: {
      invoiceId: "in_ev1",
      invoiceUrl: "https://invoice.stripe.test/i/ev1",
      number: "INV-0042",
      amountDue: 120000,
      currency: "usd",
      dueDate: "2026-11-27",
    },
  });
  await recordJourneyInvoice(env.DB, {
    workspaceId: a.workspaceId,
    invoiceId: "in_ev1",
    journeyId: JOURNEY,
    purpose: "deposit",
  });
  const paid = {
    type: "stripe.invoice.paid",
    invoiceId: "in_ev1",
    journeyId: JOURNEY,
    paidAt: "2026-11-22T10:00:00.000Z",
  };
  await recordWebhookEvents(env.DB, [
    {
      provider: "stripe",
      workspaceId: a.workspaceId,
      eventId: "evt_ev1",
      eventType: "invoice.paid",
      outcome: "signalled",
      payload: JSON.stringify(paid),
    },
  ]);
  await accept(sent.path, text);
  const response = await a.browser.fetch(`/api/journeys/${JOURNEY}/agreement-evidence`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-disposition")).toBe(`attachment; filename="agreement-evidence-${JOURNEY}.json"`);
  const body = await response.text();
  pack = JSON.parse(body) as EvidencePack;
  // The file is the canonical form itself.
  expect(body).toBe(canonicalJson(pack));
});

describe("GET /api/journeys/{id}/agreement-evidence", () => {
  it("holds the exact text and its hash, the acceptance, the email trail, and the invoice and its payment", async () => {
    const e = pack.evidence as Record<string, unknown> & { agreement: { text: string } };
    expect(e.agreement.text).toBe(text);
    expect(e).toMatchObject({
      format: "clientflow-agreement-evidence/v1",
      workspaceId: a.workspaceId,
      journey: { id: JOURNEY, dealId: `d-${JOURNEY}`, hubspotContactId: "901", clientName: "Grace Hopper" },
      agreement: { textSha256: await sha256(text) },
      acceptance: { name: "Grace Hopper", ip: IP, userAgent: UA, textSha256: await sha256(text) },
      invoices: [
        {
          invoiceId: "in_ev1",
          purpose: "deposit",
          step: "onboarding.deposit-invoice",
          number: "INV-0042",
          amountDue: 120000,
          currency: "usd",
          amount: "$1,200.00",
          status: "paid",
          payment: { paidAt: "2026-11-22T10:00:00.000Z", stripeEventId: "evt_ev1" },
        },
      ],
    });
    expect(e.statement).toMatch(/not a qualified electronic signature/);
    // Only the emails that carried the agreement's link, with what identifies each in the client's mailbox.
    expect(e.emails).toEqual([
      {
        step: "onboarding.welcome-email",
        label: null,
        sentAt: expect.any(String),
        gmailMessageId: "gm-1",
        gmailThreadId: "th-1",
        messageIdHeader: await messageIdHeader(JOURNEY, "onboarding.welcome-email"),
        from: SENDER_EMAIL,
        to: { name: "Grace Hopper", email: "grace@client.test", hubspotContactId: "901" },
      },
      {
        step: "onboarding.agreement-signed.reminder-1",
        label: null,
        sentAt: expect.any(String),
        gmailMessageId: "gm-2",
        gmailThreadId: "th-1",
        messageIdHeader: await messageIdHeader(JOURNEY, "onboarding.agreement-signed.reminder-1"),
        from: SENDER_EMAIL,
        to: { name: "Grace Hopper", email: null, hubspotContactId: "901" },
      },
    ]);
  });

  it("verifies with the key published at the well-known URL, without a session", async () => {
    const published = await exports.default.fetch(`https://clientflow.test${EVIDENCE_KEYS_PATH}`);
    expect(published.status).toBe(200);
    expect(published.headers.get("access-control-allow-origin")).toBe("*");
    const jwks = (await published.json()) as { keys: { kty: string; crv: string; kid: string; d?: string }[] };
    expect(jwks.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", kid: pack.signature.kid });
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    expect(pack.signature.jwksUrl).toBe(`https://clientflow.test${EVIDENCE_KEYS_PATH}`);

    const result = await verifyEvidencePack(pack, jwks);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("fails to verify after any change: a byte of the text, any field, or another key", async () => {
    const jwks = await evidenceJwks(env);
    const textChanged = structuredClone(pack);
    (textChanged.evidence as { agreement: { text: string } }).agreement.text = text.replace("Provider", "Pr0vider");
    const byText = await verifyEvidencePack(textChanged, jwks);
    expect(byText.ok).toBe(false);
    expect(byText.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual([
      "the agreement text's SHA-256 equals agreement.textSha256",
      "the Ed25519 signature over the canonical evidence verifies with the published key",
    ]);

    // The hash updated to match the changed text still fails: the signature covers both.
    const rehashed = structuredClone(textChanged);
    const agreement = (rehashed.evidence as { agreement: { text: string; textSha256: string } }).agreement;
    agreement.textSha256 = await sha256(agreement.text);
    expect((await verifyEvidencePack(rehashed, jwks)).ok).toBe(false);

    const paths = leaves(pack.evidence);
    expect(paths.length).toBeGreaterThan(40);
    for (const path of paths) {
      const result = await verifyEvidencePack(changed(pack, path), jwks);
      expect(result.ok, `changed evidence.${path.join(".")}`).toBe(false);
    }

    const otherKey = await evidenceJwks({ ENCRYPTION_KEY: btoa("k".repeat(32)) });
    expect((await verifyEvidencePack(pack, otherKey)).ok).toBe(false);
    expect((await verifyEvidencePack({ ...pack, signature: { ...pack.signature, jws: "x.y.z" } }, jwks)).ok).toBe(
      false,
    );
  });

  it("is 404 with a clear message for a journey without an accepted agreement, and for another owner's journey", async () => {
    await insertJourney(env.DB, { id: "j-evidence-none", workspaceId: a.workspaceId, dealId: "d-none" });
    await journeyWithAgreement(a.workspaceId, "j-evidence-sent");
    for (const [journey, message] of [
      ["j-evidence-none", "No agreement evidence: this journey has not sent an agreement"],
      ["j-evidence-sent", "No agreement evidence: the client has not accepted the agreement yet"],
    ] as const) {
      const response = await a.browser.fetch(`/api/journeys/${journey}/agreement-evidence`);
      expect(response.status, journey).toBe(404);
      expect(await response.json()).toEqual({
        error: "no_accepted_agreement",
        message: `${message}. A pack exists once the client accepts.`,
      });
    }

    const b = await owner(world, "owner-evidence-b", "4417002");
    const other = await b.browser.fetch(`/api/journeys/${JOURNEY}/agreement-evidence`);
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: "unknown_journey", message: "No such journey" });
    const anonymous = await exports.default.fetch(`https://clientflow.test/api/journeys/${JOURNEY}/agreement-evidence`);
    expect(anonymous.status).toBe(401);
  });

  it("is linked from the journey page once accepted, and documented in the OpenAPI document", async () => {
    const page = await (await a.browser.fetch(`/journeys/${JOURNEY}`)).text();
    expect(page).toContain(
      `<a href="/api/journeys/${JOURNEY}/agreement-evidence" download="">Agreement evidence (JSON)</a>`,
    );
    const unaccepted = await (await a.browser.fetch("/journeys/j-evidence-sent")).text();
    expect(unaccepted).not.toContain("Agreement evidence");

    const doc = (await (await a.browser.fetch("/api/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain("/journeys/{id}/agreement-evidence");
  });
});
