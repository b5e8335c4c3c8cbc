/**
 * The project board's property names. The board (a Notion database / data
 * source shared with the integration) must have these properties; README
 * lists them.
 */
export const BOARD_PROPERTIES = {
  title: "Name",
  status: "Status",
  client: "Client",
  deal: "Deal",
  invoice: "Invoice",
  due: "Due",
  journey: "Clientflow ID",
} as const;

export const richText = (content: string) => [{ type: "text" as const, text: { content: content.slice(0, 2000) } }];
