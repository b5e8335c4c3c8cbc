/**
 * An in-isolate memory of the HubSpot portals found connected, so the
 * receiver's unknown-portal 404 costs no D1 read per delivery for the
 * portals that keep sending (docs/intake-queue.md, "Ack path analysis").
 * Only "connected" is remembered, for a short TTL: an unknown portal is read
 * every time, so a portal connected a moment ago is never answered 404 from
 * memory. A portal disconnected within the TTL may still be answered 200;
 * that changes nothing processed, because the consumer resolves the tenant
 * again when it records the event (unknown_tenant then).
 */
export class ConnectedPortals {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly lookup: (portalId: string) => Promise<boolean>,
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether any of the portals is connected: remembered ones first, then one read per distinct other portal. */
  async anyConnected(portalIds: Iterable<string>): Promise<boolean> {
    const unknown = [];
    for (const portalId of new Set(portalIds)) {
      const until = this.seen.get(portalId);
      if (until !== undefined && until > this.now()) return true;
      unknown.push(portalId);
    }
    for (const portalId of unknown) {
      if (await this.lookup(portalId)) {
        // Bounded: an isolate serving many portals starts over rather than growing without end.
        if (this.seen.size >= this.maxEntries) this.seen.clear();
        this.seen.set(portalId, this.now() + this.ttlMs);
        return true;
      }
    }
    return false;
  }
}
