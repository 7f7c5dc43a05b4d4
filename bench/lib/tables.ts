/** Markdown building blocks of the benchmark report (report.ts): tables and sections. */

/** A Markdown table; "" when there are no rows. */
export function table(header: string[], rows: string[][]): string {
  if (rows.length === 0) return "";
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** A column: its header and how an item fills it. */
export type Column<T> = [header: string, cell: (item: T) => string];

/** A table with one row per item. */
export function tabulate<T>(items: readonly T[], columns: Array<Column<T>>): string {
  return table(
    columns.map(([h]) => h),
    items.map((item) => columns.map(([, cell]) => cell(item))),
  );
}

/** A heading and its blocks (empty blocks left out), each followed by a blank line. */
export const section = (heading: string, ...blocks: string[]): string =>
  `${[heading, ...blocks.filter(Boolean)].join("\n\n")}\n`;

export const fenced = (text: string): string => `\`\`\`\n${text}\n\`\`\``;
