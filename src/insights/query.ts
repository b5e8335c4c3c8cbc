import { z } from "zod";
import type { InsightQuery } from "./rows";

const day = z.iso.date();

/** The query-string fields that filter the insights (page, CSV and API alike). */
export const insightFilterFields = {
  from: day.optional(),
  to: day.optional(),
  template: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .optional(),
  version: z.coerce.number().int().min(1).max(100000).optional(),
};

/** The default range: the twelve calendar months up to `today` (this month and the eleven before it). */
export function defaultRange(today: string): { from: string; to: string } {
  const start = new Date(`${today.slice(0, 7)}-01T00:00:00.000Z`);
  start.setUTCMonth(start.getUTCMonth() - 11);
  return { from: start.toISOString().slice(0, 10), to: today };
}

/**
 * The query from parsed filter fields: a missing end is today, a missing
 * start twelve months back; a start after the end is swapped with it.
 */
export function insightQuery(
  fields: { from?: string; to?: string; template?: string; version?: number },
  today: string,
): InsightQuery {
  const to = fields.to ?? today;
  const from = fields.from ?? defaultRange(to).from;
  const [first, last] = from <= to ? [from, to] : [to, from];
  return {
    from: first,
    to: last,
    ...(fields.template ? { templateId: fields.template } : {}),
    ...(fields.version ? { templateVersion: fields.version } : {}),
  };
}

/** The filter fields of a page's query string; anything malformed is dropped, not echoed. */
export const lenientFilters = z.object({
  from: insightFilterFields.from.catch(undefined),
  to: insightFilterFields.to.catch(undefined),
  template: insightFilterFields.template.catch(undefined),
  version: insightFilterFields.version.catch(undefined),
});
