/**
 * The network a client address stands for, as rate limits should count it:
 * an IPv4 address is one client; an IPv6 address is its /64, because one
 * subscriber line gets a whole /64 (RFC 6177, RFC 7934) and can walk through
 * its 2^64 addresses at will. IPv4-mapped IPv6 (`::ffff:192.0.2.1`) is the
 * IPv4 address. Anything unparseable is returned trimmed, as its own key.
 */
export function clientNetwork(address: string): string {
  const ip = address.trim().toLowerCase();
  if (!ip.includes(":")) return ip;
  const mapped = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const hextets = expandIpv6(ip.split("%")[0] ?? "");
  return hextets ? `${hextets.slice(0, 4).join(":")}::/64` : ip;
}

/** The eight hextets of an IPv6 address (no leading zeros), or null when it is not one. */
function expandIpv6(ip: string): string[] | null {
  const halves = ip.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string | undefined) => (part ? part.split(":") : []);
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  // An embedded IPv4 tail (`64:ff9b::192.0.2.1`) counts as two hextets.
  const last = tail.length ? tail : head;
  const v4 = last.at(-1)?.includes(".") ? last.pop() : undefined;
  if (v4) {
    const octets = v4.split(".").map(Number);
    if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return null;
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    last.push(((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((h) => /^[0-9a-f]{1,4}$/.test(h))) return null;
  return all.map((h) => Number.parseInt(h, 16).toString(16));
}
