import { describe, expect, it } from "vitest";
import { ConnectedPortals } from "../../webhooks/connected-portals";

/** A lookup over a set of connected portals that counts its reads, and a clock the test moves. */
function setup(connected: Set<string>) {
  const reads: string[] = [];
  let now = 1_000;
  const portals = new ConnectedPortals(
    async (portalId) => {
      reads.push(portalId);
      return connected.has(portalId);
    },
    60_000,
    2,
    () => now,
  );
  return { portals, reads, advance: (ms: number) => (now += ms) };
}

describe("ConnectedPortals", () => {
  it("reads a connected portal once, then answers from memory until the TTL ends", async () => {
    const { portals, reads, advance } = setup(new Set(["1"]));
    expect(await portals.anyConnected(["1"])).toBe(true);
    expect(await portals.anyConnected(["1", "1"])).toBe(true);
    advance(59_999);
    expect(await portals.anyConnected(["1"])).toBe(true);
    expect(reads).toEqual(["1"]);
    advance(1);
    expect(await portals.anyConnected(["1"])).toBe(true);
    expect(reads).toEqual(["1", "1"]);
  });

  it("never remembers an unknown portal: one connected a moment later is found", async () => {
    const connected = new Set<string>();
    const { portals, reads } = setup(connected);
    expect(await portals.anyConnected(["2"])).toBe(false);
    expect(await portals.anyConnected(["2"])).toBe(false);
    connected.add("2");
    expect(await portals.anyConnected(["2"])).toBe(true);
    expect(reads).toEqual(["2", "2", "2"]);
  });

  it("reads each distinct unknown portal of a batch until one is connected", async () => {
    const { portals, reads } = setup(new Set(["5"]));
    expect(await portals.anyConnected(["3", "4", "3", "5", "6"])).toBe(true);
    expect(reads).toEqual(["3", "4", "5"]);
    expect(await portals.anyConnected(["3", "4"])).toBe(false);
  });

  it("starts over when full instead of growing", async () => {
    const { portals, reads } = setup(new Set(["a", "b", "c"]));
    for (const portal of ["a", "b", "c", "a"]) await portals.anyConnected([portal]);
    // "c" arrived with two remembered: memory was cleared, so "a" is read again.
    expect(reads).toEqual(["a", "b", "c", "a"]);
  });
});
