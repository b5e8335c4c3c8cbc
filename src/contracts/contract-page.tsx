import type { Child } from "hono/jsx";
import type { Contract } from "../store/contracts";
import { NAME_MAX_LENGTH, NAME_MIN_LENGTH } from "./accept";

// No quotes, angle brackets or ampersands in here: the text goes into <style> as is.
const STYLE = `:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:#f3f4f6;color:#111827;font:16px/1.6 system-ui,-apple-system,Segoe UI,Roboto,sans-serif}
main{max-width:780px;margin:0 auto;padding:2rem 1rem 4rem}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:1.5rem 1.75rem;margin-top:1.25rem;box-shadow:0 1px 2px rgba(0,0,0,.04)}
h1{font-size:1.6rem;line-height:1.3;margin:0 0 .25rem}
h2{font-size:1.15rem;margin:0 0 .5rem}
.meta{color:#4b5563;margin:0}
.document{white-space:pre-wrap;overflow-wrap:anywhere;font-family:Georgia,Cambria,Times New Roman,serif;font-size:1.02rem;line-height:1.7;margin:0}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
.hint{color:#4b5563;font-size:.92rem;margin:.25rem 0 0}
input[type=text]{width:100%;max-width:26rem;font:inherit;padding:.55rem .7rem;border:1px solid #6b7280;border-radius:6px}
input[aria-invalid=true]{border-color:#b91c1c}
button{margin-top:1rem;font:inherit;font-weight:600;padding:.6rem 1.4rem;border:0;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer}
button:hover{background:#1e40af}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.error{color:#b91c1c;font-weight:600;margin:.5rem 0 0}
.notice{border-left:4px solid #047857;background:#ecfdf5}
.problem{border-left:4px solid #b91c1c}
.fingerprint{font-size:.85rem;color:#4b5563;overflow-wrap:anywhere}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
@media print{body{background:#fff}.card{border:0;box-shadow:none;padding:0}form{display:none}}`;

/** The frame of the client-facing pages: not indexed, no referrer (the URL holds the token). */
export function ContractFrame(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="no-referrer" />
        <title>{props.title}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <main>{props.children}</main>
      </body>
    </html>
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
export function ContractPage(props: { contract: Contract; action: string; error?: string; name?: string }) {
  const { contract } = props;
  const describedBy = props.error ? "name-hint name-error" : "name-hint";
  return (
    <ContractFrame title={contract.title}>
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
export function AcceptedPage(props: { contract: Contract; already: boolean }) {
  const { contract } = props;
  const when = contract.acceptance ? formatWhen(contract.acceptance.acceptedAt) : "";
  return (
    <ContractFrame title={`${props.already ? "Already accepted" : "Accepted"}: ${contract.title}`}>
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
