import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import { publicUrl } from "../../src/links/public-url";

describe("publicUrl", () => {
  it("is PUBLIC_URL's origin when set, whatever the request came in on", () => {
    expect(publicUrl({ PUBLIC_URL: "https://studio.example/" })).toBe("https://studio.example");
    expect(publicUrl({ PUBLIC_URL: " https://studio.example:8443/any/path " }, "http://10.0.0.7/x")).toBe(
      "https://studio.example:8443",
    );
  });

  it("falls back to the request's origin inside a request", () => {
    expect(publicUrl({}, new Request("http://localhost:8787/oauth/hubspot/start?x=1"))).toBe("http://localhost:8787");
    expect(publicUrl({ PUBLIC_URL: "" }, "https://app.test/auth/login")).toBe("https://app.test");
  });

  it("fails clearly, naming PUBLIC_URL, when a link is built outside a request without it", () => {
    for (const env of [{}, { PUBLIC_URL: "" }, { PUBLIC_URL: "  " }]) {
      let thrown: unknown;
      try {
        publicUrl(env);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ code: "missing_public_url" });
      expect(String((thrown as Error).message)).toMatch(/^PUBLIC_URL is not set/);
    }
  });

  it("refuses a PUBLIC_URL that is not an http(s) URL, naming it", () => {
    expect(() => publicUrl({ PUBLIC_URL: "studio.example" }, "https://app.test/")).toThrow(/PUBLIC_URL is not a URL/);
    expect(() => publicUrl({ PUBLIC_URL: "javascript:alert(1)" })).toThrow(/PUBLIC_URL must be an http\(s\) URL/);
  });
});
