import { AppError } from "../errors";

/** What the resolver reads: the configured public address, if any. */
export interface PublicUrlEnv {
  PUBLIC_URL?: string;
}

/**
 * The app's public origin (`https://host[:port]`, no trailing slash), the one
 * base of every link the app hands out (emails, hosted pages, OAuth redirect
 * URIs). PUBLIC_URL wins when set: behind a proxy or a custom domain the
 * request's own origin is not the address people reach. Without it, a
 * request's origin is used; outside a request (a Workflow step) there is
 * nothing to fall back on, so a missing or malformed PUBLIC_URL fails here,
 * naming the variable, instead of producing a relative or wrong link.
 */
export function publicUrl(env: PublicUrlEnv, request?: Request | string): string {
  const configured = env.PUBLIC_URL?.trim();
  if (configured) {
    let parsed: URL;
    try {
      parsed = new URL(configured);
    } catch {
      throw new AppError("missing_public_url", `PUBLIC_URL is not a URL: ${JSON.stringify(configured.slice(0, 100))}`);
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
      throw new AppError("missing_public_url", "PUBLIC_URL must be an http(s) URL");
    }
    return parsed.origin;
  }
  if (request === undefined) {
    throw new AppError(
      "missing_public_url",
      "PUBLIC_URL is not set: links built outside a request (a Workflow step) need the app's public address",
    );
  }
  return new URL(typeof request === "string" ? request : request.url).origin;
}
