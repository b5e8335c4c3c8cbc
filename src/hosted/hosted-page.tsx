import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { AppError } from "../errors";
import { LinkError } from "../links/capability";
import { describeError, log } from "../log";
import { HtmlDocument } from "../ui/layout";
import { Style } from "../ui/style-tag";

/**
 * The base stylesheet of every page a client opens by a link (agreement, lead
 * form, survey, unsubscribe, approval): readable type, AA contrast, 44px
 * targets and one visible focus ring. Pages add their own rules after it.
 */
export const HOSTED_BASE_STYLES = `:root{color-scheme:light}*{box-sizing:border-box}
body{margin:0;background:#fff;color:#111827;font:16px/1.6 system-ui,-apple-system,Segoe UI,Roboto,sans-serif}
main{max-width:40rem;margin:0 auto;padding:2rem 1rem 3rem}
.brand{color:#4b5563;font-size:.95rem;font-weight:600;margin:0 0 .75rem}
h1{font-size:1.5rem;line-height:1.3;margin:0 0 .5rem}h2{font-size:1.15rem;line-height:1.3;margin:0 0 .5rem}
a{color:#1d4ed8}:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
button,.button{display:inline-block;min-height:2.75rem;font:inherit;font-weight:600;padding:.6rem 1.3rem;border:1px solid #1d4ed8;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer;text-decoration:none}
button:hover,.button:hover{background:#1e40af;border-color:#1e40af}.primary{margin-top:1rem}
input[type=text],input[type=email],input[type=tel],textarea{width:100%;font:inherit;padding:.55rem .7rem;border:1px solid #6b7280;border-radius:6px;background:#fff;color:inherit}
[aria-invalid=true]{border:2px solid #b91c1c}
.hint{color:#4b5563;font-size:.9rem}
.note{padding:.75rem 1rem;border-radius:6px;background:#f3f4f6}.note.error{background:#fef2f2;color:#991b1b}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;

/**
 * The one frame of the pages clients reach by a link: `lang`, a single
 * `main` landmark (class `hosted`) opened by the business name, the base
 * stylesheet plus the page's own `styles` in one `<style>` element. Pages
 * served under a nonce-based CSP pass the response's `styleNonce`; the rest
 * need none (no CSP, or one allowing inline styles). Each page brings its h1.
 * The tab title is `title · business` when the business is known.
 * `publicUrl` is for pages whose address is not a credential (the lead form):
 * they keep their header's referrer policy instead of `no-referrer`.
 */
export function HostedPage(props: {
  title: string;
  business?: string;
  styles?: string;
  styleNonce?: string;
  publicUrl?: boolean;
  children: Child;
}) {
  return (
    <HtmlDocument
      title={props.business ? `${props.title} · ${props.business}` : props.title}
      head={
        <>
          <meta name="robots" content="noindex, nofollow" />
          {!props.publicUrl && <meta name="referrer" content="no-referrer" />}
          <Style css={HOSTED_BASE_STYLES + (props.styles ?? "")} nonce={props.styleNonce} />
        </>
      }
    >
      <main class="hosted">
        {props.business && <p class="brand">{props.business}</p>}
        {props.children}
      </main>
    </HtmlDocument>
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

/**
 * What a hosted page shows for an error status: a title and one sentence for
 * the client. `error` lets a page tell an expired link from an invalid one
 * (both 404: see {@link linkExpired}).
 */
export type HostedErrorCopy = (status: number, error?: unknown) => { title: string; message: string };

/** Whether a refusal was a capability link that verified but has expired (src/links/capability.ts). */
export function linkExpired(error: unknown): boolean {
  return error instanceof LinkError && error.reason === "expired";
}

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
      return c.html(render(copy(error.status, error)), error.status);
    }
    log.error("unhandled error", { path: c.req.routePath, reason: describeError(error) });
    return c.html(render(copy(500)), 500);
  };
}
