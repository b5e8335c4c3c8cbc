import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE } from "../../src/engine/default-template";
import { reversalEffects, reversalsSchema } from "../../src/engine/reversal-rules";
import { validateTemplate } from "../../src/engine/validate-template";
import { REVERSAL_KINDS } from "../../src/runtime/reversal-kinds";

describe("the template's reversal rules", () => {
  it("the default template answers every kind of reversal with a hold", () => {
    const result = validateTemplate(DEFAULT_TEMPLATE);
    if (!result.ok) throw new Error(result.errors.join("; "));
    for (const kind of REVERSAL_KINDS) {
      expect(reversalEffects(result.template.reversals, kind), kind).toMatchObject({ kind, hold: true });
    }
  });

  it("a template saved before the section existed gets no effects", () => {
    const { reversals: _, ...older } = DEFAULT_TEMPLATE;
    const result = validateTemplate(older);
    if (!result.ok) throw new Error(result.errors.join("; "));
    expect(result.template.reversals).toBeUndefined();
    for (const kind of REVERSAL_KINDS) expect(reversalEffects(result.template.reversals, kind)).toBeNull();
  });

  it("effects left out do nothing; a kind no rule names does nothing", () => {
    const rules = reversalsSchema.parse([{ on: ["voided"], tellOwner: true }]);
    expect(reversalEffects(rules, "voided")).toEqual({
      kind: "voided",
      stopReminders: false,
      flagCard: null,
      dealStatus: null,
      dealStage: null,
      tellOwner: true,
      hold: false,
    });
    expect(reversalEffects(rules, "dispute")).toBeNull();
  });

  it("a partial refund counts unless the rule says otherwise", () => {
    const counts = reversalsSchema.parse([{ on: ["refund"], hold: true }]);
    expect(reversalEffects(counts, "refund", { partial: true })).toMatchObject({ hold: true });
    const ignores = reversalsSchema.parse([{ on: ["refund"], hold: true, partialRefunds: false }]);
    expect(reversalEffects(ignores, "refund", { partial: true })).toBeNull();
    expect(reversalEffects(ignores, "refund", { partial: false })).toMatchObject({ hold: true });
  });

  it("refuses a kind named by two rules, an unknown kind and an empty rule", () => {
    expect(reversalsSchema.safeParse([{ on: ["refund"] }, { on: ["refund", "dispute"] }]).success).toBe(false);
    const unknown = validateTemplate({ ...DEFAULT_TEMPLATE, reversals: [{ on: ["chargeback"] }] });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.errors.join()).toMatch(/^reversals\.0\.on\.0/);
    expect(reversalsSchema.safeParse([{ on: [] }]).success).toBe(false);
  });
});
