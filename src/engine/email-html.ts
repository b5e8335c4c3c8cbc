import { escapeHtml } from "./merge-fields";

/** Web links, up to a space, a quote or a bracket; a sentence's final stop stays outside the link. */
const LINK = /https?:\/\/[^\s<>"'()[\]]*[^\s<>"'()[\].,;:!?]/g;

/** Escaped text whose web links are anchors. */
function linked(text: string): string {
  let html = "";
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    const url = escapeHtml(m[0]);
    html += `${escapeHtml(text.slice(last, m.index))}<a href="${url}">${url}</a>`;
    last = m.index + m[0].length;
  }
  return html + escapeHtml(text.slice(last));
}

/**
 * The HTML part of a template email: the plain text escaped, in paragraphs
 * with line breaks, its web links clickable (the welcome email's agreement
 * and invoice links). The editor's preview shows the same HTML.
 */
export function emailHtml(body: string): string {
  const paragraphs = body.split(/\n{2,}/).map((p) => `<p>${linked(p).replace(/\n/g, "<br>")}</p>`);
  return `<div style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#1f2937">${paragraphs.join("")}</div>`;
}
