import { Hono } from "hono";
import type { AppEnv } from "../env";
import { publishedEvidenceJwks } from "./evidence-keyring";

/**
 * `GET /.well-known/clientflow-evidence-keys.json`: the public keys (JWKS)
 * that verify agreement evidence packs: every key that ever signed one
 * (kept across key rotations), current key first. Public on
 * purpose: anyone holding a pack can check it without Clientflow's secrets.
 * Readable from any origin (CORS), since a verifier may run in a browser.
 */
export const evidenceKeyRoutes = new Hono<{ Bindings: AppEnv }>().get("/clientflow-evidence-keys.json", async (c) => {
  c.header("access-control-allow-origin", "*");
  return c.json(await publishedEvidenceJwks(c.env));
});
