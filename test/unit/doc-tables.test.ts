// The documentation's generated tables match their one source: the README's input and output
// tables match src/core/properties.ts, and docs/benchmarks.md's targets table matches the one
// the benchmark run wrote into bench/results/results.md. `npm run docs:tables` rewrites them.
import { describe, expect, it } from "vitest";
import { INPUTS, OUTPUTS } from "../../src/core/properties";
import { BLOCKS, currentBlock, DYNAMIC_ONLY_OUTPUTS, inputsTable, outputsTable } from "../../scripts/doc-tables";

describe("the generated tables of the documentation", () => {
  it.each(BLOCKS.map((b) => [`${b.file} ${b.name}`, b] as const))("%s is up to date", (_label, block) => {
    expect(currentBlock(block), "run `npm run docs:tables`").toBe(block.render());
  });

  it("name every input and output of properties.ts once, and the dynamic resource's own output", () => {
    const names = (table: string) => [...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(names(inputsTable())).toEqual(Object.keys(INPUTS));
    expect(names(outputsTable())).toEqual(Object.keys(OUTPUTS));
    for (const name of Object.keys(DYNAMIC_ONLY_OUTPUTS)) expect(outputsTable()).toContain(`\`${name}\``);
  });
});
