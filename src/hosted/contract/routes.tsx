import { type Context, Hono } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import { acceptContract, normalizeSignerName, signalContractSigned } from "../../contracts/accept";
import { contractForLink } from "../../contracts/links";
import type { AppEnv } from "../../env";
import { AppError, NotFoundError, PayloadTooLargeError, ValidationError } from "../../errors";
import { FORM_TYPE, limitedBody, type RawBodyVariables, requireContentType } from "../../http/body";
import { LinkError } from "../../links/capability";
import { describeError, log } from "../../log";
import { linkExpired } from "../hosted-page";
import { AcceptedPage, ContractPage, MessagePage } from "./contract-page";

type ContractEnv = { Bindings: AppEnv; Variables: RawBodyVariables };

/** The acceptance form is two short fields; anything bigger is not from the page. */
export const MAX_FORM_BYTES = 16 * 1024;

/**
 * Headers for every contract page: never cached or framed (no clickjacking
 * of the "I accept" button), no referrer (the URL is the credential), no
 * scripts at all.
 */
const PAGE_HEADERS: Record<string, string> = {
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex, nofollow",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

/** An HTML page (the frame writes the doctype, so it renders in standards mode). */
const page = (c: Context<ContractEnv>, node: JSX.Element, status: 200 | 400 | 404 | 410 | 413 | 415 | 500 = 200) =>
  c.html(node, status);

/** A page with one message and its status (the link opens nothing to act on). */
const notice = (c: Context<ContractEnv>, status: 404 | 410, title: string, message: string) =>
  page(c, <MessagePage title={title} message={message} />, status);

const notFound = (c: Context<ContractEnv>) =>
  notice(
    c,
    404,
    "Agreement not found",
    "This link does not open an agreement. Check that you used the whole link from your email, or ask the sender for a new one.",
  );

const expired = (c: Context<ContractEnv>) =>
  notice(
    c,
    404,
    "Agreement link expired",
    "This link to the agreement has expired. Please ask the sender for a new one.",
  );

const withdrawn = (c: Context<ContractEnv>) =>
  notice(
    c,
    410,
    "Agreement withdrawn",
    "The sender has withdrawn this agreement. If you expected to sign it, please contact them.",
  );

const badRequest = (c: Context<ContractEnv>, message: string) =>
  page(
    c,
    <MessagePage
      title="We could not record your acceptance"
      message={message}
      link={{ href: c.req.path, label: "Reload the agreement" }}
    />,
    400,
  );

/** The status for errors caused by the request itself; undefined for anything else (a 500). */
function requestErrorStatus(error: unknown): 400 | 413 | 415 | undefined {
  if (error instanceof PayloadTooLargeError) return 413;
  if (error instanceof ValidationError) return 400;
  if (error instanceof AppError && error.code === "unsupported_media_type") return 415;
  return undefined;
}

/** The one value of a form field, or null when it is missing or repeated. */
function single(form: URLSearchParams, field: string): string | null {
  const values = form.getAll(field);
  return values.length === 1 ? (values[0] ?? null) : null;
}

/**
 * The hosted agreement page, mounted at `/c`: `GET /c/:token` shows the
 * agreement and the acceptance form; `POST /c/:token` records a signed
 * acceptance and signals the journey (`contract-signed`).
 */
export const contractRoutes = new Hono<ContractEnv>()
  .use("*", async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(PAGE_HEADERS)) c.res.headers.set(name, value);
  })
  .get("/:token", async (c) => {
    const contract = await contractForLink(c.env, c.req.param("token"));
    if (contract.status === "void") return withdrawn(c);
    if (contract.status === "accepted") return page(c, <AcceptedPage contract={contract} already />);
    return page(c, <ContractPage contract={contract} action={c.req.path} />);
  })
  .post(
    "/:token",
    requireContentType(FORM_TYPE, "The form must be sent as a web form"),
    limitedBody(MAX_FORM_BYTES),
    async (c) => {
      const form = new URLSearchParams(c.var.rawBody);
      const contract = await contractForLink(c.env, c.req.param("token"));
      if (contract.status === "void") return withdrawn(c);
      if (contract.status === "accepted") {
        // A lost signal (the Worker stopped after storing the acceptance) is sent again; the record is not touched.
        const current = contract.signalOutcome === null ? await signalContractSigned(c.env, contract) : contract;
        return page(c, <AcceptedPage contract={current} already />);
      }

      const rawName = single(form, "name");
      const textSha256 = single(form, "text_sha256");
      if (rawName === null || textSha256 === null || !/^[0-9a-f]{64}$/.test(textSha256)) {
        return badRequest(c, "The form was incomplete. Please reload the agreement and try again.");
      }
      if (textSha256 !== contract.bodySha256) {
        log.warn("contract text hash mismatch", { tenant: contract.workspaceId, contractId: contract.id });
        return badRequest(
          c,
          "The text you accepted does not match this agreement. Please reload it, read it again and accept.",
        );
      }
      const name = normalizeSignerName(rawName);
      if (!name) {
        const error = rawName.trim()
          ? "Your name must be 2 to 120 characters, without special characters."
          : "Type your full name to accept.";
        return page(c, <ContractPage contract={contract} action={c.req.path} error={error} name={rawName} />, 400);
      }

      const result = await acceptContract(c.env, contract, {
        name,
        ip: (c.req.header("cf-connecting-ip") ?? "").slice(0, 64),
        userAgent: (c.req.header("user-agent") ?? "").slice(0, 512),
      });
      if (result.contract.status === "void") return withdrawn(c);
      return page(c, <AcceptedPage contract={result.contract} already={!result.accepted} />);
    },
  )
  .onError((error, c) => {
    if (linkExpired(error)) return expired(c);
    // A bad link, or one whose contract is gone; logged without the path, which holds the token.
    if (error instanceof LinkError || error instanceof NotFoundError) {
      log.info("contract link refused", { code: error.code });
      return notFound(c);
    }
    const status = requestErrorStatus(error);
    if (status && error instanceof AppError) {
      log.info("contract request refused", { code: error.code, status });
      const title = status === 413 ? "Request too large" : "We could not read that request";
      return page(c, <MessagePage title={title} message={error.message} />, status);
    }
    // Unknown errors stay 500 and are logged; the path is not, as it holds the token.
    log.error("unhandled error", { path: "/c/:token", reason: describeError(error) });
    return page(
      c,
      <MessagePage title="Something went wrong" message="Your request was not completed. Please try again shortly." />,
      500,
    );
  });
