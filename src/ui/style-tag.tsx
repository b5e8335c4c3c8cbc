import { raw } from "hono/html";

/**
 * A `<style>` element with the app's own CSS. JSX text is HTML-escaped, which
 * would turn a child combinator (`a>b`) into `a&gt;b`; these strings are
 * constants of the code, never user input, so they go in raw.
 */
export function Style(props: { css: string }) {
  return <style>{raw(props.css)}</style>;
}
