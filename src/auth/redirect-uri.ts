import type { AppEnv } from "../env";

/** The app's public origin: PUBLIC_URL when set (behind a proxy), else the request's. */
export function publicOrigin(env: AppEnv, requestUrl: string): string {
  return (env.PUBLIC_URL || new URL(requestUrl).origin).replace(/\/$/, "");
}

/** Only same-origin paths may be returned to after sign-in (no open redirect). */
export function safeReturnPath(value: string | undefined): string {
  return value && /^\/(?!\/)[\w\-/?=&.%]*$/.test(value) ? value : "/connections";
}
