import { createRoute, z } from "@hono/zod-openapi";
import { canonicalJson, EVIDENCE_FORMAT, EVIDENCE_KEYS_PATH } from "../contracts/evidence-format";
import { agreementEvidencePack } from "../contracts/evidence-pack";
import { apiRouter, errorResponses, json } from "./router";

const EmailSchema = z.object({
  step: z.string().openapi({ example: "onboarding.welcome-email" }),
  label: z.string().nullable(),
  sentAt: z.string().nullable(),
  gmailMessageId: z.string(),
  gmailThreadId: z.string().nullable(),
  messageIdHeader: z.string().nullable().openapi({ description: "The RFC 5322 Message-ID header of the email" }),
  from: z.string().nullable(),
  to: z.object({
    name: z.string().nullable(),
    email: z.string().nullable().openapi({ description: "The address the email was sent to, as the send recorded it" }),
    hubspotContactId: z.string().nullable(),
  }),
});

const InvoiceSchema = z.object({
  invoiceId: z.string(),
  purpose: z.string().openapi({ example: "deposit" }),
  step: z.string().nullable(),
  number: z.string().nullable(),
  amountDue: z.number().int().nullable().openapi({ description: "In the currency's minor unit" }),
  currency: z.string().nullable(),
  amount: z.string().nullable().openapi({ example: "$1,200.00" }),
  dueDate: z.string().nullable(),
  url: z.string().nullable(),
  status: z.enum(["paid", "unpaid"]),
  payment: z.object({ paidAt: z.string(), stripeEventId: z.string(), receivedAt: z.string() }).nullable(),
});

const EvidencePackSchema = z
  .object({
    evidence: z.object({
      format: z.literal(EVIDENCE_FORMAT),
      statement: z.string(),
      generatedAt: z.string(),
      workspaceId: z.string(),
      journey: z.object({
        id: z.string(),
        dealId: z.string(),
        hubspotContactId: z.string().nullable(),
        clientName: z.string().nullable(),
      }),
      agreement: z.object({
        contractId: z.string(),
        title: z.string(),
        text: z.string().openapi({ description: "The exact text the client was shown and accepted" }),
        textSha256: z.string(),
        sentAt: z.string(),
      }),
      acceptance: z.object({
        name: z.string().openapi({ description: "The name the client typed" }),
        acceptedAt: z.string(),
        ip: z.string(),
        userAgent: z.string(),
        textSha256: z.string(),
        auditSignature: z.string(),
      }),
      emails: z.array(EmailSchema),
      invoices: z.array(InvoiceSchema),
    }),
    signature: z.object({
      jws: z.string().openapi({ description: "Compact JWS, detached payload: the canonical JSON of `evidence`" }),
      alg: z.literal("EdDSA"),
      kid: z.string(),
      jwksUrl: z.string().openapi({ example: `https://app.example${EVIDENCE_KEYS_PATH}` }),
      canonicalization: z.string(),
    }),
  })
  .openapi("AgreementEvidencePack");

const evidenceRoute = createRoute({
  method: "get",
  path: "/{id}/agreement-evidence",
  summary: "The signed evidence pack of the journey's accepted agreement",
  description: `A download (canonical JSON, \`Content-Disposition: attachment\`): the agreement's exact text and SHA-256, the acceptance (name typed, time, IP, user agent), the emails that carried the agreement link, the invoices and their payments, signed with Ed25519 (keys at \`${EVIDENCE_KEYS_PATH}\`). Verify with \`npm run verify-evidence -- <file>\`; docs/evidence-pack.md says what it is and is not. 404 when the journey has no accepted agreement.`,
  tags: ["Journeys"],
  request: { params: z.object({ id: z.string().min(1).max(100).openapi({ example: "j_4f2c…" }) }) },
  responses: { 200: json(EvidencePackSchema, "The signed pack"), ...errorResponses(404) },
});

/** `GET /api/journeys/{id}/agreement-evidence`: the owner's download (the journey page links to it). */
export const evidenceApi = apiRouter().openapi(evidenceRoute, async (c) => {
  const { id } = c.req.valid("param");
  const pack = await agreementEvidencePack(c.env, c.get("session").workspaceId, id, c.req.raw);
  // Keys inserted in sorted order, so the JSON written is the pack's canonical form (integer-like keys: none).
  const canonical = JSON.parse(canonicalJson(pack)) as typeof pack;
  return c.json(canonical, 200, {
    "content-disposition": `attachment; filename="agreement-evidence-${id.replace(/[^\w.-]/g, "_")}.json"`,
  });
});
