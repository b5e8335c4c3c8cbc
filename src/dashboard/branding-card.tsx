/**
 * The business's email branding on the Connections page: the colours of its
 * emails' header band and links (workspace settings `brandColor`,
 * `accentColor`). Emails carry the workspace's name beside them.
 */
export function BrandingCard(props: { businessName: string; brandColor: string; accentColor: string; csrf: string }) {
  return (
    <section class="card" aria-labelledby="email-branding">
      <h2 id="email-branding">Email branding</h2>
      <p class="muted small">
        Every email Clientflow sends for {props.businessName} shows its name in a band of the brand colour; links take
        the link colour. The editor's previews use the same colours.
      </p>
      <form method="post" action="/connections/branding">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <p>
          <label for="brand-color">Brand colour</label>{" "}
          <input type="color" id="brand-color" name="brandColor" value={props.brandColor} />
        </p>
        <p>
          <label for="accent-color">Link colour</label>{" "}
          <input type="color" id="accent-color" name="accentColor" value={props.accentColor} />
        </p>
        <button type="submit" class="btn">
          Save email branding
        </button>
      </form>
    </section>
  );
}
