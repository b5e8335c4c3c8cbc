/**
 * The weekly digest setting on the Connections page (workspace setting
 * `weeklyDigest`, on by default): the owner's Monday email from their own
 * Gmail (src/digest/send-digests.ts).
 */
export function DigestSettingsCard(props: { weeklyDigest: boolean; csrf: string }) {
  return (
    <section class="card" aria-labelledby="digest-settings">
      <h2 id="digest-settings">Weekly digest</h2>
      <p class="muted small">
        Every Monday Clientflow emails you, from your connected Gmail, last week's new clients, stuck or failed
        journeys, overdue invoices, survey answers and connection warnings.
      </p>
      <form method="post" action="/connections/digest/settings">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <p>
          <label>
            <input type="checkbox" name="weeklyDigest" value="on" checked={props.weeklyDigest} /> Send me the weekly
            digest
          </label>
        </p>
        <button type="submit" class="btn">
          Save digest setting
        </button>
      </form>
    </section>
  );
}
