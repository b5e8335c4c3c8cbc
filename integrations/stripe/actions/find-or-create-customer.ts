import { z } from "zod";
import { defineAction } from "../../core/define";
import { withStripe } from "../client";
import { attemptKey } from "../idempotency";

/**
 * The Stripe customer for the client's email: the existing one (list by
 * email is strongly consistent), or a new one. Because it finds first, the
 * create key can carry the attempt: a retry after a 500 that Stripe saved
 * under the key sends a new key instead of getting the 500 back.
 */
export const findOrCreateCustomer = defineAction({
  id: "stripe.find-or-create-customer",
  idempotent: "search",
  input: z.object({ email: z.email(), name: z.string().max(256), hubspotContactId: z.string() }),
  async run(ctx, input) {
    const existing = await withStripe(ctx, (stripe) => stripe.customers.list({ email: input.email, limit: 1 }));
    const found = existing.data[0];
    if (found) return { customerId: found.id, created: false };
    const customer = await withStripe(ctx, (stripe) =>
      stripe.customers.create(
        {
          email: input.email,
          name: input.name || undefined,
          metadata: { clientflow_workspace_id: ctx.workspaceId, hubspot_contact_id: input.hubspotContactId },
        },
        { idempotencyKey: attemptKey(ctx) },
      ),
    );
    return { customerId: customer.id, created: true };
  },
});
