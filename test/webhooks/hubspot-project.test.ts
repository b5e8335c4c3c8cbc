import { describe, expect, it } from "vitest";
import project from "../../hubspot-project/hsproject.json";
import app from "../../hubspot-project/src/app/app-hsmeta.json";
import webhooks from "../../hubspot-project/src/app/webhooks/webhooks-hsmeta.json";
import { integrationFor } from "../../integrations/registry";
import { normalizeHubspot } from "../../src/intake/dispatch-hubspot";
import { normalizedEvent } from "../../src/intake/normalized";
import { parseWorkspaceSettings } from "../../src/settings/workspace-settings";

/** HubSpot's object type ids of the objects the project subscribes to (what `object.*` events carry). */
const OBJECT_TYPE_IDS: Record<string, string> = { contact: "0-1", deal: "0-3" };

/** The HubSpot event types the intake dispatches: every normalized `hubspot.*` type but the recorded-only one. */
const dispatched = normalizedEvent.options
  .map((option) => option.shape.type.value)
  .filter((type) => type.startsWith("hubspot.") && type !== "hubspot.other");

const workspace = { id: "ws-project", name: "Project", settings: parseWorkspaceSettings(null) };

/** What each subscription's events normalize to (a dealstage change to the won stage and to any other). */
function typesDeliveredBy(subscription: (typeof webhooks.config.subscriptions.crmObjects)[number]): string[] {
  const base = {
    objectId: "101",
    type: subscription.subscriptionType,
    objectTypeId: OBJECT_TYPE_IDS[subscription.objectType],
    propertyName: "propertyName" in subscription ? subscription.propertyName : undefined,
  };
  const values =
    base.propertyName === "dealstage" ? [workspace.settings.closedWonStage, "qualifiedtobuy"] : [undefined];
  return values.map((propertyValue) => normalizeHubspot({ ...base, propertyValue }, workspace).type);
}

describe("the HubSpot developer-platform project (hubspot-project/)", () => {
  it("is a 2025.2 project whose app asks for exactly the scopes Clientflow's OAuth flow requests", () => {
    expect(project).toMatchObject({ srcDir: "src", platformVersion: "2025.2" });
    expect(app).toMatchObject({ type: "app", config: { distribution: "marketplace", auth: { type: "oauth" } } });
    expect([...app.config.auth.requiredScopes].sort()).toEqual([...integrationFor("hubspot").auth.scopes].sort());
    expect(app.config.auth.optionalScopes).toEqual([]);
    for (const url of app.config.auth.redirectUrls) expect(new URL(url).pathname).toBe("/oauth/hubspot/callback");
  });

  it("sends webhooks to the receiver, subscribed to exactly the events the intake dispatches", () => {
    expect(webhooks.type).toBe("webhooks");
    expect(new URL(webhooks.config.settings.targetUrl).pathname).toBe(integrationFor("hubspot").webhook?.path);
    const { crmObjects, legacyCrmObjects, hubEvents } = webhooks.config.subscriptions;
    expect([legacyCrmObjects, hubEvents]).toEqual([[], []]);
    for (const subscription of crmObjects) expect(subscription.active).toBe(true);
    const types = [...new Set(crmObjects.map((s) => s.subscriptionType))].sort();
    expect(types).toEqual([...(integrationFor("hubspot").webhook?.events ?? [])].sort());
    const delivered = crmObjects.flatMap(typesDeliveredBy);
    // Every dispatched type has a subscription, and no subscription delivers only what the intake ignores.
    expect([...new Set(delivered)].sort()).toEqual([...dispatched].sort());
    expect(dispatched).toEqual(
      expect.arrayContaining(["hubspot.deal.won", "hubspot.deal.stage_changed", "hubspot.contact.created"]),
    );
  });
});
