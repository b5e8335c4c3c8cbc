import { Hono } from "hono";
import { timingSafeEqual } from "../crypto/hmac";
import { AuthenticationError, ValidationError } from "../errors";
import { log } from "../log";
import {
  confirmedNotionToken,
  confirmNotionToken,
  listPendingNotionTokens,
  type PendingNotionToken,
} from "../store/notion-platform-tokens";
import { type OperatorEnv, operatorCsrf, requireOperator } from "./guard";

function NotionOperatorPage(props: {
  source: "env" | "confirmed" | "none";
  confirmedAt?: string;
  pending: PendingNotionToken[];
  csrf: string;
  notice?: string;
}) {
  const state = {
    env: "Set by the NOTION_WEBHOOK_VERIFICATION_TOKEN secret (it wins over any confirmed here).",
    confirmed: `Confirmed here at ${props.confirmedAt ?? ""}.`,
    none: "None confirmed: Notion events are refused (401) until you confirm one.",
  }[props.source];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="robots" content="noindex" />
        <title>Operator · Notion subscription</title>
      </head>
      <body>
        <main>
          <h1>Notion public integration: webhook subscription</h1>
          {props.notice && <p role="status">{props.notice}</p>}
          <p>Verification token: {state}</p>
          <h2>Verification requests received</h2>
          <p>
            When you create the subscription (or click Resend) in the integration's Webhooks tab, Notion sends a token
            here. Anyone can send a look-alike request, so compare the time with when you clicked, paste that token into
            Notion's Verify form, then confirm it here. Only the {props.pending.length} newest are kept.
          </p>
          {props.pending.length === 0 ? (
            <p>No verification requests yet.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">Token</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {props.pending.map((p) => (
                  <tr>
                    <td>
                      <time datetime={p.receivedAt}>{p.receivedAt}</time>
                    </td>
                    <td>
                      <code>{p.token}</code>
                    </td>
                    <td>
                      <form method="post" action="/operator/notion/confirm">
                        <input type="hidden" name="_csrf" value={props.csrf} />
                        <input type="hidden" name="id" value={p.id} />
                        <button type="submit">Confirm this token</button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </main>
      </body>
    </html>
  );
}

/**
 * /operator/notion: where the operator of a multi-business deployment picks
 * the public integration's verification token from the pending handshakes
 * and confirms it (src/store/notion-platform-tokens.ts).
 */
export const notionOperatorRoutes = new Hono<OperatorEnv>()
  .use("*", requireOperator)
  .get("/", async (c) => {
    const confirmed = c.env.NOTION_WEBHOOK_VERIFICATION_TOKEN ? null : await confirmedNotionToken(c.env.DB, c.env);
    const source = c.env.NOTION_WEBHOOK_VERIFICATION_TOKEN ? "env" : confirmed ? "confirmed" : "none";
    return c.html(
      <NotionOperatorPage
        source={source}
        confirmedAt={confirmed?.confirmedAt}
        pending={await listPendingNotionTokens(c.env.DB, c.env)}
        csrf={await operatorCsrf(c.env)}
        notice={c.req.query("confirmed") ? "Token confirmed: events signed with it are accepted." : undefined}
      />,
    );
  })
  .post("/confirm", async (c) => {
    const form = await c.req.parseBody();
    if (c.var.operatorVia === "basic") {
      const csrf = typeof form._csrf === "string" ? form._csrf : "";
      if (!timingSafeEqual(csrf, await operatorCsrf(c.env))) {
        throw new AuthenticationError(
          "operator csrf token missing or wrong",
          "This form has expired; reload the page",
          403,
        );
      }
    }
    const id = typeof form.id === "string" ? form.id : "";
    if (!id || !(await confirmNotionToken(c.env.DB, id))) throw new ValidationError("No pending token has this id");
    log.info("notion platform token confirmed", { provider: "notion" });
    return c.redirect("/operator/notion?confirmed=1", 303);
  });
