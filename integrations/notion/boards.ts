import type { ConnectionContext } from "../core/context";
import { withNotion } from "./client";

/** A data source the owner can pick as the project board. */
export interface NotionBoard {
  id: string;
  name: string;
}

/** The data sources (databases) shared with the integration: the candidates for the project board. */
export async function listBoards(ctx: ConnectionContext<"notion">): Promise<NotionBoard[]> {
  const found = await withNotion(ctx, (notion) =>
    notion.search({ filter: { property: "object", value: "data_source" }, page_size: 100 }),
  );
  return found.results.flatMap((result) => {
    if (result.object !== "data_source") return [];
    const title = "title" in result ? result.title.map((t) => t.plain_text).join("") : "";
    return [{ id: result.id, name: title || "Untitled" }];
  });
}
