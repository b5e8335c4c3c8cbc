import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { auditRecordOf } from "../../src/contracts/accept";
import { type AuditRecord, canonicalAuditJson, signAudit, verifyAudit } from "../../src/contracts/audit";
import { renderContract } from "../../src/contracts/render-contract";
import { DEFAULT_TEMPLATE } from "../../src/engine/default-template";
import { paymentSchedule } from "../../src/engine/payment-schedule";
import { templateSchema } from "../../src/engine/template-schema";
import { mergeData } from "./helpers";

const defaultTemplate = templateSchema.parse(DEFAULT_TEMPLATE);
/** A deal as HubSpot gives it: line items, or only an amount, in a currency. */
const deal = (currency: string | null, lineItems: { name: string; quantity: number; unitPrice: number }[]) => ({
  dealId: "1",
  name: "Brand sprint",
  amount: 2400,
  currency,
  closeDate: null,
  description: null,
  pipeline: null,
  url: "https://app.hubspot.test/deal/1",
  contact: { id: "9", email: "grace@client.test", firstName: "Grace", lastName: "Hopper", company: null },
  lineItems,
});
const ITEMS = [
  { name: "Strategy session", quantity: 4, unitPrice: 500 },
  { name: "Brand guide", quantity: 1, unitPrice: 400 },
];

describe("renderContract", () => {
  it("fills the default agreement's merge fields and lists the line items", () => {
    const { title, text } = renderContract({
      data: mergeData(),
      lineItems: ["Strategy session × 4", "Brand guide"],
      schedule: paymentSchedule(deal("usd", ITEMS), defaultTemplate, { defaultCurrency: "usd" }, "2026-11-20"),
      date: "2026-11-20",
    });
    expect(title).toBe("Services agreement: Brand sprint");
    expect(text.startsWith("Services agreement: Brand sprint\nDate: 2026-11-20\n\n1. Parties\n")).toBe(true);
    expect(text).toContain(
      'This agreement is between Bright Studio (the "Provider") and Grace Hopper, Cobol & Co (the "Client").',
    );
    expect(text).toContain(
      "2. Services and deliverables\nThe Provider will deliver Brand sprint for the Client.\nFour weekly strategy sessions\n\nThe services include:\n- Strategy session × 4\n- Brand guide\n\n3. Fees and payment\nThe fee for the services is $2,400.00:\n- Strategy session: 4 × $500.00 = $2,000.00\n- Brand guide: 1 × $400.00 = $400.00\nTotal: $2,400.00\n\nPayment schedule:\n- Deposit (50%): $1,200.00, invoiced with this agreement, due within 7 days of the invoice.\n- Balance: $1,200.00, invoiced at delivery, due within 14 days of the invoice.\nThe Provider sends an invoice for each payment,",
    );
    expect(text).toContain("4. Timeline\nWork starts on 2026-11-20 and is planned to be complete by 2026-12-20.");
    expect(text).toContain("5. Terms\n");
    expect(text).toContain("6. Acceptance\n");
    expect(text.endsWith("For Bright Studio: Ada at Bright Studio")).toBe(true);
    expect(text).not.toMatch(/\{\{|\}\}/);
    expect(text).not.toMatch(/\n{3,}| \n/);
  });

  it("states the fee of a deal with only an amount, in the deal's currency (EUR), else the workspace's", () => {
    const eur = renderContract({
      data: mergeData(),
      schedule: paymentSchedule(deal("eur", []), defaultTemplate, { defaultCurrency: "usd" }),
      date: "2026-11-20",
    });
    expect(eur.text).toContain(
      "3. Fees and payment\nThe fee for the services is €2,400.00.\n\nPayment schedule:\n- Deposit (50%): €1,200.00, invoiced with this agreement, due within 7 days of the invoice.\n- Balance: €1,200.00, invoiced at delivery,",
    );
    expect(eur.text).not.toContain("$");
    const fallback = renderContract({
      data: mergeData(),
      schedule: paymentSchedule(deal(null, []), defaultTemplate, { defaultCurrency: "gbp" }),
      date: "2026-11-20",
    });
    expect(fallback.text).toContain("The fee for the services is £2,400.00.");
  });

  it("leaves no gap for empty fields or missing line items, and keeps text unescaped (text mode)", () => {
    const data = mergeData("<script>alert(1)</script>");
    data.deal = { ...data.deal, description: "" };
    data.client = { ...data.client, company: "" };
    const { title, text } = renderContract({ data, date: "2026-11-20" });
    expect(title).toBe("Services agreement: <script>alert(1)</script>");
    expect(text).toContain("and Grace Hopper (the");
    expect(text).toContain(
      "The Provider will deliver <script>alert(1)</script> for the Client.\n\n3. Fees and payment",
    );
    expect(text).not.toContain("The services include");
  });

  it("renders an owner's template and refuses an unknown merge field, naming it", () => {
    const own = renderContract({
      data: mergeData(),
      date: "2026-11-20",
      titleTemplate: "Agreement for {{client.company}}",
      template: "{{contract.title}}\n\nHello {{client.firstName}}, {{invoice.amount}} by {{invoice.dueDate}}.",
    });
    expect(own).toEqual({
      title: "Agreement for Cobol & Co",
      text: "Agreement for Cobol & Co\n\nHello Grace, $2,400.00 by 2026-11-27.",
    });
    expect(() => renderContract({ data: mergeData(), date: "2026-11-20", template: "{{client.shoeSize}}" })).toThrow(
      "Unknown merge field {{client.shoeSize}}",
    );
  });
});

describe("audit signature", () => {
  const record: AuditRecord = {
    contractId: "ctr_0123",
    journeyId: "onb-abc",
    name: "Grace Hopper",
    ip: "203.0.113.7",
    userAgent: "Mozilla/5.0 (test)",
    acceptedAt: "2026-11-21T09:30:00.000Z",
    textSha256: "a".repeat(64),
  };

  it("signs the canonical JSON (sorted keys, no whitespace)", async () => {
    expect(canonicalAuditJson(record)).toBe(
      '{"acceptedAt":"2026-11-21T09:30:00.000Z","contractId":"ctr_0123","ip":"203.0.113.7","journeyId":"onb-abc","name":"Grace Hopper","textSha256":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","userAgent":"Mozilla/5.0 (test)"}',
    );
    const signature = await signAudit(env, record);
    expect(signature).toMatch(/^v1\.[0-9a-f]{64}$/);
    expect(await signAudit(env, { ...record })).toBe(signature);
  });

  it("verifies the record it signed and fails when any field is altered", async () => {
    const signature = await signAudit(env, record);
    expect(await verifyAudit(env, record, signature)).toBe(true);
    for (const field of Object.keys(record) as (keyof AuditRecord)[]) {
      expect(await verifyAudit(env, { ...record, [field]: `${record[field]}x` }, signature), field).toBe(false);
    }
    const flipped = `${signature.slice(0, -1)}${signature.endsWith("0") ? "1" : "0"}`;
    expect(await verifyAudit(env, record, flipped)).toBe(false);
    expect(await verifyAudit(env, record, "")).toBe(false);
  });

  it("uses a key derived for audits: rotation keeps old signatures valid, another key does not", async () => {
    const oldKey = env.ENCRYPTION_KEY;
    const newKey = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));
    const signature = await signAudit({ ENCRYPTION_KEY: oldKey }, record);
    expect(
      await verifyAudit({ DB: env.DB, ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_PREVIOUS: oldKey }, record, signature),
    ).toBe(true);
    expect(await verifyAudit({ DB: env.DB, ENCRYPTION_KEY: newKey }, record, signature)).toBe(false);
    // The documented derivation: audit key = HMAC-SHA256(raw ENCRYPTION_KEY bytes, "contract-audit").
    const hmac = async (key: Uint8Array<ArrayBuffer>, message: string) => {
      const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      return new Uint8Array(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(message)));
    };
    const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    const raw = Uint8Array.from(atob(oldKey), (ch) => ch.charCodeAt(0));
    const auditKey = await hmac(raw, "contract-audit");
    expect(signature).toBe(`v1.${hex(await hmac(auditKey, canonicalAuditJson(record)))}`);
    expect(signature).not.toBe(`v1.${hex(await hmac(raw, canonicalAuditJson(record)))}`);
  });

  it("is rebuilt from a stored contract's columns", () => {
    expect(
      auditRecordOf({
        id: "ctr_1",
        workspaceId: "ws",
        journeyId: "onb-1",
        tokenHash: "h",
        title: "t",
        bodyText: "b",
        bodySha256: "s",
        status: "accepted",
        sentAt: "2026-11-20T00:00:00.000Z",
        signalOutcome: null,
        acceptance: {
          name: "Grace",
          ip: "",
          userAgent: "",
          acceptedAt: "2026-11-21T00:00:00.000Z",
          textSha256: "s",
          signature: "v1.x",
        },
      }),
    ).toEqual({
      contractId: "ctr_1",
      journeyId: "onb-1",
      name: "Grace",
      ip: "",
      userAgent: "",
      acceptedAt: "2026-11-21T00:00:00.000Z",
      textSha256: "s",
    });
  });
});
