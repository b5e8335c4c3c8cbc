/**
 * The HubSpot settings on the Connections page: whether a CRM import starts
 * leads (workspace setting `hubspotImportsStartLeads`, off by default).
 */
export function HubspotSettingsCard(props: { importsStartLeads: boolean; csrf: string }) {
  return (
    <section class="card" aria-labelledby="hubspot-settings">
      <h2 id="hubspot-settings">HubSpot settings</h2>
      <p class="muted small">
        Contacts and deals Clientflow creates in HubSpot never start a second lead. Records an import creates are
        ignored too unless you turn this on: an import of old contacts would otherwise send each an auto-reply.
      </p>
      <form method="post" action="/connections/hubspot/settings">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <p>
          <label>
            <input type="checkbox" name="importsStartLeads" value="on" checked={props.importsStartLeads} /> Contacts and
            deals created by a HubSpot import start leads (and imported stage changes move project cards)
          </label>
        </p>
        <button type="submit" class="btn">
          Save HubSpot settings
        </button>
      </form>
    </section>
  );
}
