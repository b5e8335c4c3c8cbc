import { type Context, Hono } from "hono";
import type { AppEnv } from "../../env";
import { NotFoundError } from "../../errors";
import { limitedBody, type RawBodyVariables } from "../../http/body";
import { log } from "../../log";
import { findWorkspace, type Workspace } from "../../settings/workspaces";
import { isHashUnsubscribed, recordUnsubscribe } from "../../store/unsubscribes";
import { readUnsubscribeToken, type UnsubscribeTarget } from "../../unsubscribe/links";
import { hostedPageErrors, linkExpired, setHostedPageHeaders } from "../hosted-page";
import { UnsubscribeConfirmPage, UnsubscribedPage, UnsubscribeErrorPage } from "./page";

type UnsubscribeContext = Context<{ Bindings: AppEnv; Variables: RawBodyVariables }>;

/** A one-click POST or a button press is tiny; anything larger is refused with 413. */
export const UNSUBSCRIBE_BODY_LIMIT = 4 * 1024;

const ERROR_COPY = (status: number, error?: unknown) => {
  if (linkExpired(error)) {
    return {
      title: "Link expired",
      message: "This unsubscribe link has expired. Use the link in a more recent email.",
    };
  }
  if (status === 404) return { title: "Link not valid", message: "This unsubscribe link is not valid." };
  if (status === 400 || status === 413) return { title: "Request not understood", message: "Please use the link." };
  return { title: "Something went wrong", message: "You were not unsubscribed. Please try again later." };
};

/** The workspace and address a token names: any bad, forged, expired or orphaned token is a 404. */
async function targetOf(c: UnsubscribeContext): Promise<{ target: UnsubscribeTarget; workspace: Workspace }> {
  const target = await readUnsubscribeToken(c.env, c.req.param("token") ?? "");
  const workspace = await findWorkspace(c.env.DB, target.workspaceId);
  if (!workspace) throw new NotFoundError("unknown_unsubscribe_link", "Unsubscribe link is not valid");
  return { target, workspace };
}

/**
 * Whether the POST is RFC 8058 one-click: the mail client sends
 * `List-Unsubscribe=One-Click`, form-urlencoded or as multipart/form-data.
 */
async function isOneClick(text: string, type: string): Promise<boolean> {
  if (!text) return false;
  if (/^multipart\/form-data\b/i.test(type)) {
    try {
      const form = await new Response(text, { headers: { "content-type": type } }).formData();
      return form.get("List-Unsubscribe") === "One-Click";
    } catch {
      return false;
    }
  }
  return new URLSearchParams(text).get("List-Unsubscribe") === "One-Click";
}

/**
 * Unsubscribe links `/u/:token` for marketing-style emails. GET only shows a
 * confirmation (link scanners prefetch GETs); POST records the opt-out at
 * once and idempotently, from the page's button or as an RFC 8058 one-click
 * POST from the mail client (answered 200 without a page).
 */
export const unsubscribeRoutes = new Hono<{ Bindings: AppEnv; Variables: RawBodyVariables }>()
  .get("/:token", async (c) => {
    const { target, workspace } = await targetOf(c);
    setHostedPageHeaders(c);
    if (await isHashUnsubscribed(c.env.DB, workspace.id, target.emailHash)) {
      return c.html(<UnsubscribedPage business={workspace.name} already />);
    }
    return c.html(<UnsubscribeConfirmPage business={workspace.name} />);
  })
  .post("/:token", limitedBody(UNSUBSCRIBE_BODY_LIMIT, { optional: true }), async (c) => {
    const { target, workspace } = await targetOf(c);
    setHostedPageHeaders(c);
    const oneClick = await isOneClick(c.var.rawBody, c.req.header("content-type") ?? "");
    const recorded = await recordUnsubscribe(c.env.DB, workspace.id, target.emailHash);
    log.info("unsubscribed", { tenant: workspace.id, oneClick, recorded });
    if (oneClick) return c.text("Unsubscribed", 200);
    return c.html(<UnsubscribedPage business={workspace.name} already={!recorded} />);
  })
  .onError(hostedPageErrors(ERROR_COPY, (copy) => <UnsubscribeErrorPage {...copy} />));
