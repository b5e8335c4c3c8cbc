import { getResponse, HttpResponse, http, type RequestHandler } from "msw";
import type { World } from "../world";

/** An emulator whose handlers can answer a request on their own (the fakes in emulators/). */
export interface Emulator {
  handlers(): RequestHandler[];
}

/** What a lost answer left behind: how many writes reached the provider before the caller saw a 500. */
export interface LostAnswer {
  applied: number;
}

/**
 * The next `method url` request reaches the provider, whose emulator applies
 * it (its contract gate checks it as usual), but the caller gets `status`
 * with `body` in place of the answer: a write that landed while its response
 * was lost (a reset after applying, a 500 from a proxy behind the provider).
 * `landed` sees the emulator's own answer (to hide a new record from the
 * search index, say). Requests after it pass to the emulator untouched.
 */
export function loseNextAnswer(
  world: World,
  emulator: Emulator,
  method: "post" | "patch",
  url: string,
  options: { status?: number; body?: unknown; landed?: (answer: Response) => unknown } = {},
): LostAnswer {
  const lost: LostAnswer = { applied: 0 };
  world.network.use(
    http[method](url, async ({ request }) => {
      if (lost.applied > 0) return undefined;
      // A plain copy: msw's typed request and the Workers' Request differ in their json() typing.
      const copy = new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body: await request.arrayBuffer(),
      });
      const answer = await getResponse(emulator.handlers(), copy);
      if (!answer?.ok)
        throw new Error(`the emulator refused the write whose answer was to be lost (${answer?.status})`);
      lost.applied += 1;
      await options.landed?.(answer.clone());
      return HttpResponse.json(options.body ?? { message: "upstream answer lost" }, { status: options.status ?? 500 });
    }),
  );
  return lost;
}
