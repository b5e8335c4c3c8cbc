import { toBase64 } from "../crypto/encoding";
import { derivePurposeBytes } from "../crypto/purpose-keys";
import { keyIdOf, seal } from "../crypto/secret-box";
import {
  addRetiredPurposeKey,
  type RetiredPurposeKeyRow,
  retiredKeyAssociatedData,
} from "../store/retired-purpose-keys";
import { forgetRetiredKeys, type VerifierKeys } from "./retired-keys";
import { VERIFICATION_PURPOSES } from "./verification-purposes";

/**
 * Key rotation's first step (src/operator/rotate-key.ts): for every
 * verification purpose (src/links/verification-purposes.ts), stores the
 * bytes ENCRYPTION_KEY_PREVIOUS derives for it, sealed under ENCRYPTION_KEY,
 * usable until `now` plus the purpose's lifetime. Links and signatures made
 * under the previous key then keep verifying once it is removed. Idempotent:
 * a repeated run stores nothing again. Returns how many keys it stored now.
 */
export async function carryForwardPurposeKeys(env: VerifierKeys, now: number): Promise<number> {
  const previous = env.ENCRYPTION_KEY_PREVIOUS;
  if (!previous) return 0;
  const keyId = await keyIdOf(previous);
  if (keyId === (await keyIdOf(env.ENCRYPTION_KEY))) return 0;
  let stored = 0;
  for (const { label, lifetimeSeconds } of VERIFICATION_PURPOSES) {
    const bytes = await derivePurposeBytes(previous, label);
    const row: RetiredPurposeKeyRow = {
      purpose: label,
      keyId,
      sealedKey: await seal(env, toBase64(bytes), retiredKeyAssociatedData(label, keyId)),
      retiredAt: now,
      usableUntil: lifetimeSeconds === null ? null : now + lifetimeSeconds * 1000,
    };
    if (await addRetiredPurposeKey(env.DB, row)) stored += 1;
  }
  forgetRetiredKeys();
  return stored;
}
