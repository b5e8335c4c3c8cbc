import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { STRIPE_API_VERSION } from "../../integrations/stripe/http";
// @ts-expect-error: a plain .mjs script without types; the same function `npm run setup:providers` calls.
import { setupProviders } from "../../scripts/setup-providers.mjs";
import { deployWorld, removeWorlds } from "./deploy-world";

/** The events the Stripe endpoint subscribes to: payments, then the money reversals (docs/reversals.md). */
const HANDLED = [
  "invoice.paid",
  "invoice.payment_failed",
  "charge.refunded",
  "charge.dispute.created",
  "charge.dispute.closed",
  "invoice.voided",
  "invoice.marked_uncollectible",
];

interface Endpoint {
  id: string;
  url: string;
  enabled_events: string[];
  connect: boolean;
  api_version: string | null;
}

/** A stand-in for Stripe's webhook endpoints API (list, create, update), recording each request. */
async function stripeStandIn() {
  const endpoints: Endpoint[] = [];
  const requests: { method: string; path: string; body: URLSearchParams; auth: string }[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? "/", "http://stripe");
    const body = new URLSearchParams(raw);
    requests.push({ method: req.method ?? "", path: url.pathname, body, auth: req.headers.authorization ?? "" });
    const events = () => [...body.entries()].filter(([k]) => k.startsWith("enabled_events[")).map(([, v]) => v);
    res.setHeader("content-type", "application/json");
    if (req.method === "GET" && url.pathname === "/v1/webhook_endpoints") {
      res.end(JSON.stringify({ object: "list", data: endpoints, has_more: false }));
    } else if (req.method === "POST" && url.pathname === "/v1/webhook_endpoints") {
      const endpoint = {
        id: `we_${endpoints.length + 1}`,
        url: body.get("url") ?? "",
        enabled_events: events(),
        connect: body.get("connect") === "true",
        api_version: body.get("api_version"),
      };
      endpoints.push(endpoint);
      res.end(JSON.stringify({ ...endpoint, secret: "whsec_standin_signing_secret" }));
    } else if (req.method === "POST" && url.pathname.startsWith("/v1/webhook_endpoints/")) {
      const endpoint = endpoints.find((e) => e.id === url.pathname.split("/").at(-1));
      if (!endpoint) return void res.writeHead(404).end(JSON.stringify({ error: { message: "No such endpoint" } }));
      endpoint.enabled_events = events();
      res.end(JSON.stringify(endpoint));
    } else {
      res.writeHead(404).end(JSON.stringify({ error: { message: "unknown" } }));
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { api: `http://127.0.0.1:${port}`, endpoints, requests, close: () => server.close() };
}

let output: string[] = [];
beforeEach(() => {
  output = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void output.push(args.join(" ")));
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});
afterAll(removeWorlds);

describe("npm run setup:providers (stand-in Stripe and wrangler)", () => {
  it("creates the Stripe endpoint once with exactly the handled events, updates drifted events, reports the rest", async () => {
    const world = deployWorld();
    writeFileSync(
      world.config,
      world.toml().replace(/(\[env\.staging\.vars\][^[]*?PUBLIC_URL = )""/, '$1"https://staging.clientflow.test"'),
    );
    const keyFile = path.join(world.dir, "stripe.env");
    writeFileSync(keyFile, "STRIPE_PLATFORM_SECRET_KEY=sk_test_operator_key\n");
    vi.stubEnv("PATH", "/nonexistent"); // no HubSpot CLI here: the upload command is printed instead
    const stripe = await stripeStandIn();
    const argv = [
      "--env",
      "staging",
      "--config",
      world.config,
      "--stripe-key-file",
      keyFile,
      "--stripe-api",
      stripe.api,
    ];
    try {
      const report: string[] = await setupProviders(argv);

      expect(stripe.endpoints).toEqual([
        {
          id: "we_1",
          url: "https://staging.clientflow.test/webhooks/stripe",
          enabled_events: HANDLED,
          connect: true,
          // Pinned to the version the Worker's code is typed for (integrations/stripe/http.ts).
          api_version: STRIPE_API_VERSION,
        },
      ]);
      expect(stripe.requests.every((r) => r.auth === "Bearer sk_test_operator_key")).toBe(true);
      // The signing secret goes to the Worker on stdin, never on argv or the screen.
      const bulk = world.calls().find((c) => c.args[1] === "bulk");
      expect(JSON.parse(bulk?.stdin ?? "{}")).toEqual({ STRIPE_WEBHOOK_SECRET: "whsec_standin_signing_secret" });
      expect(bulk?.args).toEqual(expect.arrayContaining(["--env", "staging"]));
      expect(
        world
          .calls()
          .flatMap((c) => c.args)
          .join(" "),
      ).not.toContain("whsec_");
      expect(output.join("\n")).not.toMatch(/whsec_|sk_test_operator_key/);

      expect(report.join("\n")).toContain("(cd .hubspot-build && hs project upload)");
      expect(output.join("\n")).toContain(
        "project files carry https://staging.clientflow.test/oauth/hubspot/callback and https://staging.clientflow.test/webhooks/hubspot",
      );
      expect(
        readFileSync(path.join(world.dir, ".hubspot-build/src/app/webhooks/webhooks-hsmeta.json"), "utf8"),
      ).toContain('"targetUrl": "https://staging.clientflow.test/webhooks/hubspot"');
      expect(report.join("\n")).toContain("subscribe https://staging.clientflow.test/webhooks/notion");
      expect(report.join("\n")).toContain("https://staging.clientflow.test/operator/notion");
      expect(report).toContain(
        "Google: redirect URI https://staging.clientflow.test/auth/callback registered in the OAuth app",
      );

      // Re-run: found by URL, nothing created or changed.
      const before = stripe.requests.length;
      await setupProviders(argv);
      expect(stripe.requests.slice(before).map((r) => r.method)).toEqual(["GET"]);
      expect(stripe.endpoints).toHaveLength(1);

      // Drift (someone edited the events in the Dashboard): the re-run sets exactly the handled ones.
      const [endpoint] = stripe.endpoints;
      if (!endpoint) throw new Error("no endpoint");
      endpoint.enabled_events = ["invoice.paid", "customer.created"];
      await setupProviders(argv);
      expect(stripe.endpoints).toHaveLength(1);
      expect(stripe.endpoints[0]?.enabled_events).toEqual(HANDLED);
      expect(world.calls().filter((c) => c.args[1] === "bulk")).toHaveLength(1);

      // An endpoint made by hand in another API version cannot be moved to ours: the report says what to do.
      endpoint.api_version = "2020-08-27";
      const drifted = await setupProviders(argv);
      expect(drifted.join("\n")).toContain(
        `Stripe: endpoint we_1 renders events in API version 2020-08-27, not ${STRIPE_API_VERSION}`,
      );
    } finally {
      stripe.close();
    }
  });

  it("refuses to run before the environment has a PUBLIC_URL", async () => {
    const world = deployWorld();
    await expect(setupProviders(["--env", "production", "--config", world.config])).rejects.toThrow(
      /PUBLIC_URL is empty/,
    );
  });
});
