/** Only same-origin paths may be returned to after sign-in (no open redirect). */
export function safeReturnPath(value: string | undefined): string {
  return value && /^\/(?!\/)[\w\-/?=&.%]*$/.test(value) ? value : "/connections";
}
