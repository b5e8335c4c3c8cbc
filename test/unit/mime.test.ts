import { describe, expect, it } from "vitest";
import { parseRawMail } from "../../emulators/mime-parse";
import { buildRawMessage, type MailMessage } from "../../integrations/google/mime";

const base: MailMessage = {
  from: { name: "Ada at Bright Studio", email: "studio@example.com" },
  to: { name: "Grace Hopper", email: "grace@client.test" },
  subject: "Welcome, Grace",
  text: "Hello Grace,\nyour invoice is ready.",
  html: "<p>Hello Grace,</p><p>your invoice is ready.</p>",
  messageId: "onb-123.gmail.send-welcome-email@clientflow",
};

/** The MIME text inside Gmail's base64url `raw`. */
function mimeText(raw: string): string {
  const binary = atob(raw.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** Header names of the top-level header block, split on any line break a mail server might honour. */
function headerNames(raw: string): string[] {
  const [head = ""] = mimeText(raw).split("\r\n\r\n");
  return head.split(/\r\n|\r|\n/).map((line) => line.split(":")[0]?.trim().toLowerCase() ?? "");
}

describe("buildRawMessage", () => {
  it("round-trips headers and both bodies", () => {
    const raw = buildRawMessage(base);
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
    const mail = parseRawMail(raw);
    expect(mail.headers.from).toBe('"Ada at Bright Studio" <studio@example.com>');
    expect(mail.headers.to).toBe('"Grace Hopper" <grace@client.test>');
    expect(mail.headers.subject).toBe("Welcome, Grace");
    expect(mail.headers["message-id"]).toBe(`<${base.messageId}>`);
    expect(mail.headers["mime-version"]).toBe("1.0");
    expect(mail.text).toBe(base.text);
    expect(mail.html).toBe(base.html);
  });

  it("encodes non-ASCII subjects, names and bodies so they read back unchanged", () => {
    const message: MailMessage = {
      ...base,
      from: { name: "Zoë Ångström", email: "zoe@example.com" },
      subject: "Café ☕: bienvenue",
      text: "Merci, à bientôt ☕",
      html: "<p>Merci, à bientôt ☕</p>",
    };
    const raw = buildRawMessage(message);
    const mail = parseRawMail(raw);
    expect(mail.headers.subject).toBe("Café ☕: bienvenue");
    expect(mail.headers.from).toBe("Zoë Ångström <zoe@example.com>");
    expect(mail.text).toBe(message.text);
    expect(mail.html).toBe(message.html);
    // Headers on the wire are 7-bit: the non-ASCII subject travels as an RFC 2047 encoded-word.
    const [head = ""] = mimeText(raw).split("\r\n\r\n");
    expect(head).toMatch(/^Subject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/m);
    expect(/^[\x20-\x7e\r\n]*$/.test(head)).toBe(true);
  });

  it("wraps base64 body lines at 76 characters", () => {
    const raw = buildRawMessage({ ...base, text: "long line ".repeat(100) });
    const lines = mimeText(raw).split("\r\n");
    expect(Math.max(...lines.filter((l) => /^[A-Za-z0-9+/=]+$/.test(l)).map((l) => l.length))).toBe(76);
    expect(parseRawMail(raw).text).toBe("long line ".repeat(100));
  });

  it("does not let a CRLF in the subject add a header", () => {
    for (const subject of ["Hi\r\nBcc: x@y.test", "Hi\nBcc: x@y.test", "Hi\rBcc: x@y.test", "Café\r\nBcc: x@y.test"]) {
      const raw = buildRawMessage({ ...base, subject });
      expect(headerNames(raw), JSON.stringify(subject)).not.toContain("bcc");
      expect(parseRawMail(raw).headers.subject).toContain("Bcc: x@y.test");
    }
  });

  it("does not let a CRLF in a name or address add a header", () => {
    const raw = buildRawMessage({
      ...base,
      from: { name: "Eve\r\nBcc: x@y.test", email: "eve@example.com" },
      to: { name: "Grace", email: "grace@client.test\r\nBcc: x@y.test" },
    });
    expect(headerNames(raw)).not.toContain("bcc");
    expect(headerNames(raw).filter((h) => h === "to")).toHaveLength(1);
  });

  it("keeps a display name with a comma to one mailbox (names come from HubSpot contacts)", () => {
    const raw = buildRawMessage({ ...base, to: { name: "Hopper, Grace, eve@evil.test", email: "grace@client.test" } });
    const toLine = mimeText(raw)
      .split("\r\n")
      .find((line) => line.startsWith("To: "));
    // RFC 5322: specials such as "," in a display name must be quoted (or encoded), else the
    // header is a list of several addresses. Strip quoted strings and encoded-words, then look.
    const outsideQuotes = (toLine ?? "").replace(/"(?:[^"\\]|\\.)*"/g, "").replace(/=\?[^?]+\?[BQ]\?[^?]*\?=/gi, "");
    expect(outsideQuotes).toBe("To:  <grace@client.test>");
    expect(parseRawMail(raw).headers.to).toMatch(/^.*Hopper.* <grace@client\.test>$/);
  });

  it("keeps a quote in a display name from breaking the address", () => {
    const mail = parseRawMail(
      buildRawMessage({ ...base, to: { name: 'Grace "Amazing" Hopper', email: "grace@client.test" } }),
    );
    // A quoted-string with the quotes escaped: still one mailbox (RFC 5322 §3.2.4).
    expect(mail.headers.to).toBe('"Grace \\"Amazing\\" Hopper" <grace@client.test>');
  });

  it("splits a long non-ASCII subject into encoded-words of at most 75 characters that read back whole", () => {
    const subject = "Bienvenue à l'atelier ☕ — votre séance découverte ".repeat(4).trim();
    const raw = buildRawMessage({ ...base, subject });
    const [head = ""] = mimeText(raw).split("\r\n\r\n");
    const words = head.match(/=\?UTF-8\?B\?[^?]*\?=/g) ?? [];
    expect(words.length).toBeGreaterThan(3);
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
    expect(parseRawMail(raw).headers.subject).toBe(subject);
  });
});
