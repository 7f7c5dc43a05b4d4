/**
 * The generated tables of the documentation, each between a pair of marker lines:
 *
 *     <!-- generated: NAME (npm run docs:tables) -->
 *     ...
 *     <!-- end: NAME -->
 *
 * - README.md `inputs` and `outputs`: from src/core/properties.ts, the one description of
 *   every property;
 * - docs/benchmarks.md `bench-targets`: the targets table of bench/results/results.md, which
 *   the benchmark run renders from its raw results.
 *
 * `npm run docs:tables` rewrites them; test/unit/doc-tables.test.ts fails when one differs.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { INPUTS, OUTPUTS, REQUIRED_INPUTS, REQUIRED_OUTPUTS, type PropertySpec } from "../src/core/properties";

const ROOT = path.resolve(__dirname, "..");

/**
 * Outputs of the dynamic face that are not the core's: the resource's own logical name, which
 * the dynamic resource sends as an input (the engine gives a dynamic provider no URN).
 */
export const DYNAMIC_ONLY_OUTPUTS = {
  resourceName:
    "The resource's logical name, used in messages and to tell a renamed resource's set from the old one's.",
} as const;

/** A table cell: `|` escaped, as GitHub's Markdown wants it inside tables. */
const cell = (text: string) => text.replace(/\|/g, "\\|");

function typeOf(spec: PropertySpec): string {
  return spec.enum ? spec.enum.map((v) => `"${v}"`).join(" | ") : spec.type;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function inputsTable(): string {
  const required = new Set<string>(REQUIRED_INPUTS);
  const rows = Object.entries(INPUTS).map(([name, spec]: [string, PropertySpec]) => [
    `\`${name}\``,
    `\`${typeOf(spec)}\``,
    required.has(name) ? "required" : spec.default === undefined ? "" : `\`${JSON.stringify(spec.default)}\``,
    spec.description,
  ]);
  return table(["input", "type", "default", "description"], rows);
}

export function outputsTable(): string {
  const always = new Set<string>(REQUIRED_OUTPUTS);
  const rows = Object.entries(OUTPUTS).map(([name, spec]: [string, PropertySpec]) => [
    `\`${name}\``,
    `\`${typeOf(spec)}\``,
    always.has(name) ? "always" : "see description",
    spec.description,
  ]);
  const extra = Object.entries(DYNAMIC_ONLY_OUTPUTS).map(([name, text]) => `\`${name}\` (string, always): ${text}`);
  return `${table(["output", "type", "present", "description"], rows)}\n\nThe dynamic resource's extra output: ${extra.join("; ")}`;
}

/** The "## Targets" table of a results.md written by bench/lib/report.ts. */
export function benchTargetsTable(resultsMd: string): string {
  const section = /^## Targets\n\n((?:\|.*\n)+)/m.exec(resultsMd)?.[1];
  if (!section) throw new Error("bench/results/results.md has no ## Targets table");
  return section.trimEnd();
}

interface Block {
  file: string;
  name: string;
  render: () => string;
}

export const BLOCKS: readonly Block[] = [
  { file: "README.md", name: "inputs", render: inputsTable },
  { file: "README.md", name: "outputs", render: outputsTable },
  {
    file: "docs/benchmarks.md",
    name: "bench-targets",
    render: () => benchTargetsTable(readFileSync(path.join(ROOT, "bench/results/results.md"), "utf8")),
  },
];

const begin = (name: string) => `<!-- generated: ${name} (npm run docs:tables) -->`;
const end = (name: string) => `<!-- end: ${name} -->`;

function blockRange(text: string, block: Block): [number, number] {
  const from = text.indexOf(begin(block.name));
  const to = text.indexOf(end(block.name));
  if (from < 0 || to < from) throw new Error(`${block.file} has no "${begin(block.name)}" ... "${end(block.name)}"`);
  return [from + begin(block.name).length, to];
}

/** The text between a block's markers, as the file holds it (without the blank lines around it). */
export function currentBlock(block: Block): string {
  const text = readFileSync(path.join(ROOT, block.file), "utf8");
  const [from, to] = blockRange(text, block);
  return text.slice(from, to).trim();
}

function rewrite(block: Block): boolean {
  const file = path.join(ROOT, block.file);
  const text = readFileSync(file, "utf8");
  const [from, to] = blockRange(text, block);
  const next = `${text.slice(0, from)}\n${block.render()}\n${text.slice(to)}`;
  if (next === text) return false;
  writeFileSync(file, next);
  return true;
}

if (require.main === module) {
  for (const block of BLOCKS) {
    const changed = rewrite(block);
    process.stdout.write(`${block.file} ${block.name}: ${changed ? "rewritten" : "up to date"}\n`);
  }
}
