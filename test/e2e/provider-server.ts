import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RequestHandler } from "msw";
import { getResponse } from "msw";
import { reply, toRequest } from "../../sandbox/node-http";

/**
 * Serves msw handlers over real HTTP on 127.0.0.1, so a Worker running under
 * `wrangler dev` can call the provider emulators. Unhandled requests get a
 * JSON 501 naming the route (an unmocked call fails loudly).
 */
export async function listen(
  handlersFor: (origin: string) => RequestHandler[],
): Promise<{ origin: string; server: Server }> {
  let handlers: RequestHandler[] = [];
  let origin = "";
  const server = createServer((req, res) => {
    toRequest(req, origin)
      .then(async (request) => {
        const response = await getResponse(handlers, request);
        await reply(
          res,
          response ?? Response.json({ error: "unhandled", route: `${req.method} ${req.url}` }, { status: 501 }),
        );
      })
      .catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handlers = handlersFor(origin);
  return { origin, server };
}
