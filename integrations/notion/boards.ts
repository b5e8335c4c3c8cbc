import type { GetDataSourceResponse } from "@notionhq/client";
import type { ConnectionContext } from "../core/context";
import { notionBoardId } from "./auth";
import { BOARD_PROPERTIES } from "./board";
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

/** The project board's name and the options of its Status property (empty when it has none). */
export interface BoardStatuses {
  name: string;
  statuses: string[];
}

/**
 * Reads the picked board (data source) and the options of its Status
 * property, which cards can be moved to: what templates are checked
 * against. https://developers.notion.com/reference/retrieve-a-data-source
 */
export async function readBoardStatuses(ctx: ConnectionContext<"notion">): Promise<BoardStatuses> {
  const boardId = notionBoardId(ctx);
  const source = await withNotion(ctx, (notion) => notion.dataSources.retrieve({ data_source_id: boardId }));
  // A partial answer (no title) still lists the properties.
  if (!("title" in source)) return { name: "Untitled", statuses: statusOptions(source.properties) };
  const name = source.title.map((t) => t.plain_text).join("") || "Untitled";
  return { name, statuses: statusOptions(source.properties) };
}

type DataSourceProperties = Extract<GetDataSourceResponse, { title: unknown }>["properties"];

function statusOptions(properties: DataSourceProperties): string[] {
  const status = properties[BOARD_PROPERTIES.status];
  return status?.type === "status" ? status.status.options.map((o) => o.name) : [];
}
