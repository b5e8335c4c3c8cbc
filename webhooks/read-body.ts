import { AppError, PayloadTooLargeError, ValidationError } from "../src/errors";

/** Refuses anything but JSON before reading a byte of the body. */
export function requireJson(request: Request): void {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Content-Type must be application/json", 415);
  }
}

/**
 * The raw body as text (signatures are computed over it), refused with 413
 * past `limitBytes` whether or not Content-Length was declared.
 */
export async function readRawBody(request: Request, limitBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limitBytes) throw new PayloadTooLargeError(limitBytes);
  if (!request.body) throw new ValidationError("Body is empty");
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      await reader.cancel();
      throw new PayloadTooLargeError(limitBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ValidationError("Body is not valid UTF-8");
  }
}

/** JSON.parse with a 400 instead of a SyntaxError. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError("Body is not valid JSON");
  }
}
