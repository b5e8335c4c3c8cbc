import { signWebhookPayload } from "@notionhq/client";
import { describe, expect, it } from "vitest";
import { signNotionBody, verifyNotionSignature } from "../../integrations/notion/webhook-signature";
import { WebhookVerificationError } from "../../src/errors";

const TOKEN = "secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl";

describe("Notion signature (X-Notion-Signature)", () => {
  const body = JSON.stringify({ id: "evt", type: "page.properties_updated" });

  it("signs exactly like the Notion SDK's own signer", async () => {
    const ours = await signNotionBody(body, TOKEN);
    expect(ours["x-notion-signature"]).toBe(await signWebhookPayload({ body, verificationToken: TOKEN }));
  });

  it("returns the candidate whose token signed, and refuses other tokens, other bodies and malformed headers", async () => {
    const { "x-notion-signature": signature = "" } = await signNotionBody(body, TOKEN);
    const ours = { token: TOKEN };
    const other = { token: "secret_other" };
    expect(await verifyNotionSignature({ body, signature, candidates: [other, ours] })).toBe(ours);
    expect(
      await verifyNotionSignature({
        body,
        signature: signature.toUpperCase().replace("SHA256=", "sha256="),
        candidates: [ours],
      }),
    ).toBe(ours);
    const refusals = [
      { body, signature, candidates: [other] },
      { body: `${body} `, signature, candidates: [ours] },
      { body, signature: signature.replace("sha256=", ""), candidates: [ours] },
      { body, signature: null, candidates: [ours] },
      { body, signature, candidates: [] },
    ];
    for (const input of refusals) {
      await expect(verifyNotionSignature(input)).rejects.toBeInstanceOf(WebhookVerificationError);
    }
  });
});
