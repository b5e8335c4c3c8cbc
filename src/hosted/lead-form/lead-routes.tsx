import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { toBase64Url } from "../../crypto/encoding";
import type { AppEnv } from "../../env";
import { AppError, NotFoundError } from "../../errors";
import { FORM_TYPE, limitedBody, type RawBodyVariables, requireContentType } from "../../http/body";
import { clientNetwork } from "../../leads/client-network";
import { checkFormToken, clientKey, issueFormToken, MIN_FILL_MS } from "../../leads/form-token";
import { leadIdFor } from "../../leads/lead-id";
import { type LeadErrors, leadValues, validateLead } from "../../leads/lead-submission";
import { recordLead } from "../../leads/start-lead";
import { describeError, log } from "../../log";
import { getLeadForm, type LeadFormConfig } from "../../settings/lead-form";
import { findWorkspace } from "../../settings/workspaces";
import { takeSubmissionSlot } from "../../store/lead-submissions";
import { LeadFormPage, LeadMessagePage, LeadThanksPage } from "./lead-pages";

/** A filled-in form is a few KiB at most. */
export const LEAD_BODY_LIMIT = 16 * 1024;
/** Submissions per workspace and client network (an IPv4 address, an IPv6 /64) in a sliding window. */
export const LEAD_RATE_LIMIT = { limit: 5, windowMs: 10 * 60_000 };

type LeadEnv = { Bindings: AppEnv; Variables: RawBodyVariables };
type Render = (styleNonce: string) => ReturnType<typeof LeadMessagePage>;

const WORKSPACE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Security headers of every form page. The form is made to be embedded in
 * an iframe on the business's own site, so there is no X-Frame-Options and
 * CSP `frame-ancestors` comes from the workspace's form settings (`*` by
 * default: the form holds no session or secret worth clickjacking). No
 * scripts at all; the one stylesheet carries the response's nonce.
 */
function pageHeaders(frameAncestors: string, styleNonce: string): Record<string, string> {
  return {
    "content-security-policy": `default-src 'none'; style-src 'nonce-${styleNonce}'; form-action 'self'; base-uri 'none'; frame-ancestors ${frameAncestors}`,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cache-control": "no-store",
  };
}

function page(
  c: Context<LeadEnv>,
  status: ContentfulStatusCode,
  render: Render,
  options: { frameAncestors?: string; headers?: Record<string, string> } = {},
) {
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  const headers = { ...pageHeaders(options.frameAncestors ?? "*", nonce), ...options.headers };
  return c.html(render(nonce), status, headers);
}

/** The workspace named in the path, or a 404 (no tenant is created or revealed here). */
async function formWorkspace(c: Context<LeadEnv>) {
  const id = c.req.param("workspace") ?? "";
  const workspace = WORKSPACE_ID.test(id) ? await findWorkspace(c.env.DB, id) : null;
  if (!workspace) throw new NotFoundError("unknown_form", "This form does not exist");
  return workspace;
}

/** What a visitor reads for each refusal (the codes go to the log). */
const REFUSALS: Partial<Record<number, { title: string; message: string }>> = {
  400: { title: "We could not read this submission", message: "Please go back, check the form and send it again." },
  404: { title: "Form not found", message: "This form does not exist. Please check the link." },
  413: { title: "Your message is too long", message: "Please shorten your message and send it again." },
  415: { title: "We could not read this submission", message: "Please send the form from its page." },
};

const thanks = (c: Context<LeadEnv>, form: LeadFormConfig) =>
  page(c, 200, (nonce) => <LeadThanksPage form={form} styleNonce={nonce} />, {
    frameAncestors: form.frameAncestors,
  });

/** The hosted, embeddable lead form: GET renders it, POST records a lead and starts its journey at the lead phase. */
export const leadRoutes = new Hono<LeadEnv>()
  .get("/:workspace/lead", async (c) => {
    const workspace = await formWorkspace(c);
    const form = await getLeadForm(c.env.DB, workspace.id);
    const token = await issueFormToken(c.env, workspace.id);
    return page(c, 200, (nonce) => <LeadFormPage action={c.req.path} form={form} token={token} styleNonce={nonce} />, {
      frameAncestors: form.frameAncestors,
    });
  })
  .post(
    "/:workspace/lead",
    requireContentType(FORM_TYPE, "Please send the form from its page."),
    limitedBody(LEAD_BODY_LIMIT),
    async (c) => {
      const env = c.env;
      const body = c.var.rawBody;
      const workspace = await formWorkspace(c);
      const tenant = workspace.id;
      const form = await getLeadForm(env.DB, tenant);
      const fields = new URLSearchParams(body);
      const token = fields.get("_token") ?? undefined;

      // Spam gets the same thank-you page as a person, and nothing is stored or sent.
      const check = await checkFormToken(env, tenant, token);
      const honeypot = (fields.get("website") ?? "").trim() !== "";
      if (honeypot || (!check.ok && check.reason !== "expired")) {
        log.info("lead.spam", { tenant, reason: honeypot ? "honeypot" : check.ok ? "unknown" : check.reason });
        return thanks(c, form);
      }

      const ip = c.req.header("cf-connecting-ip") ?? "unknown";
      const slot = await takeSubmissionSlot(
        env.DB,
        // One client is one IPv4 address or one IPv6 /64: a subscriber holds a whole /64.
        { workspaceId: tenant, clientKey: await clientKey(env, tenant, clientNetwork(ip)) },
        LEAD_RATE_LIMIT,
      );
      if (!slot.allowed) {
        const seconds = Math.ceil(slot.retryAfterMs / 1000);
        log.warn("lead.rate_limited", { tenant, retryAfterSeconds: seconds });
        const minutes = Math.max(1, Math.ceil(seconds / 60));
        return page(
          c,
          429,
          (nonce) => (
            <LeadMessagePage
              title="Please try again later"
              message={`We have received several messages from your network in a short time. Please try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`}
              styleNonce={nonce}
            />
          ),
          { frameAncestors: form.frameAncestors, headers: { "retry-after": String(seconds) } },
        );
      }

      const values = leadValues(fields);
      const refuse = (errors: LeadErrors, notice: string | undefined, formToken: string) =>
        page(
          c,
          400,
          (nonce) => (
            <LeadFormPage
              action={c.req.path}
              form={form}
              token={formToken}
              styleNonce={nonce}
              values={values}
              errors={errors}
              notice={notice}
            />
          ),
          { frameAncestors: form.frameAncestors },
        );
      if (!check.ok) {
        // Expired: a fresh token, back-dated so that an immediate resubmission is not taken for a bot.
        const fresh = await issueFormToken(env, tenant, { now: Date.now() - MIN_FILL_MS });
        log.info("lead.refused", { tenant, reason: "expired_form" });
        return refuse({}, "This form was open for a long time. Please check your details and send it again.", fresh);
      }
      const validated = validateLead(values);
      if (!validated.ok) {
        log.info("lead.refused", { tenant, reason: "invalid", fields: Object.keys(validated.errors).join(",") });
        // The same token: fixing a typo quickly must not look bot-fast.
        return refuse(validated.errors, undefined, token ?? "");
      }

      const leadId = await leadIdFor(tenant, check.nonce);
      const outcome = await recordLead(env, { id: leadId, workspaceId: tenant, source: "form", ...validated.lead });
      log.info("lead.received", { tenant, journeyId: leadId, outcome });
      return thanks(c, form);
    },
  )
  .onError((error, c) => {
    if (error instanceof AppError && error.status !== 502) {
      log.info("lead form refused", { code: error.code, status: error.status });
      const refusal = REFUSALS[error.status] ?? {
        title: "We could not accept this submission",
        message: error.message,
      };
      return page(c, error.status, (nonce) => (
        <LeadMessagePage title={refusal.title} message={refusal.message} styleNonce={nonce} />
      ));
    }
    log.error("lead form error", { path: c.req.path, reason: describeError(error) });
    return page(c, 500, (nonce) => (
      <LeadMessagePage
        title="Something went wrong"
        message="Your message was not sent. Please try again in a moment."
        styleNonce={nonce}
      />
    ));
  });
