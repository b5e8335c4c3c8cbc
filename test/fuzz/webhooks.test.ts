import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signNotionBody } from "../../integrations/notion/webhook-signature";
import { OutcomeTally } from "../reliability/outcome-tally";
import { APP, connectWorkspace, dealStageEvent, postHubspot, postStripe, useWorld } from "../world";
import {
  brief,
  expectNothingStored,
  fuzz,
  hostileText,
  isJson,
  malformedJson,
  rowCounts,
  withField,
  wrongContentType,
  wrongType,
} from "./fuzz-kit";

/**
 * The three receivers under hostile deliveries: unsigned (401), signed but
 * malformed (400), the wrong content type (415), too large (413), and signed
 * events of the right shape carrying hostile text (never a 5xx). A refusal
 * stores nothing.
 */
useWorld();
const PORTAL = "7700001";

const LIMITS = { hubspot: 256 * 1024, stripe: 1024 * 1024, notion: 64 * 1024 } as const;
type Provider = keyof typeof LIMITS;
const providers = fc.constantFrom<Provider>("hubspot", "stripe", "notion");

const valid = {
  hubspot: () => dealStageEvent(PORTAL, "901", "closedwon", 5501) as unknown as Record<string, unknown>,
  stripe: (): Record<string, unknown> => ({
    id: "evt_fuzz_1",
    object: "event",
    type: "invoice.paid",
    created: 1_764_000_000,
    data: { object: { id: "in_fuzz", object: "invoice" } },
  }),
  notion: (): Record<string, unknown> => ({
    id: "notion-event-fuzz",
    type: "page.properties_updated",
    timestamp: "2026-11-30T08:00:00.000Z",
    workspace_id: "notion-ws-fuzz",
    entity: { id: "page-fuzz", type: "page" },
  }),
};
const REQUIRED = {
  hubspot: ["eventId", "portalId", "objectId"],
  stripe: ["id", "type", "created", "data"],
  notion: ["id", "type", "timestamp", "workspace_id", "entity"],
};

/** A delivery as each provider signs it (or unsigned). */
async function deliver(provider: Provider, body: string, options: { signed: boolean; contentType?: string }) {
  const headers: Record<string, string> = options.contentType ? { "content-type": options.contentType } : {};
  if (provider === "hubspot") return postHubspot(body, { unsigned: !options.signed, headers });
  if (provider === "stripe") {
    if (options.signed) return postStripe(null, { rawBody: body, headers, account: null });
    return exports.default.fetch(`${APP}/webhooks/stripe`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  }
  const signature = options.signed ? await signNotionBody(body, env.NOTION_WEBHOOK_VERIFICATION_TOKEN ?? "") : {};
  return exports.default.fetch(`${APP}/webhooks/notion`, {
    method: "POST",
    headers: { "content-type": "application/json", ...signature, ...headers },
    body,
  });
}

/** A body that is not a valid event: not JSON, JSON of another shape, or a valid event with one required field broken. */
const malformedBody = (provider: Provider) =>
  fc.oneof(
    malformedJson,
    fc.constantFrom("null", "[]", "{}", '""', "0", "true"),
    fc
      .tuple(fc.constantFrom(...REQUIRED[provider]), fc.oneof(wrongType, fc.constant(undefined)))
      .map(([key, value]) => {
        const event = withField(valid[provider](), key, value);
        return JSON.stringify(provider === "hubspot" ? [event] : event);
      }),
  );

const answered = async (response: Response) => `${response.status} ${brief(await response.text())}`;

describe("fuzzing the webhook receivers", () => {
  it("unsigned deliveries: 401 (Notion reads JSON first for its handshake: 400 when it is not JSON); nothing stored", async ({
    task,
  }) => {
    const tally = new OutcomeTally();
    const before = await rowCounts();
    await fuzz(fc.tuple(providers, fc.oneof(malformedJson, fc.json({ maxDepth: 3 }))), async ([provider, body]) => {
      const response = await deliver(provider, body, { signed: false });
      tally.add(response.status);
      const expected = provider === "notion" && !isJson(body) ? [400] : provider === "notion" ? [400, 401] : [401];
      expect(expected, `${provider} ${brief(body)} → ${await answered(response)}`).toContain(response.status);
    });
    await expectNothingStored(before, "unsigned deliveries");
    tally.record(task, "fuzz: webhooks");
  });

  it("signed deliveries that are not an event: 400 with a message; nothing stored", async ({ task }) => {
    const tally = new OutcomeTally();
    const before = await rowCounts();
    await fuzz(
      providers.chain((provider) => fc.tuple(fc.constant(provider), malformedBody(provider))),
      async ([provider, body]) => {
        const response = await deliver(provider, body, { signed: true });
        tally.add(response.status);
        const where = `${provider} ${brief(body)} → ${await answered(response.clone())}`;
        expect(response.status, where).toBe(400);
        expect(((await response.json()) as { message?: string }).message, where).toBeTruthy();
      },
      60,
    );
    await expectNothingStored(before, "signed malformed deliveries");
    tally.record(task, "fuzz: webhooks");
  });

  it("the wrong content type: 415, signed or not; a body over the limit: 413; nothing stored", async ({ task }) => {
    const tally = new OutcomeTally();
    const before = await rowCounts();
    await fuzz(fc.tuple(providers, wrongContentType, fc.boolean()), async ([provider, contentType, signed]) => {
      const body = JSON.stringify(provider === "hubspot" ? [valid.hubspot()] : valid[provider]());
      const response = await deliver(provider, body, { signed, contentType });
      tally.add(response.status);
      expect(response.status, `${provider} ${contentType} → ${await answered(response)}`).toBe(415);
    });
    await fuzz(
      fc.tuple(providers, fc.integer({ min: 1, max: 4096 }), fc.boolean()),
      async ([provider, extra, signed]) => {
        const body = JSON.stringify({ padding: "x".repeat(LIMITS[provider] + extra) });
        const response = await deliver(provider, body, { signed });
        tally.add(response.status);
        expect(response.status, `${provider} ${body.length} bytes → ${await answered(response)}`).toBe(413);
      },
      9,
    );
    await expectNothingStored(before, "wrong content type or too large");
    tally.record(task, "fuzz: webhooks");
  });

  it("signed events of the right shape with hostile text in every text field: never a 5xx, a refusal stores nothing", async ({
    task,
  }) => {
    const tally = new OutcomeTally();
    await connectWorkspace(env, "ws-fuzz-webhooks", PORTAL);
    await fuzz(
      fc.tuple(providers, fc.array(hostileText, { minLength: 4, maxLength: 4 }), fc.nat()),
      async ([provider, [a = "", b = "", c = "", d = ""], n]) => {
        const base = valid[provider]();
        const event =
          provider === "hubspot"
            ? [
                {
                  ...base,
                  eventId: 90_000 + n,
                  subscriptionType: a,
                  propertyName: b,
                  propertyValue: c,
                  changeSource: d,
                },
              ]
            : provider === "stripe"
              ? { ...base, id: `evt_fuzz_${n}`, type: a, data: { object: { id: b, description: c, customer_name: d } } }
              : { ...base, id: `fuzz-${n}`, type: a, workspace_name: b, entity: { id: c, type: d } };
        const body = JSON.stringify(event);
        const before = await rowCounts();
        const response = await deliver(provider, body, { signed: true });
        tally.add(response.status);
        const where = `${provider} ${brief(body)} → ${await answered(response)}`;
        expect(response.status, where).toBeLessThan(500);
        if (response.status >= 400) await expectNothingStored(before, where);
      },
      30,
    );
    tally.record(task, "fuzz: webhooks");
  });
});
