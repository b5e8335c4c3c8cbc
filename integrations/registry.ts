import type { Integration } from "./core/define";
import type { BasesByProvider, Provider, ProviderEnv } from "./core/provider";
import type { ProviderOAuth } from "./core/provider-oauth";
import { google } from "./google";
import { hubspot } from "./hubspot";
import { notion } from "./notion";
import { stripe } from "./stripe";

/**
 * Every integration, by provider: the one list of providers, their display
 * names, OAuth (with scopes), webhooks and actions. The order is the order
 * pages list them in.
 */
export const integrations = { hubspot, stripe, notion, google };

/** The same record, typed per provider: requires one integration per `Provider`, each under its own id. */
const byProvider: { [P in Provider]: Integration<P> } = integrations;

/** The integration of a provider, typed for generic callers. */
export function integrationFor<P extends Provider>(provider: P): Integration<P> {
  return byProvider[provider];
}

/** A non-empty list of providers (what `z.enum` takes). */
type ProviderList = readonly [Provider, ...Provider[]];

/** The providers, in display order. */
export const PROVIDERS = Object.keys(byProvider) as unknown as ProviderList;

/** The providers that send webhooks (Google sends none). */
export const WEBHOOK_PROVIDERS = PROVIDERS.filter(
  (p) => integrationFor(p).webhook !== undefined,
) as unknown as ProviderList;

/** Whether `value` names a provider (e.g. a URL segment). */
export function isProvider(value: string): value is Provider {
  return Object.hasOwn(byProvider, value);
}

/** A provider's name as people read it ("HubSpot"); any other text comes back as it is. */
export const providerName = (provider: string): string =>
  isProvider(provider) ? integrationFor(provider).name : provider;

/** The provider's OAuth (consent, exchange, refresh, revoke). */
export function oauthFor<P extends Provider>(provider: P): ProviderOAuth<P> {
  return integrationFor(provider).auth.oauth;
}

/** Where the provider lives in this run (from the Worker's vars). */
export function basesFor<P extends Provider>(env: ProviderEnv, provider: P): BasesByProvider[P] {
  return integrationFor(provider).bases(env);
}
