import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import worker from "../../src/index";
import { APP, count } from "../world";

/**
 * Issue 10, "one intake path": every receiver is the shared body middleware
 * (webhooks/body.ts: 415, then 413 by `hono/body-limit`, then exact UTF-8
 * text) → verify → parse → one INTAKE send. This checks each POST route
 * under /webhooks (read from the app itself, so a new receiver must be added
 * here) answers bad bodies before anything else looks at the request, even
 * at an opaque URL whose id matches nothing (otherwise that would be a 404),
 * and that a request refused at any step sends nothing to the queue and
 * records nothing. A verified delivery's single send is covered per provider
 * in test/intake/intake-unavailable.test.ts.
 */

/** An opaque id no Stripe endpoint or Notion subscription has. */
const NO_SUCH_ID = "AAAAAAAAAAAAAAAAAAAAAA";

/** Each receiver, its body limit, and how an unsigned but well-formed JSON body is answered. */
const RECEIVERS = [
  { route: "/webhooks/hubspot", path: "/webhooks/hubspot", limit: 256 * 1024, unsigned: 401 },
  { route: "/webhooks/stripe", path: "/webhooks/stripe", limit: 1024 * 1024, unsigned: 401 },
  {
    route: "/webhooks/stripe/e/:endpointId",
    path: `/webhooks/stripe/e/${NO_SUCH_ID}`,
    limit: 1024 * 1024,
    unsigned: 404,
  },
  { route: "/webhooks/notion", path: "/webhooks/notion", limit: 64 * 1024, unsigned: 401 },
  { route: "/webhooks/notion/w/:id", path: `/webhooks/notion/w/${NO_SUCH_ID}`, limit: 64 * 1024, unsigned: 404 },
] as const;

/** Calls the Worker with an INTAKE producer that records what it is sent. */
async function post(path: string, body: BodyInit | null, contentType = "application/json") {
  const sent: unknown[] = [];
  const intake = {
    send: (message: unknown) => {
      sent.push(message);
      return Promise.resolve();
    },
    sendBatch: (messages: unknown[]) => {
      sent.push(...messages);
      return Promise.resolve();
    },
  };
  const request = new Request(`${APP}${path}`, { method: "POST", headers: { "content-type": contentType }, body });
  const response = await worker.fetch(
    request,
    { ...env, INTAKE: intake as unknown as Queue },
    createExecutionContext(),
  );
  return { status: response.status, body: (await response.json()) as { error?: string }, sent };
}

/** A body of `bytes` bytes sent as a stream, without Content-Length. */
function streamed(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode(" ".repeat(16 * 1024));
  let left = bytes;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left <= 0) return controller.close();
      controller.enqueue(left >= chunk.byteLength ? chunk : chunk.slice(0, left));
      left -= chunk.byteLength;
    },
  });
}

describe("every webhook receiver goes through the shared body middleware first", () => {
  it("the table covers every POST route under /webhooks", () => {
    const routes = app.routes.filter((r) => r.method === "POST" && r.path.startsWith("/webhooks/")).map((r) => r.path);
    expect(new Set(routes)).toEqual(new Set(RECEIVERS.map((r) => r.route)));
  });

  it.each(RECEIVERS)(
    "$route refuses a wrong type (415), an oversized (413) or an unreadable body (400); nothing queued",
    async ({ path, limit, unsigned }) => {
      const before = await count(env, "webhook_events");
      const answers = [
        { expected: [415, "unsupported_media_type"], got: await post(path, "{}", "text/plain") },
        { expected: [415, "unsupported_media_type"], got: await post(path, "{}", "application/x-www-form-urlencoded") },
        { expected: [413, "payload_too_large"], got: await post(path, `"${"x".repeat(limit)}"`) },
        { expected: [413, "payload_too_large"], got: await post(path, streamed(limit + 1)) },
        { expected: [400, "invalid_request"], got: await post(path, null) },
        { expected: [400, "invalid_request"], got: await post(path, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])) },
        // Past the middleware: an unsigned event is refused by the verifier (401), or the unknown URL id (404).
        {
          expected: [unsigned, unsigned === 404 ? "unknown_tenant" : "invalid_signature"],
          got: await post(path, "{}"),
        },
      ];
      for (const { expected, got } of answers) {
        expect([got.status, got.body.error], `${path}: ${JSON.stringify(got.body)}`).toEqual(expected);
        expect(got.sent, path).toEqual([]);
      }
      expect(await count(env, "webhook_events")).toBe(before);
    },
  );
});
