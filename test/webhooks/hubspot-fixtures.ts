/**
 * HubSpot webhook events as the tests send them, beside `dealStageEvent` in
 * test/world.ts (legacy `deal.propertyChange`). Shared so that
 * test/emulators/webhook-fixtures.test.ts checks the very fixtures the
 * receiver tests post against the official event shape
 * (https://developers.hubspot.com/docs/api-reference/webhooks: every event
 * has `changeSource`; creations carry `changeFlag: "CREATED"`; generic
 * `object.*` events name the object in `objectTypeId`, `0-1` contacts,
 * `0-3` deals: https://developers.hubspot.com/changelog/public-beta-generic-webhook-subscriptions).
 */

/** Who made a change, as HubSpot reports it. */
export interface ChangeOrigin {
  changeSource?: string;
  sourceId?: string;
}

/**
 * A deal stage change as an app on HubSpot's current developer platform gets
 * it: the generic `object.propertyChange` with the object in `objectTypeId`
 * (`0-3` deals), beside the fields every event carries.
 */
export const genericStageChange = (
  portalId: number,
  dealId: number,
  stage: string,
  eventId: number,
  occurredAt = 1_900_000_000_000,
) => ({
  eventId,
  subscriptionId: 5120,
  portalId,
  appId: 3300117,
  occurredAt,
  subscriptionType: "object.propertyChange",
  attemptNumber: 0,
  objectId: dealId,
  objectTypeId: "0-3",
  propertyName: "dealstage",
  propertyValue: stage,
  changeSource: "CRM_UI",
  sourceId: "userId:90210",
});

/**
 * An object created, legacy (`contact.creation`, `deal.creation`) or generic
 * (`object.creation` with `objectTypeId`). By default made by a person in the
 * CRM; `origin` says otherwise (an app's write: `INTEGRATION`; an import:
 * `IMPORT`).
 */
export function hubspotCreation(
  format: "legacy" | "generic",
  kind: "contact" | "deal",
  portalId: number | string,
  objectId: number | string,
  eventId: number,
  origin: ChangeOrigin = { changeSource: "CRM_UI", sourceId: "userId:90210" },
) {
  const type =
    format === "legacy"
      ? { subscriptionType: `${kind}.creation` }
      : { subscriptionType: "object.creation", objectTypeId: kind === "contact" ? "0-1" : "0-3" };
  return {
    eventId,
    subscriptionId: 5121,
    portalId: Number(portalId),
    appId: 3300117,
    occurredAt: Date.now(),
    attemptNumber: 0,
    objectId: Number(objectId),
    ...type,
    changeFlag: "CREATED",
    ...origin,
  };
}
