import { mergeFieldsIn } from "../engine/merge-fields";

/** The merge fields a lead form's auto-reply texts can use; texts naming others are refused when saved. */
export const LEAD_MERGE_FIELDS = {
  client: ["firstName", "lastName", "fullName", "company"],
  business: ["name", "senderName"],
  booking: ["url"],
} as const;

/** The first unknown merge field in a template, if any. */
export function unknownLeadMergeField(template: string): string | undefined {
  const known = LEAD_MERGE_FIELDS as Record<string, readonly string[]>;
  return mergeFieldsIn(template).find((field) => {
    const [group = "", key = ""] = field.split(".");
    return !Object.hasOwn(known, group) || !known[group]?.includes(key);
  });
}

/** Splits a single "name" field into HubSpot's first and last name. */
export function splitName(name: string): { firstName: string; lastName: string } {
  const [first = "", ...rest] = name.trim().split(/\s+/);
  return { firstName: first, lastName: rest.join(" ") };
}
