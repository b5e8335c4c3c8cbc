/**
 * Byte/string conversions live in the lower layer (`integrations/core`), which
 * the signers, the secret box and the provider integrations share.
 */
export { fromBase64, sha256Hex, toBase64, toBase64Url, toHex, utf8 } from "../../integrations/core/encoding";
