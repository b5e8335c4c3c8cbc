/** The providers whose requests the emulators check against a contract. */
export type ContractProvider = "stripe" | "hubspot" | "notion" | "google";

/**
 * How an operation's body travels: `form` is application/x-www-form-urlencoded
 * (Stripe, with its bracket notation `metadata[key]`, `lines[0][price]`; the
 * OAuth token endpoints), `json` is application/json, `none` means no body.
 */
export type BodyEncoding = "form" | "json" | "none";

/** Parameter names an operation allows; `true` marks a required one. */
export type Params = Readonly<Record<string, boolean>>;

/**
 * One provider operation Clientflow calls, declared from the provider's own
 * definition (`source` names it: an operationId, a spec file, a reference URL).
 */
export interface Operation {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path template relative to the API base, `{name}` for a path parameter. */
  path: string;
  /** Which of the provider's bases the path is on (Google's OAuth endpoints live on their own host). */
  base?: "api" | "oauth";
  query?: Params;
  body: BodyEncoding;
  /** Top-level body fields (for `form`, the name before the first bracket). */
  fields?: Params;
  source: string;
  /** Why the mirrored spec cannot confirm this operation (the cross-check skips it and says so). */
  notInSpec?: string;
}
