import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { HostedPage } from "../hosted/hosted-page";
import { Layout } from "./layout";

/** Who an error page is for: the owner (dashboard) or a client who came by a link (hosted). */
export type PageAudience = "dashboard" | "hosted";

/** The words of an error page: what happened, in one heading and one sentence. */
export interface ErrorCopy {
  title: string;
  message: string;
}

/** What an owner reads for a status the dashboard answers with (the error's own message adds the detail). */
const DASHBOARD_TITLES: Record<number, string> = {
  400: "That request was not understood",
  401: "Please sign in",
  403: "Not allowed",
  404: "Page not found",
  409: "That cannot be done now",
  413: "Request too large",
  415: "Request not understood",
  422: "That could not be saved",
};

/** What a client reads: no internals, and whom to ask (the business that sent the link). */
const HOSTED_COPY: Record<number, ErrorCopy> = {
  404: {
    title: "Page not found",
    message:
      "This link does not open anything. Check that you used the whole link from your email, or ask the business that sent it for a new one.",
  },
  409: {
    title: "Already done",
    message:
      "This was already taken care of. If something looks wrong, please contact the business that sent you the link.",
  },
};

/** The copy for a status: the dashboard shows the error's message, a hosted page its own safe words. */
export function errorCopy(audience: PageAudience, status: number, message: string): ErrorCopy {
  if (audience === "hosted")
    return (
      HOSTED_COPY[status] ?? {
        title: status >= 500 ? "Something went wrong" : "We could not open this page",
        message: "Please try again shortly. If it keeps happening, contact the business that sent you the link.",
      }
    );
  return { title: DASHBOARD_TITLES[status] ?? (status >= 500 ? "Something went wrong" : "Request refused"), message };
}

/** The owner's error page: the shared frame, what happened, and the way back to the clients list. */
export function DashboardErrorPage(props: ErrorCopy & { status: number }) {
  return (
    <Layout title={props.title}>
      <main id="main">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        <p class="note">
          Error {props.status}. <a href="/journeys">Back to your clients</a>
        </p>
      </main>
    </Layout>
  );
}

/** A client's error page: the hosted frame, what happened, and whom to contact. */
export function HostedErrorPage(props: ErrorCopy) {
  return (
    <HostedPage title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
    </HostedPage>
  );
}

/**
 * Headers of an error page: never cached, not framed, not sniffed, no
 * scripts (the page has none) and, for hosted pages whose URL may be a
 * credential, no referrer and no indexing (as `setHostedPageHeaders`).
 */
const ERROR_PAGE_HEADERS: Record<string, string> = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

/** Answers an error as an HTML page for people, with its status. */
export function errorPage(
  c: Context,
  audience: PageAudience,
  status: number,
  message: string,
): Response | Promise<Response> {
  const copy = errorCopy(audience, status, message);
  for (const [name, value] of Object.entries(ERROR_PAGE_HEADERS)) c.header(name, value);
  if (audience === "hosted") {
    c.header("referrer-policy", "no-referrer");
    c.header("x-robots-tag", "noindex, nofollow");
  }
  const node = audience === "hosted" ? <HostedErrorPage {...copy} /> : <DashboardErrorPage {...copy} status={status} />;
  return c.html(node, status as ContentfulStatusCode);
}
