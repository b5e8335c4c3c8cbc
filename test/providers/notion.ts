import { HttpResponse, http } from "msw";
import { basicCredentials, OAuthServer } from "./oauth-server";
import { type MockRequest, type PathParams, RequestLog, recordRequest } from "./recorder";

interface Page {
  object: "page";
  id: string;
  url: string;
  parent: { type: "data_source_id"; data_source_id: string };
  in_trash: boolean;
  properties: Record<string, unknown>;
  children: unknown[];
}

type RichText = { text: { content: string } }[];

/**
 * A stateful emulator of the Notion endpoints Clientflow uses: query a data
 * source, create a page in it, update page properties. Status options are
 * validated like Notion does.
 */
export class NotionFake {
  readonly requests = new RequestLog();
  readonly pages = new Map<string, Page>();
  private seq = 0;

  /** The public connection's OAuth server: tokens state no expiry, refresh tokens rotate. */
  readonly oauth: OAuthServer;

  constructor(
    readonly base: string,
    readonly token: string,
    readonly boardId: string,
    readonly statuses: string[] = ["Onboarding", "In progress", "Done"],
    readonly client = { id: "notion-client-id", secret: "notion-client-secret" },
  ) {
    this.oauth = new OAuthServer("notion", client.id, { rotateRefreshTokens: true });
  }

  /** The plain value of a page property as Clientflow wrote it. */
  value(pageId: string, property: string): string | null {
    const prop = this.pages.get(pageId)?.properties[property] as Record<string, unknown> | undefined;
    if (!prop) return null;
    if ("status" in prop) return (prop.status as { name: string }).name;
    if ("url" in prop) return prop.url as string;
    if ("date" in prop) return (prop.date as { start: string }).start;
    const texts = (prop.title ?? prop.rich_text) as RichText | undefined;
    return texts ? texts.map((t) => t.text.content).join("") : null;
  }

  private error(status: number, code: string, message: string) {
    return HttpResponse.json({ object: "error", status, code, message }, { status });
  }

  private invalidStatus(properties: Record<string, unknown>): string | undefined {
    for (const prop of Object.values(properties)) {
      const name = (prop as { status?: { name: string } }).status?.name;
      if (name !== undefined && !this.statuses.includes(name)) return name;
    }
    return undefined;
  }

  handlers() {
    const b = `${this.base}/v1`;
    const guard =
      <P extends PathParams>(fn: (body: Record<string, unknown>, params: P) => Response) =>
      async ({ request, params }: { request: MockRequest; params: PathParams }) => {
        const recorded = await recordRequest(request);
        this.requests.push(recorded);
        const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
        if (token !== this.token && !this.oauth.accessTokens.has(token)) {
          return this.error(401, "unauthorized", "API token is invalid.");
        }
        if (!request.headers.get("notion-version"))
          return this.error(400, "missing_version", "Notion-Version header is required.");
        return fn((recorded.body as Record<string, unknown> | null) ?? {}, params as P);
      };
    const clientGuard =
      (fn: (body: Record<string, string>) => Response | Promise<Response>) =>
      async ({ request }: { request: MockRequest }) => {
        const recorded = await recordRequest(request);
        this.requests.push(recorded);
        const [id, secret] = basicCredentials(request) ?? [];
        if (id !== this.client.id || secret !== this.client.secret) {
          return HttpResponse.json({ error: "invalid_client" }, { status: 401 });
        }
        return fn(recorded.body as Record<string, string>);
      };
    return [
      http.post(
        `${b}/oauth/token`,
        clientGuard((body) =>
          this.oauth.token(body, (identity) => ({
            bot_id: "bot-0001",
            workspace_id: identity.workspaceId,
            workspace_name: identity.workspaceName,
            owner: { type: "user" },
          })),
        ),
      ),
      http.post(
        `${b}/oauth/revoke`,
        clientGuard((body) => {
          this.oauth.revoke(body.token ?? "");
          return HttpResponse.json({ request_id: "req-revoke" });
        }),
      ),
      http.post(
        `${b}/search`,
        guard(() =>
          HttpResponse.json({
            object: "list",
            has_more: false,
            next_cursor: null,
            results: [
              { object: "data_source", id: this.boardId, title: [{ plain_text: "Client projects" }] },
              {
                object: "data_source",
                id: "other-0000-4000-8000-000000000009",
                title: [{ plain_text: "Reading list" }],
              },
            ],
          }),
        ),
      ),
      http.post(
        `${b}/data_sources/:id/query`,
        guard<{ id: string }>((body, { id }) => {
          if (id !== this.boardId) return this.error(404, "object_not_found", "Could not find data source.");
          const filter = body.filter as { property: string; rich_text: { equals: string } } | undefined;
          const results = [...this.pages.values()].filter(
            (p) =>
              p.parent.data_source_id === id &&
              !p.in_trash &&
              (!filter || this.value(p.id, filter.property) === filter.rich_text.equals),
          );
          return HttpResponse.json({ object: "list", results, has_more: false, next_cursor: null });
        }),
      ),
      http.post(
        `${b}/pages`,
        guard((body) => {
          const parent = body.parent as { data_source_id?: string };
          if (parent.data_source_id !== this.boardId)
            return this.error(404, "object_not_found", "Could not find data source.");
          const properties = body.properties as Record<string, unknown>;
          const bad = this.invalidStatus(properties);
          if (bad) return this.error(400, "validation_error", `Invalid status option "${bad}".`);
          this.seq += 1;
          const id = `0000000${this.seq}-aaaa-4bbb-8ccc-${String(this.seq).padStart(12, "0")}`;
          const page: Page = {
            object: "page",
            id,
            url: `https://www.notion.so/Project-${id.replace(/-/g, "")}`,
            parent: { type: "data_source_id", data_source_id: this.boardId },
            in_trash: false,
            properties,
            children: (body.children as unknown[]) ?? [],
          };
          this.pages.set(id, page);
          return HttpResponse.json(page);
        }),
      ),
      http.patch(
        `${b}/pages/:id`,
        guard<{ id: string }>((body, { id }) => {
          const page = this.pages.get(id);
          if (!page) return this.error(404, "object_not_found", "Could not find page.");
          const properties = (body.properties as Record<string, unknown>) ?? {};
          const bad = this.invalidStatus(properties);
          if (bad) return this.error(400, "validation_error", `Invalid status option "${bad}".`);
          Object.assign(page.properties, properties);
          if (typeof body.in_trash === "boolean") page.in_trash = body.in_trash;
          return HttpResponse.json(page);
        }),
      ),
    ];
  }
}
