import { describe, expect, it } from "vitest";
import { type MergeData, mergeFieldsIn, renderTemplate } from "../../src/engine/merge-fields";
import { AppError } from "../../src/errors";

const data: MergeData = {
  client: { firstName: "Grace", company: `<script>alert("x")</script> & 'co'`, phone: null, title: undefined },
  invoice: { amount: "$2,400.00", count: 0, memo: "" },
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
  return undefined;
}

describe("merge fields", () => {
  it("fills {{group.field}}, with or without inner spaces", () => {
    const out = renderTemplate("Hi {{client.firstName}}, pay {{ invoice.amount }}.", data, { html: false });
    expect(out).toBe("Hi Grace, pay $2,400.00.");
  });

  it("lists the fields a template uses", () => {
    expect(mergeFieldsIn("{{client.firstName}} {{ invoice.amount }} {{client.firstName}}")).toEqual([
      "client.firstName",
      "invoice.amount",
      "client.firstName",
    ]);
  });

  it("escapes values in html mode: tags, quotes and ampersands", () => {
    const out = renderTemplate(`<p title="{{client.company}}">{{client.company}}</p>`, data, { html: true });
    const escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;";
    expect(out).toBe(`<p title="${escaped}">${escaped}</p>`);
    expect(out).not.toContain("<script>");
  });

  it("leaves the template's own markup alone in html mode", () => {
    expect(renderTemplate(`<a href="x">{{client.firstName}}</a>`, data, { html: true })).toBe(`<a href="x">Grace</a>`);
  });

  it("does not escape in text mode", () => {
    expect(renderTemplate("{{client.company}}", data, { html: false })).toBe(`<script>alert("x")</script> & 'co'`);
  });

  it("renders null, undefined and empty values as empty, and 0 as 0", () => {
    const out = renderTemplate("[{{client.phone}}|{{client.title}}|{{invoice.memo}}|{{invoice.count}}]", data, {
      html: true,
    });
    expect(out).toBe("[|||0]");
  });

  it("throws unknown_merge_field for an unknown field or group", () => {
    expect(codeOf(() => renderTemplate("Hi {{client.lastName}}", data, { html: false }))).toBe("unknown_merge_field");
    expect(codeOf(() => renderTemplate("{{deal.name}}", data, { html: true }))).toBe("unknown_merge_field");
  });

  it("treats Object.prototype names as unknown fields, not as values", () => {
    for (const template of ["{{client.constructor}}", "{{client.toString}}", "{{constructor.name}}"]) {
      expect(
        codeOf(() => renderTemplate(template, data, { html: false })),
        template,
      ).toBe("unknown_merge_field");
    }
  });
});
