import type { NeededLink } from "../dashboard/client-links-card";
import { neededLinks } from "../engine/account-checks";
import { getTemplate, listTemplates } from "../engine/templates";
import type { ClientLink } from "../settings/client-links";
import { getWorkspace } from "../settings/workspaces";
import { readLeadForm } from "../store/lead-forms";

/**
 * The Client links card's data: the links as set, and the unset ones the
 * workspace's templates send (the default, saved or built in, and every
 * saved template), so the dashboard says what to set before a journey
 * reaches a step that would send it.
 */
export async function clientLinksView(
  db: D1Database,
  workspaceId: string,
): Promise<{ values: Record<ClientLink, string | null>; needed: NeededLink[] }> {
  const [{ settings }, current, saved, leadForm] = await Promise.all([
    getWorkspace(db, workspaceId),
    getTemplate(db, workspaceId),
    listTemplates(db, workspaceId),
    readLeadForm(db, workspaceId),
  ]);
  const templates = [
    current.template,
    ...saved.filter((t) => t.templateId !== current.templateId).map((t) => t.template),
  ];
  return {
    values: { agreement: settings.agreementUrl, booking: settings.bookingUrl, review: settings.reviewUrl },
    needed: neededLinks(templates, settings, leadForm?.bookingUrl ?? null),
  };
}
