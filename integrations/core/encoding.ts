/** Byte/string conversions shared by the signers, the secret box and MIME. */

const encoder = new TextEncoder();

/** The UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text) as Uint8Array<ArrayBuffer>;
}

/** Standard base64 (with padding), in chunks so large inputs do not overflow the call stack. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** The bytes of a standard base64 string; throws on invalid input. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** base64url without padding (RFC 4648 §5): tokens, PKCE challenges, Gmail `raw`. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

let hexDigits: string[] | undefined;

/** Lower-case hex, by a table of the 256 byte values (built on first use): no array or string per byte. */
export function toHex(bytes: Uint8Array): string {
  hexDigits ??= Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
  let hex = "";
  for (const b of bytes) hex += hexDigits[b];
  return hex;
}

/** SHA-256 of the UTF-8 text, in hex (WebCrypto). */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(text))));
}
