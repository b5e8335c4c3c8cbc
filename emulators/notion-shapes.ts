/**
 * The shapes the Notion emulator answers with: pages as the API returns
 * them (`GET /v1/pages/{id}`) and webhook events as Notion delivers them.
 */

/** A page as the emulator stores it: the properties exactly as Clientflow wrote them. */
export interface Page {
  object: "page";
  id: string;
  url: string;
  parent: { type: "data_source_id"; data_source_id: string };
  in_trash: boolean;
  properties: Record<string, unknown>;
  children: unknown[];
  last_edited_time?: string;
}

type RichText = { text: { content: string } }[];

/** A webhook event as Notion sends it: ids only (https://developers.notion.com/reference/webhooks-events-delivery). */
export interface NotionWebhookEvent {
  id: string;
  timestamp: string;
  workspace_id: string;
  workspace_name: string;
  subscription_id: string;
  integration_id: string;
  type: string;
  authors: { id: string; type: "person" | "bot" | "agent" }[];
  attempt_number: number;
  api_version: string;
  entity: { id: string; type: "page" | "block" | "database" };
  data: Record<string, unknown>;
  /** Public integrations only: the bot owners who can see the entity (https://developers.notion.com/reference/webhooks/page-properties-updated). */
  accessible_by?: { id: string; type: "person" | "bot" }[];
}

/** Notion's short property ids ("title" for the title); events name properties by these. */
export const propertyId = (name: string, value: unknown) =>
  value && typeof value === "object" && "title" in value ? "title" : encodeURIComponent(`${name.slice(0, 3)}~`);

/** A property as the API returns it (with `id`, `type` and `plain_text`), from what Clientflow wrote. */
export function renderProperty(name: string, value: unknown): Record<string, unknown> {
  const prop = (value ?? {}) as Record<string, unknown>;
  const id = propertyId(name, value);
  if ("status" in prop) {
    const option = prop.status as { name: string } | null;
    return {
      id,
      type: "status",
      status: option ? { id: `opt-${option.name}`, name: option.name, color: "default" } : null,
    };
  }
  for (const type of ["title", "rich_text"] as const) {
    if (type in prop) {
      const texts = (prop[type] as RichText | undefined) ?? [];
      const items = texts.map((t) => ({
        type: "text",
        text: { content: t.text.content, link: null },
        plain_text: t.text.content,
        href: null,
        annotations: {
          bold: false,
          italic: false,
          strikethrough: false,
          underline: false,
          code: false,
          color: "default",
        },
      }));
      return { id, type, [type]: items };
    }
  }
  if ("url" in prop) return { id, type: "url", url: prop.url };
  if ("date" in prop) return { id, type: "date", date: { end: null, time_zone: null, ...(prop.date as object) } };
  return { id, ...prop };
}

/** A page as `GET /v1/pages/{id}` returns it. */
export function renderPage(page: Page) {
  const properties = Object.fromEntries(
    Object.entries(page.properties).map(([name, value]) => [name, renderProperty(name, value)]),
  );
  return {
    object: "page",
    id: page.id,
    created_time: "2026-11-20T10:00:00.000Z",
    last_edited_time: page.last_edited_time ?? "2026-11-20T10:00:00.000Z",
    created_by: { object: "user", id: "bot-0001" },
    last_edited_by: { object: "user", id: "bot-0001" },
    cover: null,
    icon: null,
    parent: page.parent,
    in_trash: page.in_trash,
    archived: page.in_trash,
    is_archived: page.in_trash,
    is_locked: false,
    url: page.url,
    public_url: null,
    properties,
  };
}

/** The webhook subscription an event comes from. */
export interface Subscription {
  workspaceId: string;
  workspaceName: string;
  integrationId: string;
  subscriptionId: string;
}

/** The person who made the change in the fixtures (and owns the connection). */
const PERSON = { id: "c0ffee00-0000-4000-8000-000000000001", type: "person" as const };

/**
 * The `data` Notion sends with a page event (@notionhq/client
 * api-endpoints/webhooks.d.ts: Page…WebhookPayload): always the page's
 * parent; for updates, what changed.
 */
function pageEventData(type: string, parent: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!parent) return {};
  if (type === "page.content_updated") return { parent, updated_blocks: [] };
  if (type === "page.properties_updated") return { parent, updated_properties: [] };
  return { parent };
}

/** Event number `seq` about `pageId`, with ids only; `parent` is the page's parent (the board) for the default data. */
export function webhookEvent(
  subscription: Subscription,
  seq: number,
  type: string,
  pageId: string,
  options: {
    workspaceId?: string;
    data?: Record<string, unknown>;
    attempt?: number;
    parent?: Record<string, unknown>;
  } = {},
): NotionWebhookEvent {
  return {
    id: `e0e0e0e0-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    timestamp: new Date().toISOString(),
    workspace_id: options.workspaceId ?? subscription.workspaceId,
    workspace_name: subscription.workspaceName,
    subscription_id: subscription.subscriptionId,
    integration_id: subscription.integrationId,
    type,
    authors: [PERSON],
    accessible_by: [PERSON],
    attempt_number: options.attempt ?? 1,
    api_version: "2025-09-03",
    entity: { id: pageId, type: "page" },
    data: options.data ?? pageEventData(type, options.parent),
  };
}

/**
 * The board as GET /v1/data_sources/{id} returns it (the SDK's
 * DataSourceObjectResponse, trimmed to what Clientflow reads): its title and
 * properties, the Status property with its options.
 */
export function dataSourceShape(id: string, title: string, statuses: readonly string[]) {
  const plain = (type: string) => ({ type, [type]: {} });
  const property = (name: string, config: Record<string, unknown>) => [
    name,
    { id: propertyId(name, config), name, ...config },
  ];
  return {
    object: "data_source",
    id,
    title: [{ type: "text", text: { content: title }, plain_text: title }],
    in_trash: false,
    properties: Object.fromEntries([
      property("Name", plain("title")),
      property("Status", {
        type: "status",
        status: { options: statuses.map((name, i) => ({ id: `opt-${i}`, name, color: "default" })), groups: [] },
      }),
      property("Client", plain("rich_text")),
      property("Deal", plain("url")),
      property("Invoice", plain("url")),
      property("Due", plain("date")),
      property("Clientflow ID", plain("rich_text")),
    ]),
  };
}

/** The first status a page write names that the board lacks (Notion refuses such a write). */
export function invalidStatus(properties: Record<string, unknown>, statuses: readonly string[]): string | undefined {
  for (const prop of Object.values(properties)) {
    const name = (prop as { status?: { name: string } }).status?.name;
    if (name !== undefined && !statuses.includes(name)) return name;
  }
  return undefined;
}

/** The integration's bot user, as `GET /v1/users/me` answers any valid token (the scheduled connection check reads it). */
export const NOTION_BOT_USER = {
  object: "user",
  id: "bot-0001",
  type: "bot",
  name: "Clientflow",
  bot: { owner: { type: "workspace", workspace: true }, workspace_name: "Studio" },
};
