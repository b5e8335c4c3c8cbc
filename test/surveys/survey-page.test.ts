import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { NotFoundError } from "../../src/errors";
import { updateJourney } from "../../src/store/journeys";
import { ensureSurvey, surveyUrl } from "../../src/surveys/surveys";
import { captureLogs, count } from "../world";
import {
  envRecordingEvents,
  FORM_HEADERS,
  fetchWorker,
  form,
  insertWorkspaceAndJourney,
  ORIGIN,
  postAnswer,
  QUESTION,
  type SentEvent,
  sentSurvey,
  surveyRow,
} from "./helpers";

const WS = "ws-survey-page";
const logs = captureLogs();

describe("ensureSurvey", () => {
  it("creates one survey per journey and returns the same URL when retried; the token is never stored", async () => {
    await insertWorkspaceAndJourney(WS, "onb-survey-create");
    const first = await ensureSurvey(env, { workspaceId: WS, journeyId: "onb-survey-create", question: QUESTION });
    const again = await ensureSurvey(env, {
      workspaceId: WS,
      journeyId: "onb-survey-create",
      question: "A different question on retry",
    });
    expect(again).toEqual(first);
    expect(first.surveyId).toMatch(/^srv_[0-9a-f]{32}$/);
    // A signed capability link (compact JWS) on PUBLIC_URL, short enough for any email client.
    expect(first.url).toMatch(/^https:\/\/clientflow\.test\/s\/[\w-]+\.[\w-]+\.[\w-]{43}$/);
    expect(first.url.length).toBeLessThan(200);
    expect(await count(env, "surveys", "journey_id = ?", "onb-survey-create")).toBe(1);

    const token = new URL(first.url).pathname.slice(3);
    const row = await surveyRow(first.surveyId);
    expect(row).toMatchObject({
      workspace_id: WS,
      journey_id: "onb-survey-create",
      question: QUESTION,
      status: "sent",
      score: null,
      comment: null,
      answered_at: null,
    });
    expect(JSON.stringify(row)).not.toContain(token);

    await insertWorkspaceAndJourney(WS, "onb-survey-create-2");
    const other = await ensureSurvey(env, { workspaceId: WS, journeyId: "onb-survey-create-2", question: QUESTION });
    expect(other.url).not.toBe(first.url);
  });

  it("refuses a journey of another workspace, and a missing public origin", async () => {
    await insertWorkspaceAndJourney(WS, "onb-survey-foreign");
    await expect(
      ensureSurvey(env, { workspaceId: "ws-else", journeyId: "onb-survey-foreign", question: QUESTION }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      ensureSurvey(
        { ...env, PUBLIC_URL: undefined },
        { workspaceId: WS, journeyId: "onb-survey-foreign", question: QUESTION },
      ),
    ).rejects.toMatchObject({ code: "missing_public_url" });
    expect(await count(env, "surveys", "journey_id = ?", "onb-survey-foreign")).toBe(0);
  });

  it("keeps the sent link working through a key rotation, and signs new ones with the new key", async () => {
    await insertWorkspaceAndJourney(WS, "onb-survey-rotate");
    const input = { workspaceId: WS, journeyId: "onb-survey-rotate", question: QUESTION };
    const OLD = btoa("o".repeat(32));
    const NEW = btoa("n".repeat(32));
    const open = async (url: string, keys: { ENCRYPTION_KEY: string; ENCRYPTION_KEY_PREVIOUS?: string }) =>
      (await app.request(new URL(url).pathname, {}, { ...env, ...keys })).status;
    const made = await ensureSurvey({ ...env, ENCRYPTION_KEY: OLD }, input);
    const rotating = { ENCRYPTION_KEY: NEW, ENCRYPTION_KEY_PREVIOUS: OLD };
    const resent = await ensureSurvey({ ...env, ...rotating }, input);
    expect(resent.surveyId).toBe(made.surveyId);
    expect(resent.url).not.toBe(made.url);
    expect(await open(made.url, rotating)).toBe(200);
    expect(await open(resent.url, rotating)).toBe(200);

    expect(await open(made.url, { ENCRYPTION_KEY: NEW })).toBe(404);
    expect(await open(resent.url, { ENCRYPTION_KEY: NEW })).toBe(200);
  });
});

describe("GET /s/:token", () => {
  it("renders an accessible 0–10 form with the question (escaped), labelled ends and an optional comment", async () => {
    const sent = await sentSurvey(WS, "onb-survey-get", "Would you recommend <b>us</b>?");
    const response = await fetchWorker(sent.path);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("Bright Studio");
    expect(html).toContain("<legend>Would you recommend &lt;b&gt;us&lt;/b&gt;?</legend>");
    expect(html).toContain('<fieldset aria-describedby="scale-hint">');
    const radios = [...html.matchAll(/<input type="radio" id="score-(\d+)" name="score" value="(\d+)" required/g)];
    expect(radios.map((m) => m[2])).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    for (const n of [0, 5, 10]) expect(html).toContain(`<label for="score-${n}">${n}`);
    expect(html).toContain("Not at all likely");
    expect(html).toContain("Extremely likely");
    expect(html).toMatch(/<label class="block" for="comment">/);
    expect(html).toMatch(/<textarea id="comment" name="comment" rows="5" maxlength="2000"/);
    expect(html).toContain('<form method="post"');
    expect(html).not.toContain(sent.token);
  });

  it("answers 404 pages: not valid for a malformed or forged link, closed when expired, not found when gone", async () => {
    const sent = await sentSurvey(WS, "onb-survey-links");
    for (const bad of ["not-a-token", `${"A".repeat(42)}!`, `${sent.token.slice(0, -2)}AA`]) {
      const response = await fetchWorker(`/s/${bad}`);
      expect(response.status, bad).toBe(404);
      expect(await response.text()).toContain("This link is not valid");
    }
    const yearAndADayAgo = new Date(Date.now() - 366 * 86_400_000).toISOString();
    const expired = await fetchWorker(
      new URL(await surveyUrl(env, { id: sent.surveyId, sentAt: yearAndADayAgo })).pathname,
    );
    expect(expired.status).toBe(404);
    expect(await expired.text()).toContain("This survey has closed");
    const gone = await surveyUrl(env, { id: `srv_${"0".repeat(32)}`, sentAt: new Date().toISOString() });
    const unknown = await fetchWorker(new URL(gone).pathname);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("Survey not found");
    expect(logs.join("\n")).toContain('"msg":"hosted page refused"');
    expect(logs.join("\n")).not.toContain("A".repeat(43));
  });
});

describe("POST /s/:token", () => {
  it("stores the answer, thanks the client and signals survey-answered with the survey id and score", async () => {
    const sent = await sentSurvey(WS, "onb-survey-post");
    const events: SentEvent[] = [];
    const response = await app.request(
      `${ORIGIN}${sent.path}`,
      { method: "POST", headers: FORM_HEADERS, body: form({ score: "9", comment: "  Great work,\r\nthank you!  " }) },
      envRecordingEvents(events),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Thank you!");
    expect(await surveyRow(sent.surveyId)).toMatchObject({
      status: "answered",
      score: 9,
      comment: "Great work,\nthank you!",
      signal_outcome: "signalled",
    });
    expect((await surveyRow(sent.surveyId)).answered_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(events).toEqual([
      { instanceId: "onb-survey-post", type: "survey-answered", payload: { surveyId: sent.surveyId, score: 9 } },
    ]);

    // Secrets and personal data stay out of the logs.
    const logged = logs.join("\n");
    expect(logged).toContain('"msg":"survey answered"');
    expect(logged).not.toContain(sent.token);
    expect(logged).not.toContain("Great work");
  });

  it("keeps the first answer: a second POST says already answered, changes nothing and signals nothing", async () => {
    const sent = await sentSurvey(WS, "onb-survey-twice");
    const events: SentEvent[] = [];
    const post = (fields: Record<string, string>) =>
      app.request(
        `${ORIGIN}${sent.path}`,
        { method: "POST", headers: FORM_HEADERS, body: form(fields) },
        envRecordingEvents(events),
      );
    expect((await post({ score: "7", comment: "Good" })).status).toBe(200);
    const first = await surveyRow(sent.surveyId);

    const again = await post({ score: "2", comment: "Changed my mind" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("You have already answered");
    expect(await surveyRow(sent.surveyId)).toEqual(first);
    expect(events).toHaveLength(1);

    const page = await fetchWorker(sent.path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("You have already answered");
    expect(html).not.toContain('type="radio"');
  });

  it("re-sends a lost signal on a later POST (the answer was stored, the Worker died before signalling)", async () => {
    const sent = await sentSurvey(WS, "onb-survey-lost-signal");
    const events: SentEvent[] = [];
    expect((await postAnswer(sent.path, { score: "8" }, envRecordingEvents(events))).status).toBe(200);
    await env.DB.prepare("UPDATE surveys SET signal_outcome = NULL WHERE id = ?").bind(sent.surveyId).run();

    const again = await postAnswer(sent.path, { score: "3" }, envRecordingEvents(events));
    expect(again.status).toBe(409);
    expect(events.map((e) => e.payload)).toEqual([
      { surveyId: sent.surveyId, score: 8 },
      { surveyId: sent.surveyId, score: 8 },
    ]);
    expect(await surveyRow(sent.surveyId)).toMatchObject({ score: 8, signal_outcome: "signalled" });
  });

  it("refuses an invalid score with 400, shows the form again with an alert and stores nothing", async () => {
    const sent = await sentSurvey(WS, "onb-survey-invalid");
    for (const score of ["11", "-1", "abc", "", "5.5", "1e1", " 010"]) {
      const response = await postAnswer(sent.path, { score, comment: "Kept <text>" });
      expect(response.status, `score ${JSON.stringify(score)}`).toBe(400);
      const html = await response.text();
      expect(html).toContain('role="alert"');
      expect(html).toContain("Please choose a score from 0 to 10.");
      expect(html).toContain("Kept &lt;text&gt;</textarea>");
    }
    expect((await postAnswer(sent.path, { comment: "no score" })).status).toBe(400);
    expect(await surveyRow(sent.surveyId)).toMatchObject({ status: "sent", score: null, comment: null });
  });

  it("refuses a comment over 2000 characters (a browser's CRLFs count once) and stores nothing", async () => {
    const sent = await sentSurvey(WS, "onb-survey-comment");
    const tooLong = await postAnswer(sent.path, { score: "8", comment: "x".repeat(2001) });
    expect(tooLong.status).toBe(400);
    const html = await tooLong.text();
    expect(html).toContain("please keep it to 2000");
    expect(html).toContain('value="8" required="" checked=""');
    expect((await surveyRow(sent.surveyId)).status).toBe("sent");

    const lines = "ok\r\n".repeat(666);
    const accepted = await postAnswer(sent.path, { score: "10", comment: lines }, envRecordingEvents([]));
    expect(accepted.status).toBe(200);
    expect((await surveyRow(sent.surveyId)).comment).toBe("ok\n".repeat(666).trim());
  });

  it("answers 404 for an unknown or malformed token, 413 oversized and 415 for a non-form body, storing nothing", async () => {
    const sent = await sentSurvey(WS, "onb-survey-bad");
    expect((await postAnswer(`/s/${"B".repeat(43)}`, { score: "9" })).status).toBe(404);
    expect((await postAnswer("/s/%3Cscript%3E", { score: "9" })).status).toBe(404);

    const oversized = await postAnswer(sent.path, { score: "9", comment: "y".repeat(17 * 1024) });
    expect(oversized.status).toBe(413);
    expect(await oversized.text()).toContain("Your answer is too long");

    const json = await fetchWorker(sent.path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ score: 9 }),
    });
    expect(json.status).toBe(415);
    expect(await surveyRow(sent.surveyId)).toMatchObject({ status: "sent", score: null });
  });

  it("stores the answer when the journey has finished, and records that no one was signalled", async () => {
    const sent = await sentSurvey(WS, "onb-survey-finished");
    await updateJourney(env.DB, "onb-survey-finished", { status: "complete" });
    const events: SentEvent[] = [];
    const response = await app.request(
      `${ORIGIN}${sent.path}`,
      { method: "POST", headers: FORM_HEADERS, body: form({ score: "6" }) },
      envRecordingEvents(events),
    );
    expect(response.status).toBe(200);
    expect(events).toEqual([]);
    expect(await surveyRow(sent.surveyId)).toMatchObject({
      status: "answered",
      score: 6,
      signal_outcome: "journey_finished",
    });
  });
});
