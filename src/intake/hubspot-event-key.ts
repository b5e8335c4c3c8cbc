import { sha256Hex } from "../crypto/encoding";

/** The fields of a HubSpot webhook event that say which change it reports. */
export interface HubspotChange {
  portalId: string;
  eventId: string;
  objectId: string;
  /** `subscriptionType` as delivered: `deal.propertyChange`, `object.creation`, … */
  type: string;
  objectTypeId?: string;
  propertyName?: string;
  propertyValue?: string;
  occurredAt?: number;
}

/**
 * The id a HubSpot event is stored and deduplicated under: HubSpot's
 * `eventId`, then a digest of what identifies the change. HubSpot does not
 * promise that `eventId` is unique, so two different changes that share one
 * still get two rows; a redelivery (same change, only `attemptNumber`
 * grown) gets the same id and is a duplicate. Fits the `event_id` TEXT column
 * and the `UNIQUE (provider, workspace_id, event_id)` dedupe.
 */
export async function hubspotEventKey(change: HubspotChange): Promise<string> {
  const parts = [
    change.portalId,
    change.eventId,
    change.objectId,
    change.type,
    change.objectTypeId ?? null,
    change.propertyName ?? null,
    change.propertyValue ?? null,
    change.occurredAt ?? null,
  ];
  // JSON keeps the parts apart (no separator a value could contain) and tells a missing part from "".
  return `${change.eventId}-${(await sha256Hex(JSON.stringify(parts))).slice(0, 20)}`;
}

/** HubSpot's own `eventId` from a stored id (ids stored before the digest was added are the bare `eventId`). */
export const hubspotEventIdOf = (storedId: string): string => storedId.split("-")[0] ?? storedId;
