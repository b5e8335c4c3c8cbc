import { createRemoteJWKSet, jwtVerify } from "jose";
import { AuthenticationError } from "../core/errors";
import type { ProviderEnv } from "../core/provider";

const jwksByUrl = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** Google's signing keys, fetched and cached by jose per isolate. */
function googleJwks(env: ProviderEnv) {
  const url = `${env.GOOGLE_API_BASE}/oauth2/v3/certs`;
  let jwks = jwksByUrl.get(url);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(url));
    jwksByUrl.set(url, jwks);
  }
  return jwks;
}

/** Who a verified ID token names. */
export interface GoogleIdentity {
  sub: string;
  email: string;
  name?: string;
}

/**
 * Verifies a Google ID token: signature against Google's JWKS, issuer,
 * audience (our client id), expiry, a verified email, and the nonce we sent.
 * https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken
 */
export async function verifyGoogleIdToken(
  env: ProviderEnv,
  idToken: string,
  nonce: string | null,
): Promise<GoogleIdentity> {
  const issuer = new URL(env.GOOGLE_ACCOUNTS_BASE);
  try {
    const { payload } = await jwtVerify(idToken, googleJwks(env), {
      issuer: [issuer.origin, issuer.host],
      audience: env.GOOGLE_CLIENT_ID,
      algorithms: ["RS256"],
    });
    if (nonce !== null && payload.nonce !== nonce) throw new Error("nonce mismatch");
    if (typeof payload.email !== "string" || payload.email_verified !== true) throw new Error("email not verified");
    if (!payload.sub) throw new Error("no subject");
    return {
      sub: payload.sub,
      email: payload.email,
      name: typeof payload.name === "string" ? payload.name : undefined,
    };
  } catch (error) {
    throw new AuthenticationError(
      `id token rejected: ${error instanceof Error ? error.message : "invalid"}`,
      "Google sign-in could not be verified",
    );
  }
}
