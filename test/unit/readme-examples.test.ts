// The README's TypeScript examples compile as written, against the installed package (the
// build `npm run build` copies into node_modules) and the repository's @pulumi/* packages.
// The consumer layer also runs the "local" example in fresh projects.
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { readmeExample, readmeExampleNames } from "../support/readme";

const ROOT = path.resolve(__dirname, "..", "..");

describe("the README's examples", () => {
  it("are marked, the AWS and the local one at least", () => {
    expect(readmeExampleNames()).toEqual(expect.arrayContaining(["aws", "local"]));
  });

  // Concurrent: each is a tsc process of its own (seconds each), so the fast loop waits for the slowest only.
  it.concurrent.each(readmeExampleNames())(
    "%s type-checks as written",
    async (name) => {
      const dir = path.join(ROOT, ".tmp", `readme-example-${name}-${process.pid}`);
      mkdirSync(dir, { recursive: true });
      try {
        // A package scope of its own, as in a user's project: the import resolves to node_modules.
        writeFileSync(
          path.join(dir, "package.json"),
          JSON.stringify({ name: `readme-example-${name}`, private: true }),
        );
        writeFileSync(path.join(dir, "index.ts"), readmeExample(name));
        writeFileSync(
          path.join(dir, "tsconfig.json"),
          JSON.stringify({
            compilerOptions: {
              strict: true,
              noEmit: true,
              target: "es2020",
              module: "commonjs",
              moduleResolution: "node",
              skipLibCheck: true,
              types: ["node"],
            },
            files: ["index.ts"],
          }),
        );
        let output = "";
        try {
          await promisify(execFile)(
            process.execPath,
            [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", dir],
            {
              encoding: "utf8",
            },
          );
        } catch (err) {
          output = String((err as { stdout?: string }).stdout ?? err);
        }
        expect(output).toBe("");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  ); // tsc over @pulumi/aws's types takes seconds, more on a loaded machine
});
