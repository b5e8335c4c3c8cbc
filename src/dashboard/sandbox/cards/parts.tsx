import type { Child } from "hono/jsx";
import type { Tone } from "../../dashboard-layout";

/** An amount in the currency's usual format (`$2,400.00`). */
export const money = (amount: number, currency = "usd") =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(amount);

/** The badge tone of a Stripe invoice status: paid is ok, open waits on the client. */
export const invoiceTone = (status: string): Tone => (status === "paid" ? "ok" : status === "open" ? "warn" : "muted");

/** The hidden `_csrf` field of a sandbox form. */
export function Csrf(props: { csrf: string }) {
  return <input type="hidden" name="_csrf" value={props.csrf} />;
}

/** One card of the sandbox grid, named by its heading. */
export function SandboxCard(props: { id: string; title: string; children: Child }) {
  return (
    <section class="card" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** What a card says when its provider is connected for real instead of emulated. */
export function NotSandboxed(props: { provider: string }) {
  return <p class="muted">{props.provider} runs against the real API.</p>;
}
