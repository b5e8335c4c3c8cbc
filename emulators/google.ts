import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { HttpResponse, http } from "msw";
import { contractGate } from "./contracts/gate";
import { parseRawMail } from "./mime-parse";
import { type Identity, OAuthServer } from "./oauth-server";
import { rateLimitOf } from "./rate-limit-specs";
import { RequestLog, recordRequest } from "./recorder";

let signingKeys: Promise<{ privateKey: CryptoKey; jwk: Record<string, unknown> }> | undefined;

/**
 * One signing key per process, as Google keeps a key for days: the Worker
 * caches Google's JWKS per isolate (jose's remote key set refetches an
 * unknown `kid` only after a cooldown), and test files sharing an isolate
 * (`isolate: false`) each build a fresh emulator.
 */
function googleSigningKeys() {
  signingKeys ??= generateKeyPair("RS256", { extractable: true }).then(async ({ privateKey, publicKey }) => ({
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid: "test-key-1", alg: "RS256", use: "sig" },
  }));
  return signingKeys;
}

const GMAIL_READONLY_SCOPE = "https://www.googleapis.com/auth/gmail.readonly";

export interface SentMail {
  id: string;
  threadId: string;
  from: string;
  to: string;
  subject: string;
  messageId: string;
  text: string;
  html: string;
}

/** How the emulator answers a send that it has carried out: a 5xx status, or a dropped connection ("reset"). */
export type LostAnswer = 500 | 502 | 503 | 504 | "reset";

/**
 * A stateful emulator of Google's token endpoint (refresh grant) and Gmail's
 * messages.send and messages.list (search by `rfc822msgid:`). Only access
 * tokens it issued are accepted.
 */
export class GoogleFake {
  readonly requests = new RequestLog();
  readonly rateLimit = rateLimitOf("google"); // off unless a test turns it on
  readonly sent: SentMail[] = [];
  /**
   * Faults for the next sends, in order: the mail is sent (it is in `sent`),
   * but the answer is lost, as when Gmail's response never reaches the caller.
   */
  readonly lostAnswers: LostAnswer[] = [];
  /** Calendar events on the connected account's primary calendar, by id. */
  readonly events = new Map<string, Record<string, unknown>>();
  readonly refreshTokens = new Set<string>();
  private readonly accessTokens = new Set<string>();
  protected seq = 0;

  /** Google's authorization server: hour-long access tokens, refresh tokens that do not rotate. */
  readonly oauth: OAuthServer;

  constructor(
    readonly apiBase: string,
    readonly oauthBase: string,
    readonly clientId: string,
    readonly clientSecret: string,
    readonly issuer = "https://accounts.google.test",
  ) {
    this.oauth = new OAuthServer("google", clientId, { rotateRefreshTokens: false, expiresIn: 3599 });
  }

  /** The consent screen; the nonce of the authorize URL ends up in the ID token. */
  async consent(
    authorizeUrl: string,
    identity: { sub: string; email: string; name?: string },
    claims: Record<string, unknown> = {},
  ) {
    const url = new URL(authorizeUrl);
    const nonce = url.searchParams.get("nonce");
    const full = { ...identity, nonce };
    // Google grants what the consent screen asked for: the code exchange answers with these scopes.
    const requested = url.searchParams.get("scope");
    if (requested) this.grantedScopes.set(identity.sub, requested);
    this.signedFor.set(identity.sub, await this.idToken(full, claims));
    return this.oauth.consent(authorizeUrl, full);
  }

  private signingKeys() {
    return googleSigningKeys();
  }

  /** An ID token as Google signs it (tests can override claims to forge bad ones). */
  async idToken(identity: Identity, overrides: Record<string, unknown> = {}): Promise<string> {
    const { privateKey } = await this.signingKeys();
    const { iss: _iss, aud: _aud, ...rest } = overrides;
    const claims = {
      email: identity.email,
      email_verified: true,
      name: identity.name,
      nonce: identity.nonce ?? undefined,
      ...rest,
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: "test-key-1" })
      .setIssuer(String(overrides.iss ?? this.issuer))
      .setAudience(String(overrides.aud ?? this.clientId))
      .setSubject(String(identity.sub))
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
  }

  /**
   * Seconds the refresh token of a new grant lives, sent as `refresh_token_expires_in` in the code exchange's
   * answer as Google does for an OAuth app in "Testing" (604799); undefined: a published app, no field.
   */
  refreshTokenExpiresIn: number | undefined = undefined;

  /** The scopes each subject consented to (space-separated, as Google's token answer lists them). */
  private readonly grantedScopes = new Map<string, string>();

  /**
   * Whether a token may search mail: a token from a consent that did not grant
   * gmail.readonly may not (Google answers 403 "insufficient authentication
   * scopes"); the fake's own refresh tokens stand for connections whose scopes
   * the test saved, so they may.
   */
  private maySearch(request: { headers: Headers }): boolean {
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    const identity = this.oauth.accessTokens.get(token);
    if (!identity) return true;
    return (this.grantedScopes.get(String(identity.sub)) ?? "").split(" ").includes(GMAIL_READONLY_SCOPE);
  }

  /** ID tokens signed ahead of the exchange, by subject (signing is async, the exchange callback is not). */
  private readonly signedFor = new Map<string, string>();

  private authorized(request: { headers: Headers }): boolean {
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    return this.accessTokens.has(token) || this.oauth.accessTokens.has(token);
  }

  private unauthorized() {
    return HttpResponse.json(
      { error: { code: 401, message: "Invalid Credentials", status: "UNAUTHENTICATED" } },
      { status: 401 },
    );
  }

  handlers() {
    return [
      contractGate("google", [
        { base: this.apiBase, paths: ["/"] },
        { base: this.oauthBase, paths: ["/token", "/revoke"], name: "oauth" },
      ]),
      this.rateLimit.handler(this.apiBase, "/gmail/"),
      http.post(`${this.oauthBase}/token`, async ({ request }) => {
        const recorded = await recordRequest(request);
        this.requests.push(recorded);
        const form = recorded.body as Record<string, string>;
        if (form.client_id !== this.clientId || form.client_secret !== this.clientSecret) {
          return HttpResponse.json({ error: "invalid_client" }, { status: 401 });
        }
        if (form.grant_type === "authorization_code" || !this.refreshTokens.has(form.refresh_token ?? "")) {
          const scope =
            "openid email https://www.googleapis.com/auth/gmail.send https://www.googleapis.com/auth/calendar.events";
          const withIdToken = form.grant_type === "authorization_code";
          return this.oauth.token(form, (identity) => ({
            scope: this.grantedScopes.get(String(identity.sub)) ?? scope,
            id_token: withIdToken ? this.signedFor.get(String(identity.sub)) : undefined,
            refresh_token_expires_in: withIdToken ? this.refreshTokenExpiresIn : undefined,
          }));
        }
        this.seq += 1;
        const token = `ya29.fake-access-${this.seq}`;
        this.accessTokens.add(token);
        return HttpResponse.json({
          access_token: token,
          expires_in: 3599,
          token_type: "Bearer",
          scope: "https://www.googleapis.com/auth/gmail.send",
        });
      }),
      // OpenID Connect userinfo: the claims of the token's subject (the connection check reads only `sub`).
      http.get(`${this.apiBase}/oauth2/v3/userinfo`, async ({ request }) => {
        this.requests.push(await recordRequest(request));
        if (!this.authorized(request)) return this.unauthorized();
        const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
        const identity = this.oauth.accessTokens.get(token);
        return HttpResponse.json({ sub: String(identity?.sub ?? "fake-google-user"), email_verified: true });
      }),
      http.get(`${this.apiBase}/oauth2/v3/certs`, async ({ request }) => {
        this.requests.push(await recordRequest(request));
        const { jwk } = await this.signingKeys();
        return HttpResponse.json({ keys: [jwk] });
      }),
      http.post(`${this.oauthBase}/revoke`, async ({ request }) => {
        const recorded = await recordRequest(request);
        this.requests.push(recorded);
        this.oauth.revoke((recorded.body as Record<string, string>).token ?? "");
        return new HttpResponse(null, { status: 200 });
      }),
      http.post(`${this.apiBase}/calendar/v3/calendars/primary/events`, async ({ request }) => {
        const recorded = await recordRequest(request);
        this.requests.push(recorded);
        if (!this.authorized(request)) return this.unauthorized();
        const body = recorded.body as { id?: string } & Record<string, unknown>;
        if (body.id && !/^[a-v0-9]{5,1024}$/.test(body.id)) {
          return HttpResponse.json({ error: { code: 400, message: "Invalid resource id value." } }, { status: 400 });
        }
        const id = body.id ?? `evt${this.events.size + 1}`;
        if (this.events.has(id)) {
          return HttpResponse.json(
            { error: { code: 409, message: "The requested identifier already exists." } },
            { status: 409 },
          );
        }
        const created = { ...body, id, htmlLink: `https://calendar.google.test/event?eid=${id}`, status: "confirmed" };
        this.events.set(id, created);
        return HttpResponse.json(created);
      }),
      http.get(`${this.apiBase}/calendar/v3/calendars/primary/events/:id`, async ({ request, params }) => {
        this.requests.push(await recordRequest(request));
        if (!this.authorized(request)) return this.unauthorized();
        const found = this.events.get(String(params.id));
        return found
          ? HttpResponse.json(found)
          : HttpResponse.json({ error: { code: 404, message: "Not Found" } }, { status: 404 });
      }),
      http.post(`${this.apiBase}/gmail/v1/users/me/messages/send`, async ({ request }) => {
        const recorded = await recordRequest(request);
        this.requests.push(recorded);
        if (!this.authorized(request)) return this.unauthorized();
        const { raw } = recorded.body as { raw: string };
        const mail = parseRawMail(raw);
        this.seq += 1;
        const sent: SentMail = {
          id: `msg-${this.seq}`,
          threadId: `thread-${this.seq}`,
          from: mail.headers.from ?? "",
          to: mail.headers.to ?? "",
          subject: mail.headers.subject ?? "",
          messageId: mail.headers["message-id"] ?? "",
          text: mail.text,
          html: mail.html,
        };
        this.sent.push(sent);
        const lost = this.lostAnswers.shift();
        if (lost === "reset") return HttpResponse.error();
        if (lost) {
          return HttpResponse.json(
            { error: { code: lost, message: "Backend Error", status: "UNAVAILABLE" } },
            { status: lost },
          );
        }
        return HttpResponse.json({ id: sent.id, threadId: sent.threadId, labelIds: ["SENT"] });
      }),
      // users.messages.list: only the `rfc822msgid:<id>` search the Sent-mail check makes; each
      // listed message carries only id and threadId, and `messages` is absent when none match.
      http.get(`${this.apiBase}/gmail/v1/users/me/messages`, async ({ request }) => {
        this.requests.push(await recordRequest(request));
        if (!this.authorized(request)) return this.unauthorized();
        if (!this.maySearch(request)) {
          return HttpResponse.json(
            {
              error: {
                code: 403,
                message: "Request had insufficient authentication scopes.",
                status: "PERMISSION_DENIED",
              },
            },
            { status: 403 },
          );
        }
        const q = new URL(request.url).searchParams.get("q") ?? "";
        const wanted = /^rfc822msgid:<?([^<>\s]+)>?$/.exec(q.trim())?.[1];
        const hits = this.sent.filter((m) => wanted !== undefined && m.messageId.replace(/^<|>$/g, "") === wanted);
        const messages = hits.map(({ id, threadId }) => ({ id, threadId }));
        return HttpResponse.json({ ...(messages.length ? { messages } : {}), resultSizeEstimate: messages.length });
      }),
    ];
  }
}
