import { escapeHtml } from "../ui/html";

/** One line of an email section: its words, and where it leads (a page of the app) if anywhere. */
export interface EmailItem {
  text: string;
  /** An http(s) URL the line links to, with the words of the link. */
  link?: { href: string; label: string };
}

/**
 * A titled list in an email (the owner digest's new clients, stuck
 * journeys…): the text part writes it as a heading and dashed lines, the
 * HTML part as a heading and a list, so both say the same.
 */
export interface EmailSection {
  title: string;
  items: EmailItem[];
  /** The line shown instead of an empty list, so the reader sees the section was checked. */
  empty: string;
}

/** The sections as the text part writes them: a heading, then `- ` lines (a link's URL after its line). */
export function sectionsToText(sections: readonly EmailSection[]): string {
  return sections
    .map((s) => {
      const lines = s.items.length
        ? s.items.map((i) => `- ${i.text}${i.link ? `\n  ${i.link.label}: ${i.link.href}` : ""}`)
        : [`- ${s.empty}`];
      return [s.title, ...lines].join("\n");
    })
    .join("\n\n");
}

const SAFE_URL = /^https?:\/\/[^/?#\s]/i;

/**
 * The sections as HTML with inline styles (mail clients drop `<style>`):
 * every text escaped, and links only to http(s) URLs (any other is left as
 * text), opened without opener or referrer like the renderer's other links.
 */
export function sectionsToHtml(sections: readonly EmailSection[], accent: string): string {
  const linkStyle = `color:${accent};text-decoration:underline`;
  return sections
    .map((s) => {
      const items = s.items.length
        ? s.items.map((i) => {
            const link =
              i.link && SAFE_URL.test(i.link.href)
                ? ` <a href="${escapeHtml(i.link.href)}" rel="noopener noreferrer" style="${linkStyle}">${escapeHtml(i.link.label)}</a>`
                : "";
            return `<li style="margin:0 0 6px">${escapeHtml(i.text)}${link}</li>`;
          })
        : [`<li style="margin:0 0 6px;color:#6b7280">${escapeHtml(s.empty)}</li>`];
      return [
        `<h2 style="margin:24px 0 8px;font-size:16px;line-height:1.4;color:#111827">${escapeHtml(s.title)}</h2>`,
        `<ul style="margin:0 0 8px;padding-left:20px">${items.join("")}</ul>`,
      ].join("\n");
    })
    .join("\n");
}
