import { HostedPage } from "../hosted-page";

/** The confirmation a link opens: nothing changes until the recipient presses the button. */
export function UnsubscribeConfirmPage(props: { business: string }) {
  return (
    <HostedPage title="Unsubscribe" business={props.business}>
      <h1>Unsubscribe from {props.business || "these"} emails?</h1>
      <p>
        You will no longer receive check-ins and offers from {props.business || "this business"}. Emails about work in
        progress, such as invoices, are not affected.
      </p>
      <form method="post">
        <button type="submit" class="button primary">
          Unsubscribe
        </button>
      </form>
    </HostedPage>
  );
}

/** After the recipient unsubscribed, or on a link whose address already had. */
export function UnsubscribedPage(props: { business: string; already: boolean }) {
  return (
    <HostedPage title="Unsubscribed" business={props.business}>
      <h1>You are unsubscribed</h1>
      <p role="status">
        {props.already
          ? "This address was already unsubscribed. You will not receive check-ins and offers from us."
          : "You will not receive check-ins and offers from us any more. This takes effect immediately."}
      </p>
    </HostedPage>
  );
}

/** A link that is not valid, or a failure on our side. */
export function UnsubscribeErrorPage(props: { title: string; message: string }) {
  return (
    <HostedPage title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
    </HostedPage>
  );
}
