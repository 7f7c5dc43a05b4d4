/**
 * A Go program of the repository (e.g. examples/go, on the plugin's sdk/go) built as its user
 * builds it: `go build` with GOTOOLCHAIN=local and GOFLAGS=-mod=mod, the Go module proxy for
 * its dependencies. Cached under the project's tool cache, keyed by the program's files, the
 * SDK's and the Go version: the first build takes about half a minute with the Pulumi modules
 * cached, later runs reuse the binary. Built under a temporary name and renamed into place.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { folderFiles, ROOT, toolCache } from "./consumer";

const GO_ENV = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod" };

/** The executable of the Go program in `dir`, built on first use. */
export function goProgram(dir: string): string {
  const hash = createHash("sha256");
  hash.update(execFileSync("go", ["version"], { encoding: "utf8", env: GO_ENV }));
  for (const folder of [dir, path.join(ROOT, "sdk", "go")]) {
    for (const [file, text] of Object.entries(folderFiles(folder)).sort(([a], [b]) => a.localeCompare(b)))
      hash.update(`${path.relative(ROOT, path.join(folder, file))}\n${text}\n`);
  }
  const binary = path.join(toolCache(), "go-program", `${path.basename(dir)}-${hash.digest("hex").slice(0, 20)}`);
  if (existsSync(binary)) return binary;
  mkdirSync(path.dirname(binary), { recursive: true });
  const partial = `${binary}.partial.${process.pid}`;
  try {
    execFileSync("go", ["build", "-o", partial, "."], { cwd: dir, env: GO_ENV, stdio: ["ignore", "pipe", "pipe"] });
    renameSync(partial, binary);
  } finally {
    rmSync(partial, { force: true });
  }
  return binary;
}
