import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { AppError } from "../errors";
import { describeError, log } from "../log";
import { Layout } from "./layout";
import { Style } from "./style-tag";

/** Styles for the pages clients open from an email (survey, unsubscribe): large targets, visible focus. */
const HOSTED_STYLES = `main{margin-top:3rem}.brand{color:#4b5563;font-size:.95rem;margin:0}
fieldset{border:0;padding:0;margin:1.5rem 0}legend{font-weight:600;font-size:1.1rem;margin-bottom:.25rem}
.hint{color:#4b5563;font-size:.9rem;margin:.25rem 0 .75rem}
.scale{display:flex;flex-wrap:wrap;gap:.4rem}.scale input{position:absolute;opacity:0;width:1px;height:1px}
.scale label{display:inline-flex;align-items:center;justify-content:center;min-width:2.75rem;min-height:2.75rem;border:1px solid #9ca3af;border-radius:6px;cursor:pointer;font-weight:600}
.scale input:checked+label{background:#1d4ed8;border-color:#1d4ed8;color:#fff}
.scale input:focus-visible+label,textarea:focus-visible,button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.ends{display:flex;justify-content:space-between;max-width:35rem;color:#4b5563;font-size:.85rem;margin-top:.35rem}
label.block{display:block;font-weight:600;margin-bottom:.25rem}textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #9ca3af;border-radius:6px}
button.primary{background:#1d4ed8;border-color:#1d4ed8;color:#fff;padding:.6rem 1.2rem;margin-top:1rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;

/** The frame of a hosted page a client reaches by a link: the shared layout plus form styles. */
export function HostedPage(props: { title: string; business?: string; children: Child }) {
  return (
    <Layout title={props.title}>
      <Style css={HOSTED_STYLES} />
      <main>
        {props.business && <p class="brand">{props.business}</p>}
        {props.children}
      </main>
    </Layout>
  );
}

/**
 * Headers for pages whose URL is a bearer token: not cached, not indexed,
 * and the token never leaves in a Referer header.
 */
export function setHostedPageHeaders(c: Context): void {
  c.header("cache-control", "no-store");
  c.header("referrer-policy", "no-referrer");
  c.header("x-robots-tag", "noindex, nofollow");
}

/** What a hosted page shows for an error status: a title and one sentence for the client. */
export type HostedErrorCopy = (status: number) => { title: string; message: string };

/**
 * An `onError` for hosted pages: known errors become an HTML page with their
 * status (the client came from an email, not an API); unknown ones stay 500
 * and are logged, never turned into a success.
 */
export function hostedPageErrors(
  copy: HostedErrorCopy,
  render: (t: { title: string; message: string }) => string | Promise<string>,
) {
  return (error: Error, c: Context) => {
    setHostedPageHeaders(c);
    if (error instanceof AppError) {
      log.info("hosted page refused", { code: error.code, status: error.status, path: c.req.routePath });
      return c.html(render(copy(error.status)), error.status);
    }
    log.error("unhandled error", { path: c.req.routePath, reason: describeError(error) });
    return c.html(render(copy(500)), 500);
  };
}
