/** Reads back what Gmail's `raw` carries: headers and the decoded text/html parts. */
export interface ParsedMail {
  headers: Record<string, string>;
  text: string;
  html: string;
}

function decodeBase64(text: string): string {
  const binary = atob(text.replace(/\s+/g, ""));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** Decodes encoded-words; whitespace between adjacent words is dropped (RFC 2047 §6.2). */
function decodeWord(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?UTF-8\?B\?([^?]+)\?=/gi, (_m, b64: string) => decodeBase64(b64));
}

function splitHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  // Unfold continuation lines first (RFC 5322 §2.2.3).
  for (const line of block.replace(/\r\n[ \t]/g, " ").split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = decodeWord(line.slice(i + 1).trim());
  }
  return headers;
}

export function parseRawMail(raw: string): ParsedMail {
  const mime = decodeBase64(raw.replace(/-/g, "+").replace(/_/g, "/"));
  const [head = "", ...rest] = mime.split("\r\n\r\n");
  const headers = splitHeaders(head);
  const boundary = /boundary="([^"]+)"/.exec(headers["content-type"] ?? "")?.[1] ?? "";
  const parts = rest.join("\r\n\r\n").split(`--${boundary}`);
  let text = "";
  let html = "";
  for (const part of parts) {
    const [partHead = "", ...partBody] = part.trim().split("\r\n\r\n");
    const partHeaders = splitHeaders(partHead);
    const content = decodeBase64(partBody.join(""));
    if (partHeaders["content-type"]?.startsWith("text/plain")) text = content;
    if (partHeaders["content-type"]?.startsWith("text/html")) html = content;
  }
  return { headers, text, html };
}
