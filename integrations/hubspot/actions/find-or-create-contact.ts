import { z } from "zod";
import { defineAction } from "../../core/define";
import { IntegrationError } from "../../core/errors";
import { hubspotClient } from "../client";
import { crmObjectSchema } from "../schemas";
import { searchOne } from "../search";

/** HubSpot's 409 for a duplicate email names the contact that holds it. */
const EXISTING_ID = /Existing ID:\s*(\d+)/;

/**
 * Finds the contact by email, else creates it. Search-before-create keeps a
 * retry from making a second contact; when the search index lags behind a
 * recent create, HubSpot refuses the duplicate email with 409 CONFLICT
 * ("Contact already exists. Existing ID: …") and that id is used. An existing
 * contact is not modified. Creating needs the `crm.objects.contacts.write`
 * scope. https://developers.hubspot.com/docs/api/crm/search
 * and https://developers.hubspot.com/docs/api/crm/contacts
 */
export const findOrCreateContact = defineAction({
  id: "hubspot.find-or-create-contact",
  idempotent: "search",
  input: z.object({
    email: z.email().max(254),
    firstName: z.string().max(100),
    lastName: z.string().max(100),
    company: z.string().max(200).nullable(),
    phone: z.string().max(40).nullable(),
  }),
  async run(ctx, input): Promise<{ contactId: string; created: boolean }> {
    const hubspot = hubspotClient(ctx);
    const existing = await searchOne(hubspot, "contacts", { property: "email", value: input.email }, ["email"]);
    if (existing) return { contactId: existing.id, created: false };

    const properties: Record<string, string> = { email: input.email };
    if (input.firstName) properties.firstname = input.firstName;
    if (input.lastName) properties.lastname = input.lastName;
    if (input.company) properties.company = input.company;
    if (input.phone) properties.phone = input.phone;
    try {
      const contact = await hubspot.request("POST", "/crm/v3/objects/contacts", crmObjectSchema, { properties });
      return { contactId: contact.id, created: true };
    } catch (error) {
      const existingId =
        error instanceof IntegrationError && error.httpStatus === 409
          ? EXISTING_ID.exec(error.message)?.[1]
          : undefined;
      if (existingId) return { contactId: existingId, created: false };
      throw error;
    }
  },
});
