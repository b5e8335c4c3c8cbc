import type { Child } from "hono/jsx";

/** A column header: its text, or its text and whether it is only for screen readers (an actions column). */
export type DataColumn = string | { label: string; hidden?: boolean };

/**
 * The rule of the `visually-hidden` class a DataTable's hidden caption and headers use:
 * read by screen readers, not shown. A page that shows a DataTable with either includes it in its styles.
 */
export const VISUALLY_HIDDEN_CSS =
  ".visually-hidden{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}";

/**
 * A `table.data` with a header row of `scope="col"` headers and the rows as
 * children. The caption, when given, names the table for screen readers only.
 */
export function DataTable(props: { caption?: string; columns: DataColumn[]; children?: Child }) {
  return (
    <table class="data">
      {props.caption && <caption class="visually-hidden">{props.caption}</caption>}
      <thead>
        <tr>
          {props.columns.map((column) =>
            typeof column === "string" ? (
              <th scope="col">{column}</th>
            ) : (
              <th scope="col">{column.hidden ? <span class="visually-hidden">{column.label}</span> : column.label}</th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}
