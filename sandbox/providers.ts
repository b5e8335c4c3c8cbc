import { GoogleFake } from "../emulators/google";
import { HubspotFake } from "../emulators/hubspot";
import { NotionFake } from "../emulators/notion";
import { StripeFake } from "../emulators/stripe";

/** The providers the sandbox can stand in for. */
export const SANDBOX_PROVIDERS = ["hubspot", "stripe", "notion", "google"] as const;
export type SandboxProvider = (typeof SANDBOX_PROVIDERS)[number];

/** The sandbox owner who signs in through the sandbox Google. */
export const SANDBOX_OWNER = { sub: "sandbox-owner-0001", email: "owner@sandbox.test", name: "Sandbox Owner" };
export const SANDBOX_WORKSPACE = { id: "demo", name: "Demo studio (sandbox)" };
export const SANDBOX_PORTAL_ID = "990001";
export const SANDBOX_BOARD_ID = "5a4db0a2-0000-4000-8000-00000000b0a2";
/** The Notion workspace the sandbox board lives in (webhook events name it; the seed stores it). */
export const SANDBOX_NOTION_WORKSPACE = "5a4db0a2-0000-4000-8000-00000000a0a0";
export const SANDBOX_SENDER = "studio@sandbox.test";
/** Card statuses of the sandbox board: the defaults the app and the default template use. */
export const SANDBOX_STATUSES = ["Onboarding", "In progress", "Review", "Done"];

/**
 * Ids the emulators hand out start from a value that grows with the clock, so
 * that a restarted sandbox (its state is in memory) never reuses the id of an
 * invoice or card an earlier run left in the Worker's local D1.
 */
const runBase = () => Math.floor(Date.now() / 10) % 1_000_000_000;

export class SandboxHubspot extends HubspotFake {
  constructor(base: string, token: string, secret: string) {
    super(base, token, { id: "sandbox-hubspot-client", secret });
    this.idSeq = 100_000_000 + runBase();
  }
}

type StripeInvoice = StripeFake["invoices"] extends Map<string, infer I> ? I : never;

/**
 * The invoices of the sandbox Stripe. Stripe's hosted invoice page does not
 * exist here, so an invoice's `hosted_invoice_url` (once finalized) reads as
 * the Worker's sandbox invoice page, `${workerUrl}/sandbox/invoices/<id>`.
 * It is computed on every read, so it is right in API answers, replays and
 * webhook events even though the Worker's URL is only known after start.
 */
class SandboxInvoices extends Map<string, StripeInvoice> {
  constructor(private readonly workerUrl: () => string) {
    super();
  }

  override set(id: string, invoice: StripeInvoice): this {
    let stored = invoice.hosted_invoice_url;
    const workerUrl = this.workerUrl;
    Object.defineProperty(invoice, "hosted_invoice_url", {
      enumerable: true,
      configurable: true,
      get: () => (stored && workerUrl() ? `${workerUrl()}/sandbox/invoices/${encodeURIComponent(id)}` : stored),
      set: (value: string | null) => {
        stored = value;
      },
    });
    return super.set(id, invoice);
  }
}

export class SandboxStripe extends StripeFake {
  override readonly invoices: Map<string, StripeInvoice>;

  /** `workerUrl` returns the Worker's base URL (empty while unknown: links stay the emulator's). */
  constructor(base: string, key: string, workerUrl: () => string = () => "") {
    super(base, key);
    this.invoices = new SandboxInvoices(workerUrl);
    this.seq = runBase();
  }
}

export class SandboxNotion extends NotionFake {
  /** `webhookToken`: the public integration's verification token, also the Worker's NOTION_WEBHOOK_VERIFICATION_TOKEN. */
  constructor(base: string, token: string, webhookToken: string) {
    super(base, token, SANDBOX_BOARD_ID, SANDBOX_STATUSES);
    this.seq = runBase();
    this.eventSeq = runBase();
    this.webhook.token = webhookToken;
    this.webhook.workspaceName = "Sandbox Notion";
    this.webhook.workspaceId = SANDBOX_NOTION_WORKSPACE;
  }
}

export class SandboxGoogle extends GoogleFake {
  constructor(base: string, issuer: string, clientId: string, clientSecret: string) {
    super(base, base, clientId, clientSecret, issuer);
    this.seq = runBase();
  }
}
