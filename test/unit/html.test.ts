import { describe, expect, it } from "vitest";
import { escapeHtml, linkify, textToHtml } from "../../src/ui/html";

describe("escapeHtml", () => {
  it("escapes the five characters that open tags, entities and attributes", () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;",
    );
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
  });
});

describe("textToHtml", () => {
  it("makes paragraphs at blank lines and line breaks at single newlines (CRLF too)", () => {
    expect(textToHtml("Hi Grace,\r\n\r\nLine one\nline two\n\n\nBye")).toBe(
      "<p>Hi Grace,</p>\n<p>Line one<br>line two</p>\n<p>Bye</p>",
    );
  });

  it("turns http(s) URLs into links, leaving the sentence's punctuation outside", () => {
    expect(textToHtml("Pay here: https://invoice.example/i/1?a=1&b=2. Thanks")).toBe(
      '<p>Pay here: <a href="https://invoice.example/i/1?a=1&amp;b=2">https://invoice.example/i/1?a=1&amp;b=2</a>. Thanks</p>',
    );
    expect(linkify("(see https://x.example/a_(b)) and http://y.example/!")).toBe(
      '(see <a href="https://x.example/a_(b)">https://x.example/a_(b)</a>) and <a href="http://y.example/">http://y.example/</a>!',
    );
    expect(linkify("HTTPS://Example.test/Path")).toBe(
      '<a href="HTTPS://Example.test/Path">HTTPS://Example.test/Path</a>',
    );
  });

  it("cannot be made to open a tag or an attribute, or to link anything but http(s)", () => {
    const attacks = [
      `https://evil.example/"onmouseover="alert(1)`,
      "https://evil.example/<script>alert(1)</script>",
      "https://evil.example/'><img src=x onerror=alert(1)>",
      "javascript:alert(1) and data:text/html,<b>x</b> and vbscript:msgbox",
      '<a href="javascript:alert(1)">click</a>',
      "xhttps://not-a-link.example and https://. and https://",
      "&lt;script&gt; stays escaped",
    ];
    for (const attack of attacks) {
      const html = textToHtml(attack);
      // Only our own tags: paragraphs and anchors whose href is an http(s) URL without quotes or brackets.
      const tags = html.match(/<[^>]*>/g) ?? [];
      for (const tag of tags) expect(tag, attack).toMatch(/^<(\/?p|\/a|a href="https?:\/\/[^"<>]+")>$/i);
      expect(html, attack).not.toMatch(/<script|<img|href="(javascript|data|vbscript):/i);
    }
    expect(linkify("xhttps://not-a-link.example")).toBe("xhttps://not-a-link.example");
    expect(linkify("https:// nothing")).toBe("https:// nothing");
  });
});

describe("link and paragraph options (emails style inline)", () => {
  it("adds rel and an escaped style to every link, and a style to every paragraph", () => {
    const html = textToHtml('One https://a.test/x\n\nTwo "q"', {
      paragraphStyle: "margin:0",
      link: { rel: "noopener", style: 'color:#123;font-family:"x"' },
    });
    expect(html).toBe(
      '<p style="margin:0">One <a href="https://a.test/x" rel="noopener" style="color:#123;font-family:&quot;x&quot;">https://a.test/x</a></p>\n<p style="margin:0">Two &quot;q&quot;</p>',
    );
  });
});
