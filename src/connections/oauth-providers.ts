import { googleOAuth } from "../../integrations/google/oauth";
import { hubspotOAuth } from "../../integrations/hubspot/oauth";
import { notionOAuth } from "../../integrations/notion/oauth";
import { stripeOAuth } from "../../integrations/stripe/oauth";
import type { Provider } from "../store/connections";
import type { ProviderOAuth } from "./provider-oauth";

const registry: { [P in Provider]: ProviderOAuth<P> } = {
  hubspot: hubspotOAuth,
  stripe: stripeOAuth,
  notion: notionOAuth,
  google: googleOAuth,
};

export const PROVIDERS = Object.keys(registry) as Provider[];

export function isProvider(value: string): value is Provider {
  return Object.hasOwn(registry, value);
}

export function oauthFor<P extends Provider>(provider: P): ProviderOAuth<P> {
  return registry[provider] as ProviderOAuth<P>;
}
