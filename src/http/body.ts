import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { AppError, PayloadTooLargeError, ValidationError } from "../errors";

/** The variable `limitedBody` sets: the request body as exact text. */
export interface RawBodyVariables {
  rawBody: string;
}

/** Refuses a body whose Content-Type does not match, before reading a byte of it (415, with `message`). */
export function requireContentType(pattern: RegExp, message: string): MiddlewareHandler {
  return createMiddleware(async (c, next) => {
    if (!pattern.test(c.req.header("content-type") ?? "")) throw new AppError("unsupported_media_type", message, 415);
    await next();
  });
}

/** `application/json` (any parameters). */
export const JSON_TYPE = /^application\/json\b/i;
/** A web form: `application/x-www-form-urlencoded`. */
export const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;

/**
 * One strict UTF-8 decoder for every request (made on first use): a whole-body `decode` keeps no state between
 * calls, and a decoder per request was one more runtime object for the garbage collector to finalize.
 */
let utf8Decoder: TextDecoder | undefined;

/**
 * At most `limitBytes` of body, whether or not Content-Length was declared
 * (413, by `hono/body-limit`), kept as exact text in `c.var.rawBody`
 * (signatures are computed over it): an empty body or invalid UTF-8 is 400,
 * never decoded leniently. `optional` lets an empty body through as "".
 */
export function limitedBody(
  limitBytes: number,
  options: { optional?: boolean } = {},
): MiddlewareHandler<{ Variables: RawBodyVariables }> {
  const limit = bodyLimit({
    maxSize: limitBytes,
    onError: () => {
      throw new PayloadTooLargeError(limitBytes);
    },
  });
  return createMiddleware<{ Variables: RawBodyVariables }>((c, next) =>
    limit(c, async () => {
      // A request without a body reads as zero bytes; not touching `body` spares a stream object per request.
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.byteLength === 0 && !options.optional) throw new ValidationError("Body is empty");
      try {
        utf8Decoder ??= new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
        c.set("rawBody", utf8Decoder.decode(bytes));
      } catch {
        throw new ValidationError("Body is not valid UTF-8");
      }
      await next();
    }),
  );
}

/** JSON.parse with a 400 instead of a SyntaxError. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError("Body is not valid JSON");
  }
}
