import { raw } from "hono/html";

/**
 * A `<style>` element with the app's own CSS. JSX text is HTML-escaped, which
 * would turn a child combinator (`a>b`) into `a&gt;b`; these strings are
 * constants of the code, never user input, so they go in raw. `nonce` is the
 * response's CSP style nonce, for pages whose policy allows styles by nonce.
 */
export function Style(props: { css: string; nonce?: string }) {
  // Raw text could otherwise close the element early; constants never need this.
  if (/<\/style/i.test(props.css)) throw new Error("Style: the CSS must not contain </style");
  return <style nonce={props.nonce}>{raw(props.css)}</style>;
}
