import type { Child } from "hono/jsx";
import { LEAD_LIMITS, type LeadErrors, type LeadField, type LeadValues } from "../../leads/lead-submission";
import type { LeadFormConfig } from "../../settings/lead-form";
import { HostedPage } from "../hosted-page";

/**
 * The form's own rules on top of the hosted frame's base (the page is embedded
 * on other sites): a narrow column, field errors linked from a summary, and
 * the off-screen honeypot.
 */
const LEAD_STYLES = `main{max-width:36rem;padding:1.5rem 1rem 2rem}
.intro{margin:0 0 1.5rem;color:#374151}
.field{margin:0 0 1.1rem}label{display:block;font-weight:600;margin-bottom:.3rem}.optional{font-weight:400;color:#4b5563}
textarea{min-height:8rem;resize:vertical}
.field-error{color:#b91c1c;margin:.3rem 0 0;font-size:.95rem}
.summary{border:2px solid #b91c1c;border-radius:6px;padding:.75rem 1rem;margin:0 0 1.5rem}
.summary h2{font-size:1.05rem;margin:0 0 .4rem;color:#b91c1c}.summary ul{margin:0;padding-left:1.25rem}.summary a{color:#b91c1c}
.fine{font-size:.875rem;color:#4b5563;margin-top:1.25rem}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}`;

/**
 * The hosted frame for the form pages. `styleNonce` is the response's CSP
 * style nonce (its policy allows no other style); the form's URL is public,
 * so the header's referrer policy stands.
 */
function FormDocument(props: { title: string; styleNonce: string; business?: string; children: Child }) {
  return (
    <HostedPage
      title={props.title}
      business={props.business}
      styles={LEAD_STYLES}
      styleNonce={props.styleNonce}
      publicUrl
    >
      {props.children}
    </HostedPage>
  );
}

const LABELS: Record<LeadField, string> = {
  name: "Your name",
  email: "Email",
  phone: "Phone",
  company: "Company",
  message: "How can we help?",
};

const INPUTS: Record<Exclude<LeadField, "message">, { type: string; autocomplete: string; required: boolean }> = {
  name: { type: "text", autocomplete: "name", required: true },
  email: { type: "email", autocomplete: "email", required: true },
  phone: { type: "tel", autocomplete: "tel", required: false },
  company: { type: "text", autocomplete: "organization", required: false },
};

function Field(props: { field: LeadField; value: string; error?: string }) {
  const { field, value, error } = props;
  const id = `lead-${field}`;
  const common = {
    id,
    name: field,
    maxlength: LEAD_LIMITS[field],
    "aria-invalid": error ? "true" : undefined,
    "aria-describedby": error ? `${id}-error` : undefined,
  };
  const input = field === "message" ? null : INPUTS[field];
  return (
    <div class="field">
      <label for={id}>
        {LABELS[field]}
        {input && !input.required && <span class="optional"> (optional)</span>}
      </label>
      {input ? (
        <input
          {...common}
          type={input.type}
          autocomplete={input.autocomplete}
          required={input.required}
          value={value}
        />
      ) : (
        <textarea {...common} rows={6} required>
          {value}
        </textarea>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The hosted lead form. Refused submissions come back with an error summary
 * (linked to the fields), the message under each field, and the typed values.
 */
export function LeadFormPage(props: {
  action: string;
  form: LeadFormConfig;
  token: string;
  styleNonce: string;
  business?: string;
  values?: LeadValues;
  errors?: LeadErrors;
  notice?: string;
}) {
  const values = props.values ?? { name: "", email: "", phone: "", company: "", message: "" };
  const errors = props.errors ?? {};
  const problems = Object.entries(errors) as [LeadField, string][];
  return (
    <FormDocument title={props.form.title} styleNonce={props.styleNonce} business={props.business}>
      <h1>{props.form.title}</h1>
      {props.form.intro && (
        <p class="intro" id="lead-intro">
          {props.form.intro}
        </p>
      )}
      {(problems.length > 0 || props.notice) && (
        <div class="summary" role="alert" aria-labelledby="lead-summary-title">
          <h2 id="lead-summary-title">
            {props.notice ??
              `Please correct ${problems.length === 1 ? "this problem" : `these ${problems.length} problems`}`}
          </h2>
          {problems.length > 0 && (
            <ul>
              {problems.map(([field, message]) => (
                <li>
                  <a href={`#lead-${field}`}>{message}</a>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <form method="post" action={props.action} aria-describedby={props.form.intro ? "lead-intro" : undefined}>
        <Field field="name" value={values.name} error={errors.name} />
        <Field field="email" value={values.email} error={errors.email} />
        <Field field="phone" value={values.phone} error={errors.phone} />
        <Field field="company" value={values.company} error={errors.company} />
        <Field field="message" value={values.message} error={errors.message} />
        {/* Honeypot: hidden from people and assistive technology; bots that fill it are ignored. */}
        <div class="hp" aria-hidden="true">
          <label for="lead-website">Leave this field empty</label>
          <input id="lead-website" name="website" type="text" tabindex={-1} autocomplete="off" value="" />
        </div>
        <input type="hidden" name="_token" value={props.token} />
        <button class="button" type="submit">
          Send message
        </button>
      </form>
      <p class="fine">We use your details only to reply to this inquiry.</p>
    </FormDocument>
  );
}

/** After a submission (and, identically, after a spam one): the owner's text and the booking link. */
export function LeadThanksPage(props: { form: LeadFormConfig; styleNonce: string; business?: string }) {
  return (
    <FormDocument title={`Thank you · ${props.form.title}`} styleNonce={props.styleNonce} business={props.business}>
      <h1>Thank you</h1>
      <p role="status">{props.form.thankYou}</p>
      {props.form.bookingUrl && (
        <p>
          <a class="button" href={props.form.bookingUrl} target="_blank" rel="noopener noreferrer">
            Book a call
          </a>
        </p>
      )}
    </FormDocument>
  );
}

/** A plain page for refusals (404, 413, 415, 429, 500) inside the frame. */
export function LeadMessagePage(props: { title: string; message: string; styleNonce: string }) {
  return (
    <FormDocument title={props.title} styleNonce={props.styleNonce}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
    </FormDocument>
  );
}
