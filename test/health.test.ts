import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import pkg from "../package.json";

describe("GET /health", () => {
  it("answers 200 with the version", async () => {
    const response = await exports.default.fetch("https://clientflow.test/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", version: pkg.version });
  });

  it("answers unknown routes with a JSON 404", async () => {
    const response = await exports.default.fetch("https://clientflow.test/nope");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: "not_found" });
  });

  it("sends the home page to the clients list", async () => {
    const home = await exports.default.fetch("https://clientflow.test/", { redirect: "manual" });
    expect(home.status).toBe(302);
    expect(home.headers.get("location")).toBe("/journeys");
  });
});
