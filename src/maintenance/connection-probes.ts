import { z } from "zod";
import type { ConnectionContext } from "../../integrations/core/context";
import { googleClient } from "../../integrations/google/client";
import { hubspotClient } from "../../integrations/hubspot/client";
import { readDealPipelines } from "../../integrations/hubspot/pipelines";
import { withNotion } from "../../integrations/notion/client";
import { withStripe } from "../../integrations/stripe/client";
import type { Provider } from "../store/connections";

/**
 * One cheap authenticated read per provider, inside the permissions
 * Clientflow already asks for (no extra scope just for the check). Each
 * goes through the connection's token function, so an expired token is
 * refreshed first and a revoked grant surfaces as a ConnectionError.
 */
export const connectionProbes: { [P in Provider]: (ctx: ConnectionContext<P>) => Promise<void> } = {
  // The deal pipelines (crm.objects.deals.read, which every journey needs):
  // https://developers.hubspot.com/docs/api-reference/crm-pipelines-v3/pipelines/get-crm-v3-pipelines-objectType
  hubspot: async (ctx) => {
    await readDealPipelines(hubspotClient(ctx));
  },
  // One customer (Customers: Read, which a restricted key needs anyway; GET /v1/account would
  // need a permission restricted keys are not asked for): https://docs.stripe.com/api/customers/list
  stripe: async (ctx) => {
    await withStripe(ctx, (stripe) => stripe.customers.list({ limit: 1 }));
  },
  // The integration's own bot user: any valid token may read it, whatever pages it was shared:
  // https://developers.notion.com/reference/get-self
  notion: async (ctx) => {
    await withNotion(ctx, (notion) => notion.users.me({}));
  },
  // The OpenID Connect userinfo endpoint under the `openid email` scopes every Google connection has:
  // https://developers.google.com/identity/openid-connect/openid-connect#obtainuserinfo
  google: async (ctx) => {
    await googleClient(ctx).get("/oauth2/v3/userinfo", z.object({ sub: z.string() }));
  },
};
