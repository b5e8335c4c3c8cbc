import { describe, expect, it } from "vitest";
import * as core from "../../integrations/core/errors";
import { integrationFor, isProvider, PROVIDERS, providerName, WEBHOOK_PROVIDERS } from "../../integrations/registry";
import * as app from "../../src/errors";

describe("the integration registry", () => {
  it("lists each provider once, under its own id, with its name, scopes, OAuth and actions", () => {
    expect(PROVIDERS).toEqual(["hubspot", "stripe", "notion", "google"]);
    for (const provider of PROVIDERS) {
      const integration = integrationFor(provider);
      expect(integration.id).toBe(provider);
      expect(integration.auth.oauth.provider).toBe(provider);
      for (const action of Object.values(integration.actions)) expect(action.id.startsWith(`${provider}.`)).toBe(true);
    }
    expect(PROVIDERS.map(providerName)).toEqual(["HubSpot", "Stripe", "Notion", "Google"]);
    expect(integrationFor("hubspot").auth.scopes).toContain("crm.objects.deals.write");
    expect(Object.keys(integrationFor("notion").actions)).toContain("getCard");
  });

  it("knows which providers send webhooks, and what is a provider", () => {
    expect(WEBHOOK_PROVIDERS).toEqual(["hubspot", "stripe", "notion"]);
    expect(isProvider("stripe")).toBe(true);
    expect(isProvider("gmail")).toBe(false);
    expect(isProvider("toString")).toBe(false);
    expect(providerName("gmail")).toBe("gmail");
  });
});

describe("one error taxonomy", () => {
  it("the app's errors are the integrations' classes, so instanceof holds across the layers", () => {
    expect(app.AppError).toBe(core.AppError);
    expect(app.IntegrationError).toBe(core.IntegrationError);
    expect(app.ConnectionError).toBe(core.ConnectionError);
    expect(new app.NotFoundError("x", "y")).toBeInstanceOf(core.AppError);
    const error = new core.IntegrationError({ provider: "stripe", httpStatus: 429, message: "m", retryable: true });
    expect(error).toBeInstanceOf(app.AppError);
    expect(error).toMatchObject({ code: "stripe_error", status: 502, httpStatus: 429, retryable: true });
  });
});
