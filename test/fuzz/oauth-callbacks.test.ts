import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Browser, signIn } from "../browser";
import { OutcomeTally } from "../reliability/outcome-tally";
import { useWorld } from "../world";
import { brief, expectNothingStored, fuzz, hostileText, rowCounts } from "./fuzz-kit";

/**
 * The OAuth callbacks (sign-in and each provider's connect flow) with made-up,
 * hostile or missing `code`, `state` and `error` parameters, from a stranger's
 * browser and from a signed-in owner's: a 4xx or a redirect back with a fixed
 * notice, never a 5xx; no session, owner or connection is created; nothing
 * typed comes back raw.
 */
const world = useWorld();
const params = fc.record(
  { code: hostileText, state: hostileText, error: hostileText, error_description: hostileText },
  { requiredKeys: [] },
);
const callbacks = fc.constantFrom(
  "/auth/callback",
  "/oauth/hubspot/callback",
  "/oauth/stripe/callback",
  "/oauth/notion/callback",
  "/oauth/google/callback",
  "/oauth/not-a-provider/callback",
);

/** The query string, with a lone surrogate sent as its escape (it has no UTF-8 form). */
function query(values: Record<string, string>): string {
  const safe = Object.entries(values).map(([k, v]) => [
    k,
    v.replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`),
  ]);
  return new URLSearchParams(safe).toString();
}

describe("fuzzing the OAuth callbacks", () => {
  it("made-up or hostile callback parameters: refused or sent back with a fixed notice; nothing stored or reflected", async ({
    task,
  }) => {
    const tally = new OutcomeTally();
    const owner = await signIn(world, { sub: "fuzz-oauth-owner", email: "fuzz-oauth@studio.test" });
    const before = await rowCounts();
    await fuzz(
      fc.tuple(callbacks, params, fc.boolean()),
      async ([path, values, signedIn]) => {
        const browser = signedIn ? owner.browser : new Browser();
        const url = `${path}?${query(values as Record<string, string>)}`;
        const response = await browser.fetch(url, { headers: { accept: "text/html" } });
        tally.add(response.status);
        const where = `${signedIn ? "owner" : "stranger"} ${brief(url)} → ${response.status}`;
        expect([302, 303, 400, 401, 403, 404], where).toContain(response.status);
        const text = `${response.headers.get("location") ?? ""}\n${await response.text()}`;
        for (const value of Object.values(values as Record<string, string>).filter(
          (v) => /[<>]/.test(v) && v.length > 3,
        ))
          expect(text, where).not.toContain(value);
        expect(text, where).not.toMatch(/<script>alert|<img src=x/i);
      },
      60,
    );
    await expectNothingStored(before, "OAuth callbacks");
    tally.record(task, "fuzz: OAuth callbacks");
  });
});
