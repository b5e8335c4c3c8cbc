import { HttpResponse, http } from "msw";
import { signNotionBody } from "../integrations/notion/webhook-signature";
import { contractGate } from "./contracts/gate";
import { notionError } from "./notion-error";
import type { NotionWebhookEvent, Page } from "./notion-shapes";
import { dataSourceShape, invalidStatus, NOTION_BOT_USER, propertyId, renderPage, webhookEvent } from "./notion-shapes";
import { basicCredentials, OAuthServer } from "./oauth-server";
import { rateLimitOf } from "./rate-limit-specs";
import { type MockRequest, type PathParams, RequestLog, recordRequest } from "./recorder";

type RichText = { text: { content: string } }[];

export type { NotionWebhookEvent };

/**
 * A stateful emulator of the Notion endpoints Clientflow uses: query a data
 * source, create a page in it, read a page, update page properties. Status
 * options are validated like Notion does. Tests can also act as a person in
 * Notion (`changeStatusAsUser`) and get the signed webhook delivery.
 */
export class NotionFake {
  readonly requests = new RequestLog();
  readonly rateLimit = rateLimitOf("notion"); // off unless a test turns it on
  readonly pages = new Map<string, Page>();
  protected seq = 0;
  protected eventSeq = 0;

  /**
   * The integration's webhook subscription: the Notion workspace its events
   * come from, and the verification token it sends in the handshake and
   * signs every event with. Tests may change them.
   */
  readonly webhook = {
    workspaceId: "5e1f0c2a-1b2c-4d3e-8f90-0a1b2c3d4e5f",
    workspaceName: "Bright Studio HQ",
    integrationId: "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9",
    subscriptionId: "9a8b7c6d-5e4f-4321-8765-43210fedcba9",
    token: "secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl",
  };

  /** The public connection's OAuth server: tokens state no expiry, refresh tokens rotate. */
  readonly oauth: OAuthServer;

  constructor(
    readonly base: string,
    readonly token: string,
    readonly boardId: string,
    readonly statuses: string[] = ["Onboarding", "In progress", "Review", "Done"],
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

  /** The board (GET /v1/data_sources/{id}), with its Status options: templates are checked against them. */
  private dataSource(id: string) {
    if (id !== this.boardId) return notionError(404, "object_not_found", "Could not find data source.");
    return HttpResponse.json(dataSourceShape(id, "Client projects", this.statuses));
  }

  /** The body of the one-time verification request Notion sends when a subscription is created. */
  handshakeBody(token = this.webhook.token): string {
    return JSON.stringify({ verification_token: token });
  }

  /**
   * A person moves the card to `status` in Notion's UI (validated like
   * Notion does); returns the `page.properties_updated` event Notion sends.
   */
  changeStatusAsUser(pageId: string, status: string, options: { workspaceId?: string } = {}): NotionWebhookEvent {
    const page = this.pages.get(pageId);
    if (!page) throw new Error(`No page ${pageId}`);
    if (!this.statuses.includes(status)) throw new Error(`Invalid status option "${status}"`);
    page.properties.Status = { status: { name: status } };
    page.last_edited_time = new Date().toISOString();
    return this.event("page.properties_updated", pageId, {
      workspaceId: options.workspaceId,
      data: {
        parent: { id: this.boardId, type: "database", data_source_id: this.boardId },
        updated_properties: [propertyId("Status", page.properties.Status)],
      },
    });
  }

  /** An event about `pageId` (ids only), as Notion would deliver it. */
  event(
    type: string,
    pageId: string,
    options: { workspaceId?: string; data?: Record<string, unknown>; attempt?: number } = {},
  ): NotionWebhookEvent {
    this.eventSeq += 1;
    const parent = { id: this.boardId, type: "database", data_source_id: this.boardId };
    return webhookEvent(this.webhook, this.eventSeq, type, pageId, { parent, ...options });
  }

  /** The body and headers of a delivery of `event`, signed (`X-Notion-Signature`) with the subscription's token. */
  async delivery(event: NotionWebhookEvent | string, token = this.webhook.token) {
    const body = typeof event === "string" ? event : JSON.stringify(event);
    return { body, headers: { "content-type": "application/json", ...(await signNotionBody(body, token)) } };
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
          return notionError(401, "unauthorized", "API token is invalid.");
        }
        if (!request.headers.get("notion-version"))
          return notionError(400, "missing_version", "Notion-Version header is required.");
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
      contractGate("notion", [{ base: this.base, paths: ["/"] }]),
      this.rateLimit.handler(this.base, "/v1/"),
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
      http.get(
        `${b}/data_sources/:id`,
        guard<{ id: string }>((_body, { id }) => this.dataSource(id)),
      ),
      http.post(
        `${b}/data_sources/:id/query`,
        guard<{ id: string }>((body, { id }) => {
          if (id !== this.boardId) return notionError(404, "object_not_found", "Could not find data source.");
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
            return notionError(404, "object_not_found", "Could not find data source.");
          const properties = body.properties as Record<string, unknown>;
          const bad = invalidStatus(properties, this.statuses);
          if (bad) return notionError(400, "validation_error", `Invalid status option "${bad}".`);
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
      http.get(
        `${b}/users/me`,
        guard(() => HttpResponse.json(NOTION_BOT_USER)),
      ),
      http.get(
        `${b}/pages/:id`,
        guard<{ id: string }>((_body, { id }) => {
          const page = this.pages.get(id);
          return page
            ? HttpResponse.json(renderPage(page))
            : notionError(404, "object_not_found", "Could not find page.");
        }),
      ),
      http.patch(
        `${b}/pages/:id`,
        guard<{ id: string }>((body, { id }) => {
          const page = this.pages.get(id);
          if (!page) return notionError(404, "object_not_found", "Could not find page.");
          const properties = (body.properties as Record<string, unknown>) ?? {};
          const bad = invalidStatus(properties, this.statuses);
          if (bad) return notionError(400, "validation_error", `Invalid status option "${bad}".`);
          Object.assign(page.properties, properties);
          page.last_edited_time = new Date().toISOString();
          if (typeof body.in_trash === "boolean") page.in_trash = body.in_trash;
          return HttpResponse.json(page);
        }),
      ),
      // Block children of a page (the card's body): listed with cursor paging, appended at the end.
      http.get(
        `${b}/blocks/:id/children`,
        guard<{ id: string }>((_body, { id }) => {
          const page = this.pages.get(id);
          if (!page) return notionError(404, "object_not_found", "Could not find block.");
          // guard() recorded this request just before calling here: its query holds the paging.
          const query = this.requests.all.at(-1)?.search ?? new URLSearchParams();
          const size = Math.min(Number(query.get("page_size") ?? 100) || 100, 100);
          const from = Number(query.get("start_cursor") ?? 0) || 0;
          const results = page.children.slice(from, from + size).map((child, i) => {
            const block = child as { id?: string; type: string } & Record<string, { rich_text?: RichText }>;
            const content = block[block.type] ?? {};
            const rich = (content.rich_text ?? []).map((t) => ({ type: "text", plain_text: t.text.content, ...t }));
            return {
              object: "block",
              id: block.id ?? `${id}-${from + i}`,
              ...block,
              [block.type]: { ...content, rich_text: rich },
            };
          });
          const more = from + size < page.children.length;
          return HttpResponse.json({
            object: "list",
            type: "block",
            block: {},
            results,
            has_more: more,
            next_cursor: more ? String(from + size) : null,
          });
        }),
      ),
      http.patch(
        `${b}/blocks/:id/children`,
        guard<{ id: string }>((body, { id }) => {
          const page = this.pages.get(id);
          if (!page) return notionError(404, "object_not_found", "Could not find block.");
          const children = (body.children as ({ type: string } & Record<string, { rich_text?: RichText }>)[]) ?? [];
          const tooLong = children.some((c) => (c[c.type]?.rich_text ?? []).some((t) => t.text.content.length > 2000));
          if (tooLong) return notionError(400, "validation_error", "body.children[0] rich_text content length > 2000.");
          const added = children.map((c) => ({ ...c, object: "block", id: crypto.randomUUID(), has_children: false }));
          page.children.push(...added);
          return HttpResponse.json({
            object: "list",
            type: "block",
            block: {},
            results: added,
            has_more: false,
            next_cursor: null,
          });
        }),
      ),
    ];
  }
}
