import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxApp, startSandboxApp } from "../../sandbox/app";
import { eventually } from "../e2e/wrangler-dev";

let app: SandboxApp;

beforeAll(async () => {
  app = await startSandboxApp();
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

/** A browser's cookie jar over fetch: follows redirects by hand, keeps the Worker's cookies. */
class Jar {
  readonly cookies = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (url.startsWith(app.appUrl) && this.cookies.size) {
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    if (url.startsWith(app.appUrl)) {
      for (const line of response.headers.getSetCookie()) {
        const [pair = ""] = line.split(";");
        const [name = "", value = ""] = pair.split("=");
        if (value) this.cookies.set(name.trim(), value);
        else this.cookies.delete(name.trim());
      }
    }
    return response;
  }

  /** Follows redirects (a POST's 302/303 becomes a GET, as browsers do); returns the last response and URL. */
  async follow(url: string, init: RequestInit = {}): Promise<{ response: Response; url: string }> {
    let current = url;
    let request = init;
    for (let hops = 0; hops < 10; hops++) {
      const response = await this.fetch(current, request);
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return { response, url: current };
      current = new URL(location, current).toString();
      request = {};
    }
    throw new Error(`too many redirects from ${url}`);
  }
}

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

const attr = (html: string, pattern: RegExp) => {
  const value = pattern.exec(html)?.[1];
  if (!value) throw new Error(`not found: ${pattern}`);
  return value.replace(/&amp;/g, "&");
};

describe("npm start's sandbox, without any accounts", () => {
  it("signs in through the sandbox Google, closes a deal and sees the journey advance", async () => {
    const browser = new Jar();
    // Sign-in: the app sends the browser to the sandbox's Google, which asks one question.
    const consent = await browser.follow(`${app.appUrl}/sandbox`);
    expect(consent.url.startsWith(`${app.sandboxUrl}/google/o/oauth2/v2/auth?`)).toBe(true);
    const consentPage = await consent.response.text();
    expect(consentPage).toContain("SANDBOX");
    expect(consentPage).toContain("Continue as owner@sandbox.test");
    const action = attr(consentPage, /<form method="post" action="([^"]+)"/);
    const signedIn = await browser.follow(`${app.sandboxUrl}${action}`, { method: "POST" });
    expect(signedIn.url).toBe(`${app.appUrl}/sandbox`);
    expect(signedIn.response.status).toBe(200);
    const page = await signedIn.response.text();
    expect(page).toContain("SANDBOX");
    expect(page).toContain("Website refresh");

    // The owner lands in the seeded workspace: marking the deal won starts its journey there.
    const csrf = attr(page, /name="csrf-token" content="([^"]+)"/);
    const deal = [...app.sandbox.hubspot.deals].find(([, d]) => d.properties.dealname === "Website refresh");
    if (!deal) throw new Error("no sample deal");
    const won = await browser.fetch(`${app.appUrl}/sandbox/hubspot/deals/${deal[0]}/win`, form({ _csrf: csrf }));
    expect(won.status).toBe(303);
    expect(won.headers.get("location")).toBe("/sandbox?notice=deal-won&status=200");

    const welcome = await eventually(
      "the welcome email",
      () => app.sandbox.google.sent.find((m) => m.to.includes("lin.park@client.test")),
      45_000,
    );
    expect(welcome.subject).toBe("Welcome, Lin: your next steps");
    const invoice = await eventually(
      "the deposit invoice",
      () => [...app.sandbox.stripe.invoices.values()].find((i) => i.status === "open"),
      20_000,
    );
    expect(invoice.amount_due).toBe(240_000);

    // The page reads the journey from D1 and lists what the journey did in the emulators.
    const after = await (await browser.fetch(`${app.appUrl}/sandbox`)).text();
    expect(after).toMatch(/href="\/journeys\/onb-[0-9a-f]{32}">Journey \(onboarding\)/);
    expect(after).toContain(`href="/sandbox/emails/${welcome.id}"`);
    const mail = await (await browser.fetch(`${app.appUrl}/sandbox/emails/${welcome.id}`)).text();
    expect(mail).toContain("Welcome, Lin: your next steps");
    expect(mail).toMatch(/<iframe[^>]*sandbox=""/);

    // The welcome email's invoice link opens the sandbox's invoice page, which can pay it.
    const invoiceUrl = `${app.appUrl}/sandbox/invoices/${invoice.id}`;
    expect(welcome.text).toContain(invoiceUrl);
    const invoicePage = await (await browser.fetch(invoiceUrl)).text();
    expect(invoicePage).toContain("Sandbox invoice");
    expect(invoicePage).toContain(`action="/sandbox/stripe/invoices/${invoice.id}/pay"`);
    // The journey page links the email to the sandbox's email page.
    const journeyPath = /href="(\/journeys\/onb-[0-9a-f]{32})"/.exec(after)?.[1] ?? "";
    const journeyPage = await (await browser.fetch(`${app.appUrl}${journeyPath}`)).text();
    expect(journeyPage).toContain(`href="/sandbox/emails/${welcome.id}"`);
    expect(journeyPage).toContain(`href="${invoiceUrl}"`);

    // Paying the invoice delivers a signed invoice.paid that the Worker accepts.
    const paid = await browser.fetch(`${app.appUrl}/sandbox/stripe/invoices/${invoice.id}/pay`, form({ _csrf: csrf }));
    expect(paid.headers.get("location")).toBe("/sandbox?notice=invoice-paid&status=200");
    expect(app.sandbox.stripe.invoices.get(invoice.id)?.status).toBe("paid");
    for (const secret of [app.sandbox.secrets.hubspotToken, app.sandbox.secrets.stripeKey]) {
      expect(app.logs()).not.toContain(secret);
    }
  }, 90_000);
});
