import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { insertJourney } from "../../src/store/journeys";
import { type Browser, location, signIn } from "../browser";
import { useWorld } from "../world";
import { form, SANDBOX, sandboxRequest } from "./worker";

/** The Worker with the sandbox on (or off, with sandboxUrl ""). */
const request = (browser: Browser | null, path: string, init: RequestInit = {}, sandboxUrl = SANDBOX) =>
  sandboxRequest(browser, path, init, { sandboxUrl });

const world = useWorld();

const STATE = {
  providers: ["hubspot", "stripe", "notion", "google"],
  statuses: ["Onboarding", "In progress", "Review", "Done"],
  deals: [
    {
      id: "5001",
      name: "Website refresh",
      amount: 4800,
      stage: "closedwon",
      won: true,
      status: null,
      contact: { email: "lin@client.test", firstName: "Lin", lastName: "Park" },
    },
    {
      id: "5002",
      name: "Brand identity",
      amount: 3200,
      stage: "contractsent",
      won: false,
      status: null,
      contact: { email: "sam@client.test", firstName: "Sam", lastName: "Okafor" },
    },
  ],
  invoices: [
    {
      id: "in_0001",
      number: "CF-0001",
      status: "open",
      amountDue: 240000,
      currency: "usd",
      customerEmail: "lin@client.test",
      journeyId: "onb-xyz",
      createdAt: "2026-11-20T10:00:00.000Z",
    },
  ],
  cards: [
    { id: "card-1", title: "Website refresh", client: "Lin Park", status: "Onboarding", clientflowId: "onb-xyz" },
  ],
  emails: [
    {
      id: "msg-1",
      from: "studio@sandbox.test",
      to: "lin@client.test",
      subject: "Welcome, Lin: your next steps",
      sentAt: "2026-11-20T10:00:05.000Z",
    },
  ],
};

/** Records the control API calls; answers like the sandbox does. */
function controlApi(answer: (path: string, body: unknown) => { status: number; body: unknown }) {
  const calls: { method: string; path: string; body: unknown; type: string | null }[] = [];
  world.network.use(
    http.get(`${SANDBOX}/control/state`, () => HttpResponse.json(STATE)),
    http.all(`${SANDBOX}/control/*`, async ({ request }) => {
      const path = new URL(request.url).pathname;
      const body = request.method === "POST" ? await request.json() : null;
      calls.push({ method: request.method, path, body, type: request.headers.get("content-type") });
      const result = answer(path, body);
      return HttpResponse.json(result.body as object, { status: result.status });
    }),
  );
  return calls;
}

async function owner(sub: string) {
  const { browser, csrf } = await signIn(world, { sub, email: `${sub}@studio.test`, name: "Ada" });
  return { browser, csrf };
}

describe("the sandbox pages", () => {
  it("list the emulators' deals, invoices, cards and emails, with a journey link for a won deal", async () => {
    const { browser } = await owner("sb-owner-list");
    const session = await env.DB.prepare("SELECT workspace_id FROM owners WHERE google_sub = ?")
      .bind("sb-owner-list")
      .first<{ workspace_id: string }>();
    const journeyId = await onboardingJourneyId(session?.workspace_id ?? "", "5001");
    await insertJourney(env.DB, { id: journeyId, workspaceId: session?.workspace_id ?? "", dealId: "5001" });
    controlApi(() => ({ status: 404, body: {} }));

    const response = await request(browser, "/sandbox");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("SANDBOX");
    for (const text of ["Website refresh", "Brand identity", "$3,200.00", "CF-0001", "$2,400.00", "Lin Park"]) {
      expect(html).toContain(text);
    }
    expect(html).toContain("Welcome, Lin: your next steps");
    expect(html).toContain('href="/sandbox/emails/msg-1"');
    expect(html).toContain(`href="/journeys/${journeyId}"`);
    // Only the open deal can be marked won; the open invoice can be paid; the card can move.
    expect(html).toContain('action="/sandbox/hubspot/deals/5002/win"');
    expect(html).not.toContain('action="/sandbox/hubspot/deals/5001/win"');
    expect(html).toContain('action="/sandbox/stripe/invoices/in_0001/pay"');
    expect(html).toContain('action="/sandbox/notion/pages/card-1/status"');
    expect(html).toMatch(
      /<a[^>]*aria-current="page"[^>]*>Sandbox<\/a>|<a[^>]*href="\/sandbox"[^>]*aria-current="page"/,
    );
  });

  it("mark a deal won through the control API and come back with the Worker's answer", async () => {
    const { browser, csrf } = await owner("sb-owner-win");
    const calls = controlApi(() => ({ status: 200, body: { delivery: { status: 200, ok: true, body: {} } } }));
    const response = await request(browser, "/sandbox/hubspot/deals/5002/win", form({ _csrf: csrf }));
    expect(response.status).toBe(303);
    expect(location(response)).toBe("/sandbox?notice=deal-won&status=200");
    expect(calls).toEqual([
      { method: "POST", path: "/control/hubspot/deals/5002/win", body: {}, type: "application/json" },
    ]);
    const page = await (await request(browser, location(response))).text();
    expect(page).toContain("Deal marked won");
  });

  it("add a deal, pay an invoice and move a card with the submitted fields", async () => {
    const { browser, csrf } = await owner("sb-owner-actions");
    const calls = controlApi((path) =>
      path.endsWith("/deals")
        ? { status: 201, body: { deal: {} } }
        : { status: 200, body: { delivery: { status: 202, ok: true, body: {} } } },
    );
    const added = await request(
      browser,
      "/sandbox/hubspot/deals",
      form({
        _csrf: csrf,
        name: "Landing page",
        amount: "2400",
        firstName: "Mo",
        lastName: "Diaz",
        email: "mo@client.test",
      }),
    );
    expect(location(added)).toBe("/sandbox?notice=deal-added");
    const paid = await request(browser, "/sandbox/stripe/invoices/in_0001/pay", form({ _csrf: csrf }));
    expect(location(paid)).toBe("/sandbox?notice=invoice-paid&status=202");
    const moved = await request(
      browser,
      "/sandbox/notion/pages/card-1/status",
      form({ _csrf: csrf, status: "Review" }),
    );
    expect(location(moved)).toBe("/sandbox?notice=card-moved&status=202");
    expect(calls.map((c) => [c.path, c.body])).toEqual([
      [
        "/control/hubspot/deals",
        { name: "Landing page", amount: 2400, email: "mo@client.test", firstName: "Mo", lastName: "Diaz" },
      ],
      ["/control/stripe/invoices/in_0001/pay", {}],
      ["/control/notion/pages/card-1/status", { status: "Review" }],
    ]);
  });

  it("show the sandbox's refusal, and a failed webhook delivery, as errors", async () => {
    const { browser, csrf } = await owner("sb-owner-refused");
    controlApi((path) =>
      path.includes("/status")
        ? { status: 400, body: { error: "invalid_request", message: "Status must be one of: Onboarding" } }
        : { status: 200, body: { delivery: { status: 401, ok: false, body: {} } } },
    );
    const refused = await request(browser, "/sandbox/notion/pages/card-1/status", form({ _csrf: csrf, status: "X" }));
    const page = await (await request(browser, location(refused))).text();
    expect(page).toContain("Status must be one of: Onboarding");
    expect(page).toContain('role="alert"');
    const won = await request(browser, "/sandbox/hubspot/deals/5002/win", form({ _csrf: csrf }));
    const after = await (await request(browser, location(won))).text();
    expect(after).toContain("the Worker answered the webhook with status 401");
  });

  it("render a sent email: the HTML body inert in a sandboxed iframe, the text part readable", async () => {
    const { browser } = await owner("sb-owner-email");
    world.network.use(
      http.get(`${SANDBOX}/control/emails/msg-1`, () =>
        HttpResponse.json({
          ...STATE.emails[0],
          text: "Hi Lin, welcome aboard.",
          html: '<p>Hi Lin</p><script>alert("x")</script>',
        }),
      ),
      http.get(`${SANDBOX}/control/emails/msg-404`, () => HttpResponse.json({ error: "not_found" }, { status: 404 })),
    );
    const response = await request(browser, "/sandbox/emails/msg-1");
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toMatch(/<iframe[^>]*sandbox=""[^>]*srcdoc="&lt;p&gt;Hi Lin&lt;\/p&gt;&lt;script&gt;/);
    expect(html).not.toContain('<script>alert("x")</script>');
    expect(html).toContain("Hi Lin, welcome aboard.");
    expect((await request(browser, "/sandbox/emails/msg-404")).status).toBe(404);
  });

  it("say so when the sandbox does not answer", async () => {
    const { browser } = await owner("sb-owner-down");
    world.network.use(http.get(`${SANDBOX}/control/state`, () => HttpResponse.error()));
    const response = await request(browser, "/sandbox");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("The local sandbox did not answer");
  });
});

describe("the sandbox routes refuse", () => {
  it("404 when the sandbox is off (SANDBOX_URL unset), signed in or not", async () => {
    const { browser, csrf } = await owner("sb-owner-off");
    expect((await request(browser, "/sandbox", {}, "")).status).toBe(404);
    expect((await request(null, "/sandbox", {}, "")).status).toBe(404);
    const post = await request(browser, "/sandbox/hubspot/deals/5002/win", form({ _csrf: csrf }), "");
    expect(post.status).toBe(404);
  });

  it("a visitor without a session (sign-in redirect for pages, 401 for actions) and a form without CSRF (403)", async () => {
    const calls = controlApi(() => ({ status: 200, body: {} }));
    const page = await request(null, "/sandbox");
    expect(page.status).toBe(302);
    expect(location(page)).toBe("/auth/login?return_to=%2Fsandbox");
    expect((await request(null, "/sandbox/hubspot/deals/5002/win", form({}))).status).toBe(401);
    const { browser } = await owner("sb-owner-csrf");
    const forged = await request(browser, "/sandbox/hubspot/deals/5002/win", form({ _csrf: "wrong" }));
    expect(forged.status).toBe(403);
    expect(calls).toEqual([]);
  });
});
