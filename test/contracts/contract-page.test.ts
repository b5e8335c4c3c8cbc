import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { auditRecordOf } from "../../src/contracts/accept";
import { verifyAudit } from "../../src/contracts/audit";
import { contractUrl } from "../../src/contracts/links";
import { findContract, voidContract } from "../../src/store/contracts";
import { captureLogs } from "../world";
import { contractRow, FORM_HEADERS, fetchWorker, form, sentContract, sha256 } from "./helpers";

const logs = captureLogs();
const WS = "ws-contract-page";

describe("GET /c/:token", () => {
  it("shows the agreement, escaped and pre-wrapped, with a labelled name field and the text's hash", async () => {
    const sent = await sentContract(WS, "onb-page-1", "<script>alert(1)</script> & more");
    const response = await fetchWorker(sent.path);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();

    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(html).toContain("<title>Services agreement: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</title>");
    expect(html).toMatch(/<h1>Services agreement: &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; more<\/h1>/);
    expect(html).not.toContain("<script");
    expect(html).toContain('<div class="document">Services agreement: &lt;script&gt;');
    expect(html).toContain("Date: 2026-11-20\n\n1. Parties\nThis agreement is between Bright Studio");
    expect(html).toContain("white-space:pre-wrap");
    expect(html).toContain('<label for="name">Your full name</label>');
    expect(html).toMatch(/<input type="text" id="name" name="name" value="" required=""/);
    expect(html).toContain(`<input type="hidden" name="text_sha256" value="${await sha256(sent.text)}"/>`);
    expect(html).toContain(`<form method="post" action="${sent.path}"`);
    expect(html).toContain('<button type="submit">I accept</button>');

    // The token is the credential: not cached, not leaked by Referer, not framed.
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("answers 404 with a page for an unknown or malformed token", async () => {
    for (const token of ["A".repeat(43), "short", "%3Cscript%3E"]) {
      const response = await fetchWorker(`/c/${token}`);
      expect(response.status, token).toBe(404);
      expect(await response.text()).toContain('<h1 id="message-heading">Agreement not found</h1>');
    }
  });
});

describe("GET /c/:token with a signed link that does not open an agreement", () => {
  it("says an expired link has expired, and a valid link to no agreement is not found", async () => {
    const sent = await sentContract(WS, "onb-page-expired");
    const yearAndADayAgo = new Date(Date.now() - 366 * 86_400_000).toISOString();
    const expired = await fetchWorker(
      new URL(await contractUrl(env, { id: sent.contractId, sentAt: yearAndADayAgo })).pathname,
    );
    expect(expired.status).toBe(404);
    expect(await expired.text()).toContain("Agreement link expired");

    const nowhere = await contractUrl(env, { id: `ctr_${"0".repeat(32)}`, sentAt: new Date().toISOString() });
    const missing = await fetchWorker(new URL(nowhere).pathname);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("Agreement not found");
  });
});

describe("POST /c/:token", () => {
  it("stores the signed audit record: typed name, IP, user agent, SHA-256 of the exact text", async () => {
    const sent = await sentContract(WS, "onb-page-2");
    const hash = await sha256(sent.text);
    const before = Date.now();
    const response = await fetchWorker(sent.path, {
      method: "POST",
      headers: { ...FORM_HEADERS, "cf-connecting-ip": "203.0.113.7", "user-agent": "Mozilla/5.0 (Contract test)" },
      body: form({ name: "  Grace   Hopper ", text_sha256: hash }),
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Thank you: your acceptance is recorded");
    expect(html).toContain('<div class="document">Services agreement: Brand sprint');

    const row = await contractRow(sent.contractId);
    expect(row).toMatchObject({
      status: "accepted",
      accepted_name: "Grace Hopper",
      accepted_ip: "203.0.113.7",
      accepted_user_agent: "Mozilla/5.0 (Contract test)",
      accepted_text_sha256: hash,
      body_sha256: hash,
    });
    expect(Date.parse(row.accepted_at ?? "")).toBeGreaterThanOrEqual(before - 1);
    expect(row.audit_signature).toMatch(/^v1\.[0-9a-f]{64}$/);

    const contract = await findContract(env.DB, sent.contractId);
    const record = contract && auditRecordOf(contract);
    if (!record) throw new Error("audit record expected");
    expect(record).toEqual({
      contractId: sent.contractId,
      journeyId: "onb-page-2",
      name: "Grace Hopper",
      ip: "203.0.113.7",
      userAgent: "Mozilla/5.0 (Contract test)",
      acceptedAt: row.accepted_at,
      textSha256: hash,
    });
    expect(await verifyAudit(env, record, row.audit_signature ?? "")).toBe(true);
    for (const [field, value] of Object.entries({
      name: "Grace Hoppe",
      ip: "203.0.113.8",
      userAgent: "curl/8",
      acceptedAt: "2026-01-01T00:00:00.000Z",
      textSha256: "0".repeat(64),
      contractId: "ctr_other",
      journeyId: "onb-other",
    })) {
      expect(await verifyAudit(env, { ...record, [field]: value }, row.audit_signature ?? ""), field).toBe(false);
    }

    // Logs carry ids only: no name, no IP, no user agent, no token.
    const token = sent.path.slice(3);
    const joined = logs.join("\n");
    expect(joined).toContain('"msg":"contract accepted"');
    for (const secret of ["Grace", "Hopper", "203.0.113.7", "Contract test", token])
      expect(joined).not.toContain(secret);
  });

  it("answers a second POST with 'already accepted' and leaves the record as it was", async () => {
    const sent = await sentContract(WS, "onb-page-3");
    const hash = await sha256(sent.text);
    const post = (name: string, ip: string) =>
      fetchWorker(sent.path, {
        method: "POST",
        headers: { ...FORM_HEADERS, "cf-connecting-ip": ip },
        body: form({ name, text_sha256: hash }),
      });
    expect((await post("Grace Hopper", "203.0.113.7")).status).toBe(200);
    const first = await contractRow(sent.contractId);

    const second = await post("Mallory Jones", "198.51.100.1");
    expect(second.status).toBe(200);
    expect(await second.text()).toContain("This agreement is already accepted");
    expect(await contractRow(sent.contractId)).toEqual(first);

    const page = await fetchWorker(sent.path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("This agreement is already accepted");
    expect(html).not.toContain("<form");
  });

  it("accepts once when two submissions race", async () => {
    const sent = await sentContract(WS, "onb-page-4");
    const hash = await sha256(sent.text);
    const responses = await Promise.all(
      ["Grace Hopper", "Ada Lovelace"].map((name) =>
        fetchWorker(sent.path, { method: "POST", headers: FORM_HEADERS, body: form({ name, text_sha256: hash }) }),
      ),
    );
    const pages = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(pages.filter((p) => p.includes("Thank you: your acceptance is recorded"))).toHaveLength(1);
    expect(pages.filter((p) => p.includes("already accepted"))).toHaveLength(1);
    const row = await contractRow(sent.contractId);
    expect(["Grace Hopper", "Ada Lovelace"]).toContain(row.accepted_name);
  });

  it("refuses a text hash other than the stored one with 400 and stores nothing", async () => {
    const sent = await sentContract(WS, "onb-page-5");
    const before = await contractRow(sent.contractId);
    const otherText = await sha256(`${sent.text} `);
    const response = await fetchWorker(sent.path, {
      method: "POST",
      headers: FORM_HEADERS,
      body: form({ name: "Grace Hopper", text_sha256: otherText }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("does not match this agreement");
    expect(await contractRow(sent.contractId)).toEqual(before);
    expect(before.status).toBe("sent");
  });

  it("asks again for a name that is missing, blank, too short or too long (400, nothing stored)", async () => {
    const sent = await sentContract(WS, "onb-page-6");
    const hash = await sha256(sent.text);
    const cases: [Record<string, string>, string][] = [
      [{ text_sha256: hash }, "The form was incomplete"],
      [{ name: "", text_sha256: hash }, "Type your full name to accept."],
      [{ name: "   ", text_sha256: hash }, "Type your full name to accept."],
      [{ name: "G", text_sha256: hash }, "Your name must be 2 to 120 characters"],
      [{ name: "G".repeat(121), text_sha256: hash }, "Your name must be 2 to 120 characters"],
      [{ name: "Grace\u0007Hopper", text_sha256: hash }, "Your name must be 2 to 120 characters"],
    ];
    for (const [fields, message] of cases) {
      const response = await fetchWorker(sent.path, { method: "POST", headers: FORM_HEADERS, body: form(fields) });
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(await response.text()).toContain(message);
    }
    const retry = await fetchWorker(sent.path, {
      method: "POST",
      headers: FORM_HEADERS,
      body: form({ name: "G", text_sha256: hash }),
    });
    const html = await retry.text();
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('aria-describedby="name-hint name-error"');
    expect(html).toContain('<p id="name-error" class="error" role="alert">');
    expect((await contractRow(sent.contractId)).status).toBe("sent");
    const ok = await fetchWorker(sent.path, {
      method: "POST",
      headers: FORM_HEADERS,
      body: form({ name: "G".repeat(120), text_sha256: hash }),
    });
    expect(ok.status).toBe(200);
  });

  it("answers 400 for a malformed form and 415 for a body that is not a form", async () => {
    const sent = await sentContract(WS, "onb-page-7");
    const hash = await sha256(sent.text);
    const bad: [RequestInit, number][] = [
      [{ headers: FORM_HEADERS, body: form({ name: "Grace Hopper", text_sha256: "not-a-hash" }) }, 400],
      [
        {
          headers: FORM_HEADERS,
          body: form([
            ["name", "Grace Hopper"],
            ["name", "Ada"],
            ["text_sha256", hash],
          ]),
        },
        400,
      ],
      [{ headers: FORM_HEADERS, body: new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x3d, 0xff, 0xfe]) }, 400],
      [{ headers: FORM_HEADERS }, 400],
      [
        { headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Grace", text_sha256: hash }) },
        415,
      ],
    ];
    for (const [init, status] of bad) {
      const response = await fetchWorker(sent.path, { method: "POST", ...init });
      expect(response.status, JSON.stringify(init.headers)).toBe(status);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    }
    expect((await contractRow(sent.contractId)).status).toBe("sent");
  });

  it("answers 413 for a body over 16 KiB, declared or streamed, and stores nothing", async () => {
    const sent = await sentContract(WS, "onb-page-8");
    const hash = await sha256(sent.text);
    const big = form({ name: "Grace Hopper", text_sha256: hash, padding: "x".repeat(16 * 1024) });
    const declared = await fetchWorker(sent.path, { method: "POST", headers: FORM_HEADERS, body: big });
    expect(declared.status).toBe(413);
    expect(await declared.text()).toContain("Request too large");

    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(bytes.slice(i, i + 4096));
        controller.close();
      },
    });
    const streamed = await fetchWorker(sent.path, { method: "POST", headers: FORM_HEADERS, body: stream });
    expect(streamed.status).toBe(413);
    expect((await contractRow(sent.contractId)).status).toBe("sent");
  });

  it("answers 404 for an unknown token", async () => {
    const response = await fetchWorker(`/c/${"B".repeat(43)}`, {
      method: "POST",
      headers: FORM_HEADERS,
      body: form({ name: "Grace Hopper", text_sha256: "0".repeat(64) }),
    });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Agreement not found");
  });

  it("answers 410 for a withdrawn contract", async () => {
    const sent = await sentContract(WS, "onb-page-9");
    expect(await voidContract(env.DB, sent.contractId)).toBe(true);
    expect((await fetchWorker(sent.path)).status).toBe(410);
    const post = await fetchWorker(sent.path, {
      method: "POST",
      headers: FORM_HEADERS,
      body: form({ name: "Grace Hopper", text_sha256: await sha256(sent.text) }),
    });
    expect(post.status).toBe(410);
    expect((await contractRow(sent.contractId)).accepted_name).toBeNull();
  });
});
