import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ConnectionContext } from "../../integrations/core/context";
import { googleOAuth } from "../../integrations/google/oauth";
import { canCheckSent, findSentMessage, GMAIL_READONLY } from "../../integrations/google/sent-check";
import { useWorld } from "../world";

const world = useWorld();
const SEND = "https://www.googleapis.com/auth/gmail.send";
const REDIRECT = "https://clientflow.test/connections/google/callback";

/** S256 of a verifier, base64url (RFC 7636), as the connect route sends it. */
async function challenge(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** Connects a Google account through the emulator's consent screen with the deployment's vars. */
async function connect(vars: { GMAIL_SENT_CHECK_SCOPE?: string }, sub: string) {
  const verifier = `verifier-${sub}-0123456789abcdefghijklmnopqrstuvwxyz`;
  const url = googleOAuth.authorizeUrl(
    { ...env, ...vars },
    { state: `state-${sub}`, codeChallenge: await challenge(verifier), redirectUri: REDIRECT },
  );
  const { code } = await world.google.consent(url, { sub, email: `${sub}@studio.test` });
  const grant = await googleOAuth.exchange(
    { ...env, ...vars },
    { code, codeVerifier: verifier, redirectUri: REDIRECT },
  );
  return { url: new URL(url), grant };
}

/** An action context on the emulator for a connection granted `scopes`, with the access token `token`. */
const contextFor = (scopes: string[], token: string): ConnectionContext<"google"> => ({
  provider: "google",
  workspaceId: "ws-sent-check",
  token: async () => token,
  config: { email: "studio@example.com", scopes },
  accountId: "studio@example.com",
  apiBase: env.GOOGLE_API_BASE,
});

describe("GMAIL_SENT_CHECK_SCOPE: a deployment opts in to checking Sent mail", () => {
  it("unset: Google is asked for gmail.send only, and the connection cannot check Sent mail", async () => {
    const { url, grant } = await connect({}, "sent-check-off");
    const scopes = url.searchParams.get("scope")?.split(" ") ?? [];
    expect(scopes).toContain(SEND);
    expect(scopes).not.toContain(GMAIL_READONLY);
    expect(canCheckSent({ config: grant.config })).toBe(false);
  });

  it("gmail.readonly: the consent asks for it, the grant records it, and a sent message is found by its Message-ID", async () => {
    const { url, grant } = await connect({ GMAIL_SENT_CHECK_SCOPE: "gmail.readonly" }, "sent-check-on");
    expect(url.searchParams.get("scope")?.split(" ")).toContain(GMAIL_READONLY);
    expect(grant.config.scopes).toContain(GMAIL_READONLY);
    expect(canCheckSent({ config: grant.config })).toBe(true);

    const token = grant.credentials.accessToken ?? "";
    const ctx = contextFor(grant.config.scopes ?? [], token);
    expect(await findSentMessage(ctx, "<nothing-yet@example.com>")).toBeNull();
    world.google.sent.push({
      id: "msg-found",
      threadId: "thread-found",
      from: "studio@example.com",
      to: "client@client.test",
      subject: "Welcome",
      messageId: "<0123456789abcdef0123456789abcdef@example.com>",
      text: "Hi",
      html: "<p>Hi</p>",
    });
    expect(await findSentMessage(ctx, "<0123456789abcdef0123456789abcdef@example.com>")).toEqual({
      messageId: "msg-found",
      threadId: "thread-found",
    });
  });

  it("a token whose consent did not grant gmail.readonly may not search (403)", async () => {
    const { grant } = await connect({}, "sent-check-denied");
    const ctx = contextFor([GMAIL_READONLY], grant.credentials.accessToken ?? "");
    await expect(findSentMessage(ctx, "<x@example.com>")).rejects.toMatchObject({ httpStatus: 403 });
  });
});
