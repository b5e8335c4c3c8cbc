import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { signIn } from "../browser";
import { envRecordingEvents } from "../contracts/helpers";
import { FORM_HEADERS, form, sentSurvey } from "../surveys/helpers";
import { APP, useWorld } from "../world";

const world = useWorld();
const HTML = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

/** An HTML error page: its status, a heading, a way on, and the headers every page has. */
async function expectPage(response: Response, status: number, heading: RegExp, link?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("cache-control")).toBe("no-store");
  const html = await response.text();
  expect(html).toMatch(/^<!DOCTYPE html>/);
  expect(html).toMatch(heading);
  if (link) expect(html).toContain(`href="${link}"`);
  return html;
}

describe("pages for people, JSON for programs", () => {
  it("an unknown journey is an HTML 404 page; the same journey through the API is a JSON 404", async () => {
    const owner = await signIn(world, { sub: "owner-errors", email: "errors@studio.test" });
    await expectPage(
      await owner.browser.fetch("/journeys/j-no-such-journey", { headers: HTML }),
      404,
      /<h1>Page not found<\/h1>/,
      "/journeys",
    );
    const api = await owner.browser.fetch("/api/journeys/j-no-such-journey", { headers: HTML });
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await api.json()).toMatchObject({ error: "unknown_journey" });

    // An unknown path in the dashboard is a page too, even when the browser sends no Accept header.
    await expectPage(
      await owner.browser.fetch("/journeys/j-1/nothing/here"),
      404,
      /<h1>Page not found<\/h1>/,
      "/journeys",
    );
    // A refused filter says what was wrong.
    const filter = await expectPage(
      await owner.browser.fetch("/journeys?status=bogus", { headers: HTML }),
      400,
      /<h1>/,
    );
    expect(filter).toContain("Unknown status filter");
  });

  it("unknown paths answer by Accept; programs' paths stay JSON", async () => {
    await expectPage(await exports.default.fetch(`${APP}/nope`, { headers: HTML }), 404, /<h1>Page not found<\/h1>/);
    const program = await exports.default.fetch(`${APP}/nope`, { headers: { accept: "application/json" } });
    expect(program.status).toBe(404);
    expect(await program.json()).toMatchObject({ error: "not_found" });
    const webhook = await exports.default.fetch(`${APP}/webhooks/nope`, { headers: HTML });
    expect(webhook.status).toBe(404);
    expect(await webhook.json()).toMatchObject({ error: "not_found" });
  });

  it("a client's link that opens nothing, or a survey answered twice, is a hosted HTML page", async () => {
    const missing = await exports.default.fetch(`${APP}/s/not-a-token/more`);
    const html = await expectPage(missing, 404, /<h1>Page not found<\/h1>/);
    expect(html).toContain("ask the business that sent it");
    expect(missing.headers.get("referrer-policy")).toBe("no-referrer");

    const sent = await sentSurvey("ws-error-pages", "onb-error-pages");
    // Through the app with an env whose journey binding only records (this journey has no running instance).
    const answer = () =>
      app.request(
        `${APP}${sent.path}`,
        { method: "POST", headers: FORM_HEADERS, body: form({ score: "9" }) },
        envRecordingEvents([]),
      );
    expect((await answer()).status).toBe(200);
    const twice = await answer();
    expect(twice.status).toBe(409);
    expect(twice.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await twice.text()).toContain("<h1");
  });
});
