import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { Style } from "./style-tag";

/**
 * The HTML document every page is: doctype (standards mode), `lang`, the
 * charset and viewport every page needs, its title, then the page's own head
 * elements and body.
 */
export function HtmlDocument(props: { title: string; head?: Child; bodyClass?: string; children: Child }) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title}</title>
          {props.head}
        </head>
        <body class={props.bodyClass}>{props.children}</body>
      </html>
    </>
  );
}

const LAYOUT_STYLES = `body{font-family:system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem;color:#1f2937}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%}td,th{padding:.5rem;border-bottom:1px solid #e5e7eb;text-align:left}
.status-active{color:#047857}.status-needs_reconnect{color:#b45309}.note{padding:.75rem;border-radius:6px;background:#f3f4f6}
.error{background:#fef2f2;color:#991b1b}button,a.button{font:inherit;padding:.3rem .7rem;border:1px solid #9ca3af;border-radius:6px;background:#fff;color:inherit;text-decoration:none;cursor:pointer}`;

/** The page frame shared by the app's pages. */
export function Layout(props: { title: string; wide?: boolean; head?: Child; children: Child }) {
  return (
    <HtmlDocument
      title={`${props.title} · Clientflow`}
      bodyClass={props.wide ? "wide" : undefined}
      head={
        <>
          <Style css={LAYOUT_STYLES} />
          {props.head}
        </>
      }
    >
      {props.children}
    </HtmlDocument>
  );
}
