/** Constant-time comparison lives in `integrations/core/hmac.ts` with WebCrypto HMAC (the webhook verifiers use both). */
export { timingSafeEqual } from "../../integrations/core/hmac";
