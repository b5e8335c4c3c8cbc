import { toBase64, toBase64Url, utf8 } from "../core/encoding";

/** One email as Clientflow sends it: plain text and HTML alternatives. */
export interface MailMessage {
  from: { name: string; email: string };
  to: { name: string; email: string };
  subject: string;
  text: string;
  html: string;
  /** A stable RFC 5322 Message-ID (without angle brackets). */
  messageId: string;
  /** Extra headers (names are fixed by the caller's schema; values lose line breaks). */
  headers?: Record<string, string>;
}

const isAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

/**
 * RFC 2047 encoded-words for non-ASCII header text, each at most 75
 * characters (about 45 bytes of UTF-8 before base64), folded onto
 * continuation lines; characters are never split.
 */
function encodeWords(text: string): string {
  const words: string[] = [];
  let chunk = "";
  for (const char of text) {
    if (utf8(chunk + char).length > 45) {
      words.push(`=?UTF-8?B?${toBase64(utf8(chunk))}?=`);
      chunk = "";
    }
    chunk += char;
  }
  if (chunk) words.push(`=?UTF-8?B?${toBase64(utf8(chunk))}?=`);
  return words.join("\r\n ");
}

/** Header text with line breaks removed (no header injection). */
function encodeHeader(value: string): string {
  const clean = value.replace(/[\r\n]+/g, " ");
  return isAscii(clean) ? clean : encodeWords(clean);
}

/**
 * One mailbox: the display name is quoted (or encoded), so commas or angle
 * brackets in a client's name cannot add recipients.
 */
function address(a: { name: string; email: string }): string {
  const email = a.email.replace(/[\r\n<>,;"\s]/g, "");
  const name = a.name.replace(/[\r\n]+/g, " ").trim();
  if (!name) return email;
  const display = isAscii(name) ? `"${name.replace(/["\\]/g, "\\$&")}"` : encodeWords(name);
  return `${display} <${email}>`;
}

/** base64 body wrapped at 76 characters (RFC 2045). */
function base64Lines(text: string): string {
  return (toBase64(utf8(text)).match(/.{1,76}/g) ?? []).join("\r\n");
}

/** A multipart/alternative UTF-8 message, base64url-encoded as Gmail's `raw` expects. */
export function buildRawMessage(message: MailMessage): string {
  const boundary = `cf-${message.messageId.replace(/[^a-zA-Z0-9]/g, "").slice(0, 40)}`;
  const lines = [
    `From: ${address(message.from)}`,
    `To: ${address(message.to)}`,
    `Subject: ${encodeHeader(message.subject)}`,
    `Message-ID: <${message.messageId}>`,
    ...Object.entries(message.headers ?? {}).map(([name, value]) => `${name}: ${value.replace(/[\r\n]+/g, " ")}`),
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(message.text),
    `--${boundary}`,
    "Content-Type: text/html; charset=UTF-8",
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(message.html),
    `--${boundary}--`,
    "",
  ];
  return toBase64Url(utf8(lines.join("\r\n")));
}
