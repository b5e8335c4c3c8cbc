import { afterEach, describe, expect, it, vi } from "vitest";
import { IntegrationError } from "../../integrations/core/errors";
import { callNotion, notionSdk } from "../../integrations/notion/client";

const API = "https://api.notion.test";
const PAGE = "1b2c3d4e5f60718293a4b5c6d7e8f901";

afterEach(() => {
  vi.restoreAllMocks();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("Notion requests time out from the moment they leave, not while they wait for the rate budget", () => {
  it("a permit that takes longer than the request's timeout does not fail the request", async () => {
    const sent: number[] = [];
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async () => {
      sent.push(Date.now());
      return new Response(JSON.stringify({ object: "page", id: PAGE }), {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    });
    const asked = Date.now();
    const notion = notionSdk(API, "ntn_token", () => sleep(150).then(() => undefined), {
      requestMs: 50,
      sdkMs: 60_000,
    });
    await expect(notion.pages.retrieve({ page_id: PAGE })).resolves.toMatchObject({ id: PAGE });
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect((sent[0] ?? 0) - asked).toBeGreaterThanOrEqual(140);
  });

  it("a request that outlives its timeout is aborted and fails as a retryable timeout", async () => {
    let signal: AbortSignal | undefined;
    vi.spyOn(globalThis, "fetch").mockImplementation(
      (_input, init) =>
        new Promise<Response>((_resolve, reject) => {
          signal = init?.signal ?? undefined;
          signal?.addEventListener("abort", () => reject(signal?.reason));
        }),
    );
    const notion = notionSdk(API, "ntn_token", undefined, { requestMs: 50, sdkMs: 60_000 });
    const error = await callNotion(() => notion.pages.retrieve({ page_id: PAGE })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toMatchObject({ provider: "notion", httpStatus: 0, retryable: true, message: "notion timed out" });
    expect(signal?.aborted).toBe(true);
  });

  it("the SDK's own timeout outlasts a journey step's 5-minute attempt, so it never reports a request still to leave", async () => {
    const timeouts: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
      timeouts.push(ms ?? 0);
      return realSetTimeout(fn, ms);
    }) as typeof setTimeout);
    vi.spyOn(globalThis, "fetch").mockResolvedValue(
      new Response(JSON.stringify({ object: "page", id: PAGE }), { status: 200 }),
    );
    await notionSdk(API, "ntn_token").pages.retrieve({ page_id: PAGE });
    // The SDK arms one timer around the fetch it is given (rejectAfterTimeout): longer than 5 minutes.
    expect(Math.max(...timeouts)).toBeGreaterThan(5 * 60_000);
  });
});

describe("a Notion request's end is reported to a permit that asks for it", () => {
  /** A permit that hands out a landing report recording its outcomes. */
  const landing = () => {
    const outcomes: string[] = [];
    const permit = async () => async (outcome: string) => {
      outcomes.push(outcome);
    };
    return { outcomes, permit };
  };

  it("answered on any response, an error status too", async () => {
    const { outcomes, permit } = landing();
    vi.spyOn(globalThis, "fetch").mockResolvedValue(
      new Response(JSON.stringify({ object: "error", status: 503, code: "service_unavailable", message: "down" }), {
        status: 503,
      }),
    );
    await expect(
      callNotion(() => notionSdk(API, "ntn_token", permit).pages.retrieve({ page_id: PAGE })),
    ).rejects.toMatchObject({ httpStatus: 503 });
    expect(outcomes).toEqual(["answered"]);
  });

  it("unanswered when the request timed out", async () => {
    const { outcomes, permit } = landing();
    vi.spyOn(globalThis, "fetch").mockImplementation(
      (_input, init) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
        }),
    );
    const notion = notionSdk(API, "ntn_token", permit, { requestMs: 30, sdkMs: 60_000 });
    await expect(callNotion(() => notion.pages.retrieve({ page_id: PAGE }))).rejects.toMatchObject({ httpStatus: 0 });
    expect(outcomes).toEqual(["unanswered"]);
  });
});
