import { describe, expect, it } from "vitest";
import * as realModule from "zod";
import { z as real } from "zod";
import * as englishModule from "../../src/zod-english";
import { z as english } from "../../src/zod-english";

// The Worker's bundle replaces "zod" with src/zod-english (scripts/build-worker.mjs); the tests import the
// real package. These checks hold the two to the same shape, so the alias can't drift from what the code
// and @hono/zod-openapi expect when zod is upgraded.

const keys = (namespace: object) => Object.keys(namespace).sort();

describe("zod without its translations (the bundle's zod)", () => {
  it("exports every name zod exports, and zod's namespace the same keys", () => {
    expect(keys(englishModule)).toEqual(keys(realModule));
    expect(keys(english)).toEqual(keys(real));
    expect(keys(english.core)).toEqual(keys(real.core));
  });

  it("hands out zod's own classes and builders, so zod-to-openapi's extension reaches them", () => {
    expect(english.ZodType).toBe(real.ZodType);
    expect(english.object).toBe(real.object);
    expect(english.core.$ZodType).toBe(real.core.$ZodType);
    expect(english.iso.datetime).toBe(real.iso.datetime);
    expect(english.coerce.number).toBe(real.coerce.number);
  });

  it("keeps English alone among the locales", () => {
    // The tests resolve the real package (the alias is the bundle's): the comparisons here are not circular.
    expect(keys(real.locales).length).toBeGreaterThan(40);
    expect(keys(english.locales)).toEqual(["en"]);
    expect(english.core.locales).toBe(english.locales);
    expect(english.locales.en).toBe(real.locales.en);
  });

  it("answers in English, word for word as zod does", () => {
    const schema = english.object({ email: english.email(), seats: english.number().int().min(1) });
    const realSchema = real.object({ email: real.email(), seats: real.number().int().min(1) });
    const input = { email: "not-an-email", seats: 0 };
    const messages = schema.safeParse(input).error?.issues.map((i) => i.message);
    expect(messages).toEqual(["Invalid email address", "Too small: expected number to be >=1"]);
    expect(messages).toEqual(realSchema.safeParse(input).error?.issues.map((i) => i.message));
  });
});
