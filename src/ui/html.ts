/**
 * The one place text becomes HTML outside JSX (emails, string-built pages):
 * escaping, and plain text → paragraphs with line breaks and links. JSX
 * pages escape by themselves and need none of this.
 */

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and for quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * An http(s) URL in running text: the scheme at a word boundary, then
 * anything up to whitespace, a quote or an angle bracket (none of which a
 * URL in text carries unencoded).
 */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+/gi;
/** Punctuation that ends a sentence, not the URL before it. */
const TRAILING = /[.,;:!?]+$/;

/** The URL without the sentence punctuation or unbalanced closing bracket that follows it in text. */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const before = url;
    url = url.replace(TRAILING, "");
    for (const [open, close] of [
      ["(", ")"],
      ["[", "]"],
    ] as const) {
      if (url.endsWith(close) && url.split(close).length > url.split(open).length) url = url.slice(0, -1);
    }
    if (url === before) return url;
  }
}

/** Attributes of the links {@link linkify} makes (emails style them inline and set `rel`). */
export interface LinkOptions {
  style?: string;
  rel?: string;
}

/** How {@link textToHtml} styles what it makes: inline, for emails. */
export interface TextHtmlOptions {
  link?: LinkOptions;
  paragraphStyle?: string;
}

/**
 * Escaped text with each http(s) URL as a link to itself. The text is
 * matched before escaping and every piece escaped on its own, so no input can
 * open a tag or an attribute, and only http(s) links are ever made.
 */
export function linkify(text: string, link: LinkOptions = {}): string {
  const style = link.style ? ` style="${escapeHtml(link.style)}"` : "";
  const rel = link.rel ? ` rel="${escapeHtml(link.rel)}"` : "";
  let html = "";
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const url = trimUrl(match[0]);
    if (!/^https?:\/\/[^/?#]/i.test(url)) continue;
    html += `${escapeHtml(text.slice(last, match.index))}<a href="${escapeHtml(url)}"${rel}${style}>${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return html + escapeHtml(text.slice(last));
}

/**
 * Plain text → HTML: blank lines separate paragraphs, single line breaks
 * become `<br>`, http(s) URLs become links; everything else is escaped.
 */
export function textToHtml(text: string, options: TextHtmlOptions = {}): string {
  const open = options.paragraphStyle ? `<p style="${escapeHtml(options.paragraphStyle)}">` : "<p>";
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((paragraph) => `${open}${linkify(paragraph, options.link).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
}
