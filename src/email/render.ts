import { escapeHtml, textToHtml } from "../ui/html";
import { type EmailSection, sectionsToHtml, sectionsToText } from "./sections";

/** The business's look in its emails: its name, and colours from the workspace settings. */
export interface EmailBranding {
  businessName: string;
  /** Header band (hex, e.g. "#1f2937"). */
  brandColor: string;
  /** Links (hex). */
  accentColor: string;
}

/** One email as it goes out: the subject, the text part as written and its HTML part. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** What an email is made of: texts after merge fields, and the business it is sent for. */
export interface EmailInput {
  subject: string;
  body: string;
  branding: EmailBranding;
  /** A short line mail clients show beside the subject; by default the body's first line. */
  preheader?: string;
  /** Titled lists after the body (the owner digest), then `closing`: text after them. */
  sections?: EmailSection[];
  closing?: string;
}

/** The colours a workspace has until its owner sets its own. */
export const DEFAULT_BRAND_COLOR = "#1f2937";
export const DEFAULT_ACCENT_COLOR = "#2563eb";

/**
 * The branding of a workspace (its name and colour settings). The colours
 * may be missing from settings a journey recorded before they existed (its
 * stored `process.load` result): those get the defaults.
 */
export function workspaceBranding(
  businessName: string,
  settings: { brandColor?: string; accentColor?: string },
): EmailBranding {
  return {
    businessName,
    brandColor: settings.brandColor ?? DEFAULT_BRAND_COLOR,
    accentColor: settings.accentColor ?? DEFAULT_ACCENT_COLOR,
  };
}

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** A colour as six hex digits; anything else (never expected: settings are validated) falls back. */
function hex(colour: string, fallback: string): string {
  const match = HEX.exec(colour.trim());
  if (!match?.[1]) return fallback;
  const digits = match[1].length === 3 ? [...match[1]].map((d) => d + d).join("") : match[1];
  return `#${digits.toLowerCase()}`;
}

/**
 * White or near-black, whichever reads better on the background (WCAG
 * relative luminance; 0.179 is where both contrast ratios are equal).
 */
function textOn(background: string): string {
  const channel = (i: number) => {
    const c = Number.parseInt(background.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.179 ? "#111827" : "#ffffff";
}

/** The first line with words in it, cut to what a mail client's preview line shows. */
function firstLine(body: string): string {
  const line = body.split(/\r\n?|\n/).find((l) => l.trim()) ?? "";
  return line.trim().slice(0, 140);
}

const FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/**
 * The one email renderer: every email Clientflow sends (to a client or to
 * the owner) and the editor's preview come from here, so the preview is the
 * email. The text part is the body as written (URLs plain); the HTML part
 * is the same text in paragraphs with every http(s) URL an anchor, framed by
 * the business's name in its colours. Styles are inline only, as mail
 * clients drop `<style>` blocks; tables carry the layout because Outlook
 * ignores most CSS layout (https://www.caniemail.com/features/html-style/).
 */
export function renderEmail(input: EmailInput): RenderedEmail {
  const brand = hex(input.branding.brandColor, DEFAULT_BRAND_COLOR);
  const accent = hex(input.branding.accentColor, DEFAULT_ACCENT_COLOR);
  const name = escapeHtml(input.branding.businessName);
  const preheader = escapeHtml(input.preheader ?? firstLine(input.body));
  const paragraphs = (text: string) =>
    textToHtml(text, {
      paragraphStyle: "margin:0 0 16px",
      // The client leaves the email for the business's or Stripe's page: no opener, no referrer.
      link: { rel: "noopener noreferrer", style: `color:${accent};text-decoration:underline` },
    });
  // Sections and a closing (the owner digest) follow the body in both parts, in the same order.
  const sections = input.sections?.length ? input.sections : null;
  const body = [
    paragraphs(input.body),
    ...(sections ? [sectionsToHtml(sections, accent)] : []),
    ...(input.closing ? [`<div style="margin-top:24px">${paragraphs(input.closing)}</div>`] : []),
  ].join("\n");
  const text = [
    input.body,
    ...(sections ? [sectionsToText(sections)] : []),
    ...(input.closing ? [input.closing] : []),
  ].join("\n\n");
  const html = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${escapeHtml(input.subject)}</title></head>`,
    `<body style="margin:0;padding:0;background-color:#f3f4f6">`,
    // Hidden in the body, shown by mail clients next to the subject.
    `<div style="display:none;max-height:0;overflow:hidden;opacity:0;color:transparent">${preheader}</div>`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6">`,
    `<tr><td align="center" style="padding:24px 12px">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background-color:#ffffff;border-radius:8px;overflow:hidden">`,
    `<tr><td style="background-color:${brand};color:${textOn(brand)};padding:20px 28px;${FONT};font-size:18px;font-weight:600">${name}</td></tr>`,
    `<tr><td style="padding:28px;${FONT};font-size:15px;line-height:1.6;color:#1f2937">${body}</td></tr>`,
    `<tr><td style="padding:16px 28px;border-top:1px solid #e5e7eb;${FONT};font-size:12px;color:#6b7280">Sent by ${name}</td></tr>`,
    "</table>",
    "</td></tr></table>",
    "</body></html>",
  ].join("\n");
  return { subject: input.subject, text, html };
}
