import type { Child } from "hono/jsx";
import { NAME_MAX_LENGTH, NAME_MIN_LENGTH } from "../../contracts/accept";
import type { Contract } from "../../store/contracts";
import { HostedPage } from "../hosted-page";

/** The agreement's own rules on top of the hosted frame's base: a grey page with cards, a printable text. */
const CONTRACT_STYLES = `body{background:#f3f4f6}
main{max-width:780px;padding:2rem 1rem 4rem}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:1.5rem 1.75rem;margin-top:1.25rem;box-shadow:0 1px 2px rgba(0,0,0,.04)}
h1{font-size:1.6rem;margin:0 0 .25rem}
.meta{color:#4b5563;margin:0}
.document{white-space:pre-wrap;overflow-wrap:anywhere;font-family:Georgia,Cambria,Times New Roman,serif;font-size:1.02rem;line-height:1.7;margin:0}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
.hint{font-size:.92rem;margin:.25rem 0 0}
input[type=text]{max-width:26rem}
button{margin-top:1rem;padding:.6rem 1.4rem}
.error{color:#b91c1c;font-weight:600;margin:.5rem 0 0}
.notice{border-left:4px solid #047857;background:#ecfdf5}
.problem{border-left:4px solid #b91c1c}
.fingerprint{font-size:.85rem;color:#4b5563;overflow-wrap:anywhere}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
@media print{body{background:#fff}.card{border:0;box-shadow:none;padding:0}form{display:none}}`;

/**
 * The frame of the agreement pages: the shared hosted frame (not indexed, no
 * referrer: the URL holds the token) with the agreement's styles.
 */
export function ContractFrame(props: { title: string; business?: string; children: Child }) {
  return (
    <HostedPage title={props.title} business={props.business} styles={CONTRACT_STYLES}>
      {props.children}
    </HostedPage>
  );
}

/** "2026-11-20T10:00:00.000Z" → "20 November 2026, 10:00 UTC". */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = date.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  return `${day}, ${iso.slice(11, 16)} UTC`;
}

function Document(props: { contract: Contract }) {
  return (
    <article class="card" aria-labelledby="agreement-heading">
      <h2 id="agreement-heading">The agreement</h2>
      <div class="document">{props.contract.bodyText}</div>
      <p class="fingerprint">
        Document fingerprint (SHA-256): <code>{props.contract.bodySha256}</code>
      </p>
    </article>
  );
}

/** The agreement with the acceptance form: the client reads it, types their name and accepts. */
export function ContractPage(props: {
  contract: Contract;
  action: string;
  error?: string;
  name?: string;
  business?: string;
}) {
  const { contract } = props;
  const describedBy = props.error ? "name-hint name-error" : "name-hint";
  return (
    <ContractFrame title={contract.title} business={props.business}>
      <header>
        <h1>{contract.title}</h1>
        <p class="meta">Sent on {formatWhen(contract.sentAt)}. Please read it in full before you accept.</p>
      </header>
      <Document contract={contract} />
      <section class="card" aria-labelledby="accept-heading">
        <h2 id="accept-heading">Accept this agreement</h2>
        <form method="post" action={props.action}>
          <input type="hidden" name="text_sha256" value={contract.bodySha256} />
          <label for="name">Your full name</label>
          <input
            type="text"
            id="name"
            name="name"
            value={props.name ?? ""}
            required
            minlength={NAME_MIN_LENGTH}
            maxlength={NAME_MAX_LENGTH}
            autocomplete="off"
            spellcheck={false}
            aria-describedby={describedBy}
            aria-invalid={props.error ? "true" : undefined}
          />
          <p id="name-hint" class="hint">
            Typing your name and selecting “I accept” is your signature. We record your name, the time, your IP address
            and browser, and the fingerprint of the text above.
          </p>
          {props.error && (
            <p id="name-error" class="error" role="alert">
              {props.error}
            </p>
          )}
          <button type="submit">I accept</button>
        </form>
      </section>
    </ContractFrame>
  );
}

/** After acceptance (now, or earlier): the confirmation, and the text for the client's records. */
export function AcceptedPage(props: { contract: Contract; already: boolean; business?: string }) {
  const { contract } = props;
  const when = contract.acceptance ? formatWhen(contract.acceptance.acceptedAt) : "";
  return (
    <ContractFrame
      title={`${props.already ? "Already accepted" : "Accepted"}: ${contract.title}`}
      business={props.business}
    >
      <header>
        <h1>{contract.title}</h1>
      </header>
      <section class="card notice" role="status" aria-labelledby="status-heading">
        <h2 id="status-heading">
          {props.already ? "This agreement is already accepted" : "Thank you: your acceptance is recorded"}
        </h2>
        <p class="meta">
          {props.already
            ? `It was accepted on ${when}. Nothing else is needed from you here.`
            : `You accepted this agreement on ${when}. You can print this page for your records.`}
        </p>
      </section>
      <Document contract={contract} />
    </ContractFrame>
  );
}

/** A short page for a link that does not work (unknown, withdrawn) or a request that could not be used. */
export function MessagePage(props: { title: string; message: string; link?: { href: string; label: string } }) {
  return (
    <ContractFrame title={props.title}>
      <section class="card problem" aria-labelledby="message-heading">
        <h1 id="message-heading">{props.title}</h1>
        <p>{props.message}</p>
        {props.link && (
          <p>
            <a href={props.link.href}>{props.link.label}</a>
          </p>
        )}
      </section>
    </ContractFrame>
  );
}
