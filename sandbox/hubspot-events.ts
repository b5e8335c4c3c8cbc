/**
 * The HubSpot webhook events the sandbox delivers, in the format the app's
 * project subscribes to (hubspot-project/src/app/webhooks/webhooks-hsmeta.json:
 * `object.propertyChange` on the deal's `dealstage`), which is what an app on
 * HubSpot's current developer platform receives: the generic `object.*`
 * subscription type with the object type in `objectTypeId` (`0-3`, deals).
 * https://developers.hubspot.com/docs/apps/developer-platform/add-features/configure-webhooks
 * No node-only imports: test/emulators/webhook-fixtures.test.ts checks it
 * inside workerd.
 */
export function dealStageChanged(input: { eventId: number; portalId: string; dealId: string; stage: string }) {
  return {
    eventId: input.eventId,
    subscriptionId: 1,
    portalId: Number(input.portalId),
    appId: 1,
    occurredAt: Date.now(),
    subscriptionType: "object.propertyChange",
    attemptNumber: 0,
    objectId: Number(input.dealId),
    objectTypeId: "0-3",
    propertyName: "dealstage",
    propertyValue: input.stage,
    changeSource: "CRM_UI",
    sourceId: "userId:1",
  };
}
