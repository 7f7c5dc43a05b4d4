/**
 * The README's code examples, so tests can type-check and run them exactly as written. An
 * example is the first ```ts block after a marker line `<!-- example: NAME -->`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

const README = path.resolve(__dirname, "..", "..", "README.md");

export function readmeExample(name: string): string {
  const text = readFileSync(README, "utf8");
  const marker = `<!-- example: ${name} -->`;
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const block = /```ts\n([\s\S]*?)```/.exec(text.slice(at));
  if (!block?.[1]) throw new Error(`README.md has no \`\`\`ts block after ${marker}`);
  return block[1];
}

/** Every marked example's name. */
export function readmeExampleNames(): string[] {
  const text = readFileSync(README, "utf8");
  return [...text.matchAll(/<!-- example: ([\w-]+) -->/g)].map((m) => m[1] as string);
}
