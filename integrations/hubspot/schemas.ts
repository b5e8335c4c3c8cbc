import { z } from "zod";

/** HubSpot CRM object as returned by /crm/v3/objects/* (all property values are strings). */
export const crmObjectSchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable().optional()),
  associations: z
    .record(z.string(), z.object({ results: z.array(z.object({ id: z.string(), type: z.string().optional() })) }))
    .optional(),
});

export const batchReadSchema = z.object({ results: z.array(crmObjectSchema) });

/** A property definition (GET /crm/v3/properties/deals/{name}). */
export const propertySchema = z.object({ name: z.string() });

export type CrmObject = z.infer<typeof crmObjectSchema>;

/** Associated ids by type; HubSpot names the line-item key "line items" (with a space). */
export function associatedIds(object: CrmObject, ...keys: string[]): string[] {
  const ids = new Set<string>();
  for (const key of keys) for (const r of object.associations?.[key]?.results ?? []) ids.add(r.id);
  return [...ids];
}
