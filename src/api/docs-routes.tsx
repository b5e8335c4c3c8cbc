import { Hono } from "hono";
import { requireSession, type SessionEnv } from "../auth/session";
import { DashboardLayout, PageHeader } from "../dashboard/dashboard-layout";
import { sandboxEnabled } from "../dashboard/sandbox/mode";
import { openApiDocument } from "./index";

type Operation = { summary?: string; description?: string; tags?: string[] };
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** `/api/docs`: a readable page listing every operation of `/api/openapi.json`. */
export const docsRoutes = new Hono<SessionEnv>().get("/", requireSession({ redirect: true }), (c) => {
  const doc = openApiDocument(`${new URL(c.req.url).origin}/api`);
  const rows = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const op = (item as Record<string, Operation | undefined>)[method];
      return op ? [{ path, method: method.toUpperCase(), op }] : [];
    }),
  );
  const session = c.get("session");
  return c.html(
    <DashboardLayout title="API" section="api" csrf={session.csrfToken} sandbox={sandboxEnabled(c.env)}>
      <PageHeader
        title="API"
        subtitle="The JSON API the pages use. It takes the same session; changes need the X-CSRF-Token header."
      >
        <a class="btn" href="/api/openapi.json">
          OpenAPI document
        </a>
      </PageHeader>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th scope="col">Path</th>
            <th scope="col">What it does</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td class="mono">{r.method}</td>
              <td class="mono">/api{r.path}</td>
              <td>{r.op.summary ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </DashboardLayout>,
  );
});
