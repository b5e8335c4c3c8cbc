import { describe, expect, it } from "vitest";
import { clientNetwork } from "../../src/leads/client-network";

describe("clientNetwork", () => {
  it("keeps an IPv4 address whole", () => {
    expect(clientNetwork("198.51.100.7")).toBe("198.51.100.7");
    expect(clientNetwork(" 198.51.100.7 ")).toBe("198.51.100.7");
  });

  it("reduces an IPv6 address to its /64, whatever its spelling", () => {
    const net = "2001:db8:1:2::/64";
    for (const ip of [
      "2001:db8:1:2::1",
      "2001:0db8:0001:0002:ffff:ffff:ffff:ffff",
      "2001:DB8:1:2:0:0:0:9",
      "2001:db8:1:2:a:b:c:d",
      "2001:db8:1:2::1%eth0",
    ])
      expect(clientNetwork(ip), ip).toBe(net);
    expect(clientNetwork("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(clientNetwork("::1")).toBe("0:0:0:0::/64");
    expect(clientNetwork("64:ff9b::192.0.2.1")).toBe("64:ff9b:0:0::/64");
  });

  it("treats IPv4-mapped IPv6 as the IPv4 address, and leaves garbage as its own key", () => {
    expect(clientNetwork("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(clientNetwork("unknown")).toBe("unknown");
    expect(clientNetwork("2001:db8::1::2")).toBe("2001:db8::1::2");
    expect(clientNetwork("1:2:3:4:5:6:7:8:9")).toBe("1:2:3:4:5:6:7:8:9");
  });
});
