import { exports } from "cloudflare:workers";
import { APP, type World } from "./world";

/** A browser's cookie jar: what Set-Cookie gave, sent back on the next requests. */
export class Browser {
  readonly cookies = new Map<string, string>();

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await exports.default.fetch(path.startsWith("http") ? path : `${APP}${path}`, {
      ...init,
      headers,
      redirect: "manual",
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const [name = "", value = ""] = pair.split("=");
      const expired = attributes.some((a) => /max-age=0/i.test(a.trim()));
      if (expired || value === "") this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    return response;
  }

  /** A form POST with the session's CSRF token. */
  async post(path: string, fields: Record<string, string>, csrf: string): Promise<Response> {
    return this.fetch(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...fields, _csrf: csrf }).toString(),
    });
  }
}

export const location = (response: Response) => response.headers.get("location") ?? "";

/** Signs in with Google the way a browser does; returns the browser and the session's CSRF token. */
export async function signIn(
  world: World,
  identity: { sub: string; email: string; name?: string },
  browser = new Browser(),
) {
  const login = await browser.fetch("/auth/login");
  const consent = await world.google.consent(location(login), identity);
  const callback = await browser.fetch(`/auth/callback?code=${consent.code}&state=${consent.state}`);
  if (callback.status !== 302) throw new Error(`sign-in failed: ${callback.status} ${await callback.text()}`);
  const me = (await (await browser.fetch("/api/connections")).json()) as { csrfToken: string };
  return { browser, csrf: me.csrfToken };
}

/** Runs a provider's connect flow to the callback; returns the callback response. */
export async function connect(
  browser: Browser,
  consent: (authorizeUrl: string) => Promise<{ code: string; state: string }>,
  provider: string,
): Promise<Response> {
  const start = await browser.fetch(`/connect/${provider}`);
  if (start.status !== 302) throw new Error(`connect failed: ${start.status} ${await start.text()}`);
  const { code, state } = await consent(location(start));
  return browser.fetch(`/oauth/${provider}/callback?code=${code}&state=${state}`);
}
