import { env } from "cloudflare:workers";
import type { OAuthServer } from "../../emulators/oauth-server";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { type Provider, saveConnection } from "../../src/store/connections";

/** A workspace connected through OAuth, its access token expiring at `expiresAt`; returns the minted tokens. */
export async function connected(workspaceId: string, provider: Provider, server: OAuthServer, expiresAt?: number) {
  await upsertWorkspace(env.DB, { id: workspaceId, name: workspaceId, settings: {} });
  const tokens = server.mint({ hubId: workspaceId, workspaceId });
  await saveConnection(env.DB, env, {
    workspaceId,
    provider,
    externalAccountId: null,
    credentials: { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresAt },
    config: {},
    source: "oauth",
  });
  return tokens;
}
