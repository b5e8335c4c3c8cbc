import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { LEAD_BODY_LIMIT } from "../../src/hosted/lead-form/lead-routes";
import { LEAD_FIELDS } from "../../src/leads/lead-submission";
import { formToken } from "../leads/lead-helpers";
import { OutcomeTally } from "../reliability/outcome-tally";
import { sentSurvey, surveyRow } from "../surveys/helpers";
import { APP, useWorld } from "../world";
import { brief, expectEscaped, expectNothingStored, fuzz, hostileText, rowCounts, wrongContentType } from "./fuzz-kit";

/**
 * The pages clients open (the lead form, the survey, contract, approval and
 * unsubscribe links) under hostile input: a clear 4xx (or the lead form's
 * deliberate thank-you to spam), never a 5xx, nothing stored from a refusal,
 * and whatever was typed comes back escaped.
 */
useWorld();
const WS = "ws-fuzz-hosted";
const FORM = "application/x-www-form-urlencoded";

let ip = 0;
/** A fresh client address per submission: the rate limit is not what is fuzzed here. */
const nextIp = () => `2001:db8:${(++ip).toString(16)}::1`;

function post(path: string, body: string, contentType = FORM) {
  return exports.default.fetch(`${APP}${path}`, {
    method: "POST",
    headers: { "content-type": contentType, "cf-connecting-ip": nextIp(), accept: "text/html" },
    body,
  });
}

beforeAll(async () => {
  await env.DB.prepare("INSERT INTO workspaces (id, name, settings) VALUES (?1, 'Fuzz Studio', '{}')").bind(WS).run();
});

describe("fuzzing the hosted pages", () => {
  it("the lead form: hostile text in every field is refused (400), escaped on the page, and nothing but the rate-limit slot stored", async ({
    task,
  }) => {
    const tally = new OutcomeTally();
    await fuzz(
      fc.array(hostileText, { minLength: LEAD_FIELDS.length, maxLength: LEAD_FIELDS.length }),
      async (values) => {
        const fields = Object.fromEntries(LEAD_FIELDS.map((name, i) => [name, values[i] ?? ""]));
        const before = await rowCounts();
        const body = new URLSearchParams({ ...fields, website: "", _token: await formToken(WS) }).toString();
        const response = await post(`/f/${WS}/lead`, body);
        tally.add(response.status);
        const html = await response.text();
        const where = `${brief(body)} → ${response.status}`;
        expect([400, 413], where).toContain(response.status);
        expectEscaped(html, values, where);
        // The rate limit counts every attempt, refused ones included (that is its purpose): the only row written.
        await expectNothingStored(before, where, { except: ["lead_submissions"] });
      },
    );
    tally.record(task, "fuzz: hosted pages");
  });

  it("the lead form: raw garbage, the wrong content type, a body over the limit, an unknown form: 4xx or the spam thank-you; nothing stored", async ({
    task,
  }) => {
    const tally = new OutcomeTally();
    const before = await rowCounts();
    await fuzz(
      fc.oneof(
        fc.record({ body: hostileText, type: fc.constant(FORM), workspace: fc.constant(WS) }),
        fc.record({ body: hostileText, type: wrongContentType, workspace: fc.constant(WS) }),
        fc.record({
          body: fc.constant("message=".padEnd(LEAD_BODY_LIMIT + 10, "x")),
          type: fc.constant(FORM),
          workspace: fc.constant(WS),
        }),
        fc.record({ body: fc.constant("name=a"), type: fc.constant(FORM), workspace: hostileText }),
      ),
      async ({ body, type, workspace }) => {
        const response = await post(`/f/${encodeURIComponent(workspace)}/lead`, body, type);
        tally.add(response.status);
        const html = await response.text();
        const where = `${type} /f/${brief(workspace)} ${brief(body)} → ${response.status}`;
        // No token: a bot gets the same thank-you as a person (200), and nothing happens.
        expect([200, 400, 404, 413, 415], where).toContain(response.status);
        expectEscaped(html, [body, workspace], where);
      },
    );
    await expectNothingStored(before, "lead form garbage");
    tally.record(task, "fuzz: hosted pages");
  });

  it("capability links: a made-up or hostile token opens nothing (404), GET or POST, whatever the body; nothing stored or reflected", async ({
    task,
  }) => {
    const tally = new OutcomeTally();
    const before = await rowCounts();
    await fuzz(
      fc.tuple(
        fc.constantFrom("c", "s", "u", "a"),
        fc.oneof(hostileText, fc.constant("eyJhbGciOiJIUzI1NiJ9.e30.c2ln")),
        fc.constantFrom("GET", "POST"),
        fc.oneof(fc.constant(FORM), wrongContentType),
        hostileText,
      ),
      async ([prefix, token, method, type, body]) => {
        const response = await exports.default.fetch(`${APP}/${prefix}/${encodeURIComponent(token) || "x"}`, {
          method,
          headers: { "content-type": type, accept: "text/html" },
          body: method === "POST" ? body : undefined,
        });
        tally.add(response.status);
        const where = `${method} /${prefix}/${brief(token)} ${type} → ${response.status}`;
        expect([400, 404, 413, 415], where).toContain(response.status);
        expectEscaped(await response.text(), [token, body], where);
      },
    );
    await expectNothingStored(before, "capability pages");
    tally.record(task, "fuzz: hosted pages");
  });

  it("a real survey link: hostile scores and comments are refused (400), escaped, and the survey row is unchanged", async ({
    task,
  }) => {
    const tally = new OutcomeTally();
    const survey = await sentSurvey(WS, "fuzz-survey-journey");
    const unchanged = await surveyRow(survey.surveyId);
    const notAScore = hostileText.filter((s) => !/^\s*(10|\d)\s*$/.test(s));
    await fuzz(fc.tuple(notAScore, hostileText), async ([score, comment]) => {
      const body = new URLSearchParams({ score, comment }).toString();
      const response = await post(survey.path, body);
      tally.add(response.status);
      const where = `${brief(body)} → ${response.status}`;
      expect([400, 413], where).toContain(response.status);
      expectEscaped(await response.text(), [score, comment], where);
      expect(await surveyRow(survey.surveyId), where).toEqual(unchanged);
    });
    tally.record(task, "fuzz: hosted pages");
  });
});
