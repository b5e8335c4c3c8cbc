import { getTemplate } from "../engine/templates";
import type { AppEnv } from "../env";
import { NotFoundError } from "../errors";
import { publicUrl } from "../links/public-url";
import { findContractByJourney } from "../store/contracts";
import { googleSenderAddress } from "../store/evidence";
import { listSteps } from "../store/journey-steps";
import { findJourney } from "../store/journeys";
import { EVIDENCE_FORMAT, EVIDENCE_KEYS_PATH, type EvidencePack, signEvidencePack } from "./evidence-format";
import { signingEvidenceKey } from "./evidence-keyring";
import { type EvidenceEmail, type EvidenceInvoice, emailTrail, invoiceTrail } from "./evidence-trail";

/** What the pack records, in its own words (docs/evidence-pack.md says more). */
const STATEMENT =
  "A record of what Clientflow stored about this agreement: the text it showed, the acceptance it received, the emails its journey sent with the agreement link, and the invoices and payments Stripe reported. It verifies no identity beyond what is recorded here and is not a qualified electronic signature.";

/** The signed content of a pack. */
export interface Evidence {
  format: typeof EVIDENCE_FORMAT;
  statement: string;
  generatedAt: string;
  workspaceId: string;
  journey: { id: string; dealId: string; hubspotContactId: string | null; clientName: string | null };
  agreement: { contractId: string; title: string; text: string; textSha256: string; sentAt: string };
  acceptance: {
    name: string;
    acceptedAt: string;
    /** CF-Connecting-IP when the client accepted ("" when absent). */
    ip: string;
    userAgent: string;
    textSha256: string;
    /** The HMAC audit signature stored at acceptance (src/contracts/audit.ts); only Clientflow can check it. */
    auditSignature: string;
  };
  emails: EvidenceEmail[];
  invoices: EvidenceInvoice[];
}

/** Refused when the journey has no accepted agreement (404, with what would make one). */
export class NoAcceptedAgreementError extends NotFoundError {
  override name = "NoAcceptedAgreementError";
  constructor(state: "none" | "sent" | "void") {
    const why = {
      none: "this journey has not sent an agreement",
      sent: "the client has not accepted the agreement yet",
      void: "the agreement was withdrawn before it was accepted",
    }[state];
    super("no_accepted_agreement", `No agreement evidence: ${why}. A pack exists once the client accepts.`);
  }
}

/**
 * Gathers the evidence of a journey's accepted agreement, from what the
 * store holds: the contract and its acceptance, the agreement emails on the
 * timeline, the journey's invoices and their `invoice.paid` events. A
 * journey of another workspace is "no such journey" (404), as everywhere.
 */
export async function gatherEvidence(
  env: AppEnv,
  workspaceId: string,
  journeyId: string,
  now = new Date(),
): Promise<Evidence> {
  const journey = await findJourney(env.DB, journeyId);
  if (!journey || journey.workspaceId !== workspaceId) throw new NotFoundError("unknown_journey", "No such journey");
  const contract = await findContractByJourney(env.DB, journey.id);
  if (!contract || contract.workspaceId !== workspaceId) throw new NoAcceptedAgreementError("none");
  const acceptance = contract.acceptance;
  if (contract.status !== "accepted" || !acceptance)
    throw new NoAcceptedAgreementError(contract.status === "void" ? "void" : "sent");

  const { template } = await getTemplate(
    env.DB,
    workspaceId,
    journey.templateVersion ?? undefined,
    journey.templateId ?? undefined,
  );
  const steps = await listSteps(env.DB, journey.id);
  const sender = await googleSenderAddress(env.DB, workspaceId);
  return {
    format: EVIDENCE_FORMAT,
    statement: STATEMENT,
    generatedAt: now.toISOString(),
    workspaceId,
    journey: {
      id: journey.id,
      dealId: journey.dealId,
      hubspotContactId: journey.contactId,
      clientName: journey.clientName,
    },
    agreement: {
      contractId: contract.id,
      title: contract.title,
      text: contract.bodyText,
      textSha256: contract.bodySha256,
      sentAt: contract.sentAt,
    },
    acceptance: {
      name: acceptance.name,
      acceptedAt: acceptance.acceptedAt,
      ip: acceptance.ip,
      userAgent: acceptance.userAgent,
      textSha256: acceptance.textSha256,
      auditSignature: acceptance.signature,
    },
    emails: await emailTrail(journey, template, steps, contract.sentAt, sender),
    invoices: await invoiceTrail(env.DB, journey, steps),
  };
}

/** The signed pack of a journey's accepted agreement (the API route and the dashboard download). */
export async function agreementEvidencePack(
  env: AppEnv,
  workspaceId: string,
  journeyId: string,
  request: Request,
): Promise<EvidencePack<Evidence>> {
  const evidence = await gatherEvidence(env, workspaceId, journeyId);
  // Recorded as it signs, so the pack verifies against the published keys after any later rotation.
  const key = await signingEvidenceKey(env, new Date(evidence.generatedAt));
  return signEvidencePack(evidence, key, `${publicUrl(env, request)}${EVIDENCE_KEYS_PATH}`);
}
