import { HttpResponse, http } from "msw";
import { parseRawMail } from "./mime-parse";
import { RequestLog, recordRequest } from "./recorder";

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

/**
 * A stateful emulator of Google's token endpoint (refresh grant) and Gmail's
 * messages.send. Only access tokens it issued are accepted.
 */
export class GoogleFake {
  readonly requests = new RequestLog();
  readonly sent: SentMail[] = [];
  readonly refreshTokens = new Set<string>();
  private readonly accessTokens = new Set<string>();
  private seq = 0;

  constructor(
    readonly apiBase: string,
    readonly oauthBase: string,
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  handlers() {
    return [
      http.post(`${this.oauthBase}/token`, async ({ request }) => {
        const recorded = await recordRequest(request);
        this.requests.push(recorded);
        const form = recorded.body as Record<string, string>;
        if (form.client_id !== this.clientId || form.client_secret !== this.clientSecret) {
          return HttpResponse.json({ error: "invalid_client" }, { status: 401 });
        }
        if (form.grant_type !== "refresh_token" || !this.refreshTokens.has(form.refresh_token ?? "")) {
          return HttpResponse.json(
            { error: "invalid_grant", error_description: "Token has been expired or revoked." },
            { status: 400 },
          );
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
      http.post(`${this.apiBase}/gmail/v1/users/me/messages/send`, async ({ request }) => {
        const recorded = await recordRequest(request);
        this.requests.push(recorded);
        const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
        if (!this.accessTokens.has(token)) {
          return HttpResponse.json(
            { error: { code: 401, message: "Invalid Credentials", status: "UNAUTHENTICATED" } },
            { status: 401 },
          );
        }
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
        return HttpResponse.json({ id: sent.id, threadId: sent.threadId, labelIds: ["SENT"] });
      }),
    ];
  }
}
