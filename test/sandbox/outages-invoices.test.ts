import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { type Browser, location, signIn } from "../browser";
import { useWorld } from "../world";
import { form, SANDBOX, sandboxRequest } from "./worker";

/** The Worker with Stripe, Notion and Google sandboxed (HubSpot real). */
const request = (browser: Browser, path: string, init: RequestInit = {}) =>
  sandboxRequest(browser, path, init, { providers: "stripe,notion,google" });

const world = useWorld();

const invoice = (id: string, status: string) => ({
  id,
  number: `CF-${id.slice(-4)}`,
  status,
  amountDue: 240000,
  currency: "usd",
  customerEmail: "lin@client.test",
  description: "Deposit for Website refresh",
  journeyId: "onb-xyz",
  createdAt: "2026-11-20T10:00:00.000Z",
});

const STATE = {
  providers: ["stripe", "notion", "google"],
  statuses: ["Onboarding", "In progress", "Review", "Done"],
  deals: [],
  invoices: [invoice("in_0001", "open"), invoice("in_0002", "paid")],
  cards: [],
  emails: [],
  faults: [{ id: "fault-1", provider: "stripe", status: 429, times: 2, method: null, pathContains: null }],
};

/** Records the control API calls (method, path, JSON body); answers with `answer`. */
function controlApi(answer: (method: string, path: string) => { status: number; body: unknown }) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  world.network.use(
    http.get(`${SANDBOX}/control/state`, () => HttpResponse.json(STATE)),
    http.all(`${SANDBOX}/control/*`, async ({ request }) => {
      const path = new URL(request.url).pathname;
      const text = await request.text();
      calls.push({ method: request.method, path, body: text ? JSON.parse(text) : null });
      const result = answer(request.method, path);
      return HttpResponse.json(result.body as object, { status: result.status });
    }),
  );
  return calls;
}

const owner = (sub: string) => signIn(world, { sub, email: `${sub}@studio.test`, name: "Ada" });

describe("simulated outages on /sandbox", () => {
  it("offer the outage form for the sandboxed providers and list the active outages", async () => {
    const { browser } = await owner("sb-fault-list");
    controlApi(() => ({ status: 404, body: {} }));
    const html = await (await request(browser, "/sandbox")).text();
    expect(html).toContain("Simulate an outage");
    expect(html).toMatch(/<form method="post" action="\/sandbox\/faults"/);
    const providers = [
      ...(/<select name="provider"[^>]*>(.*?)<\/select>/s.exec(html)?.[1] ?? "").matchAll(/value="(\w+)"/g),
    ];
    expect(providers.map((m) => m[1])).toEqual(["stripe", "notion", "google"]);
    for (const label of ["500 server error", "429 rate limited", "400 rejected", "503 unavailable"]) {
      expect(html).toContain(`>${label}</option>`);
    }
    expect(html).toMatch(/<input name="times" type="number" required="" min="1" max="20"/);
    // The active outage: Stripe, 429, two calls left, with the button that ends it.
    expect(html).toMatch(/<td>Stripe<\/td><td>429 rate limited<\/td><td>2<\/td>/);
    expect(html).toContain('action="/sandbox/faults/clear"');
    // Each invoice links to its sandbox page.
    expect(html).toContain('href="/sandbox/invoices/in_0001"');
  });

  it("sets an outage through the control API and comes back with a notice; a refusal shows as an error", async () => {
    const { browser, csrf } = await owner("sb-fault-add");
    let refuse = false;
    const calls = controlApi(() =>
      refuse
        ? { status: 400, body: { error: "invalid_request", message: "times must be a whole number from 1 to 20" } }
        : { status: 201, body: { fault: {}, faults: [] } },
    );
    const added = await request(
      browser,
      "/sandbox/faults",
      form({ _csrf: csrf, provider: "stripe", status: "500", times: "3" }),
    );
    expect(added.status).toBe(303);
    expect(location(added)).toBe("/sandbox?notice=fault-added");
    expect(calls).toEqual([
      { method: "POST", path: "/control/faults", body: { provider: "stripe", status: 500, times: 3 } },
    ]);
    expect(await (await request(browser, location(added))).text()).toContain("Outage set");

    refuse = true;
    const refused = await request(
      browser,
      "/sandbox/faults",
      form({ _csrf: csrf, provider: "stripe", status: "500", times: "99" }),
    );
    const page = await (await request(browser, location(refused))).text();
    expect(page).toContain("times must be a whole number from 1 to 20");
    expect(page).toContain('role="alert"');
  });

  it("end all outages with DELETE /control/faults; a form without CSRF reaches no control route", async () => {
    const { browser, csrf } = await owner("sb-fault-clear");
    const calls = controlApi(() => ({ status: 200, body: { faults: [] } }));
    expect((await request(browser, "/sandbox/faults/clear", form({ _csrf: "wrong" }))).status).toBe(403);
    expect((await request(browser, "/sandbox/faults", form({ provider: "stripe" }))).status).toBe(403);
    expect(calls).toEqual([]);
    const cleared = await request(browser, "/sandbox/faults/clear", form({ _csrf: csrf }));
    expect(location(cleared)).toBe("/sandbox?notice=faults-cleared");
    expect(calls).toEqual([{ method: "DELETE", path: "/control/faults", body: null }]);
    expect(await (await request(browser, location(cleared))).text()).toContain("Outages ended");
  });
});

describe("the sandbox invoice page", () => {
  it("shows an open invoice, clearly labelled, and pays it, coming back to the invoice", async () => {
    const { browser, csrf } = await owner("sb-invoice-open");
    const calls = controlApi(() => ({ status: 200, body: { delivery: { status: 200, ok: true, body: {} } } }));
    const response = await request(browser, "/sandbox/invoices/in_0001");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<h1>Sandbox invoice CF-0001</h1>");
    expect(html).toContain("stands in for Stripe&#39;s hosted invoice page");
    for (const text of ["$2,400.00", ">open<", "lin@client.test", "Deposit for Website refresh", "in_0001"]) {
      expect(html).toContain(text);
    }
    expect(html).toContain('href="/journeys/onb-xyz"');
    expect(html).toMatch(
      /<form method="post" action="\/sandbox\/stripe\/invoices\/in_0001\/pay"[^>]*>.*name="back" value="invoice".*Pay this invoice/s,
    );

    const paid = await request(browser, "/sandbox/stripe/invoices/in_0001/pay", form({ _csrf: csrf, back: "invoice" }));
    expect(location(paid)).toBe("/sandbox/invoices/in_0001?notice=invoice-paid&status=200");
    expect(calls).toEqual([{ method: "POST", path: "/control/stripe/invoices/in_0001/pay", body: {} }]);
    expect(await (await request(browser, location(paid))).text()).toContain("Invoice paid");
    // Without `back` (the /sandbox table's button), back to /sandbox as before.
    const fromList = await request(
      browser,
      "/sandbox/stripe/invoices/in_0001/pay",
      form({ _csrf: csrf, back: "//evil" }),
    );
    expect(location(fromList)).toBe("/sandbox?notice=invoice-paid&status=200");
  });

  it("offers no payment for a paid invoice, and 404s for an unknown one", async () => {
    const { browser } = await owner("sb-invoice-paid");
    controlApi(() => ({ status: 404, body: {} }));
    const html = await (await request(browser, "/sandbox/invoices/in_0002")).text();
    expect(html).toContain("This invoice is paid.");
    expect(html).not.toContain("Pay this invoice");
    expect((await request(browser, "/sandbox/invoices/in_9999")).status).toBe(404);
    expect((await request(browser, "/sandbox/invoices/..%2Fstate")).status).toBe(404);
  });
});
