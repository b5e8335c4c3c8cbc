import type { Integration } from "./core/define";
import type { BasesByProvider, Provider, ProviderEnv } from "./core/provider";
import type { ProviderOAuth } from "./core/provider-oauth";
import { google } from "./google";
import { hubspot } from "./hubspot";
import { notion } from "./notion";
import { stripe } from "./stripe";

/**
 * Every integration, by provider: the one list of providers, their display
 * names, OAuth (with scopes), webhooks and actions. The type requires one
 * entry per `Provider`; the order is the order pages list them in.
 */
export const integrations = { hubspot, stripe, notion, google } satisfies { [P in Provider]: Integration<P> };

/** The providers, in display order. */
export const PROVIDERS = Object.keys(integrations) as Provider[];

/** The providers that send webhooks (Google sends none). */
export const WEBHOOK_PROVIDERS = PROVIDERS.filter((p) => integrationFor(p).webhook !== undefined);

/** Whether `value` names a provider (e.g. a URL segment). */
export function isProvider(value: string): value is Provider {
  return Object.hasOwn(integrations, value);
}

/** The integration of a provider, typed for generic callers. */
export function integrationFor<P extends Provider>(provider: P): Integration<P> {
  return integrations[provider] as unknown as Integration<P>;
}

/** The provider's name as people read it ("HubSpot"). */
export const providerName = (provider: Provider): string => integrations[provider].name;

/** The provider's OAuth (consent, exchange, refresh, revoke). */
export function oauthFor<P extends Provider>(provider: P): ProviderOAuth<P> {
  return integrationFor(provider).auth.oauth;
}

/** Where the provider lives in this run (from the Worker's vars). */
export function basesFor<P extends Provider>(env: ProviderEnv, provider: P): BasesByProvider[P] {
  return integrationFor(provider).bases(env);
}
