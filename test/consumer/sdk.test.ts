/**
 * The provider plugin's generated SDKs are committed and up to date: scripts/gen-sdk.sh
 * regenerates them from the schema into a scratch folder, and every file must equal the
 * committed one (no file missing, none extra). The Go SDK builds with sdk/v3 v3.274.1.
 * On a failure, run `bash scripts/gen-sdk.sh` and commit sdk/.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/consumer";

const SDK = path.join(ROOT, "sdk");
const goEnv = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod" };

/** What a local `pip install` or `go build` leaves in the SDKs (ignored by their .gitignore). */
const LOCAL_LEFTOVERS = /(^|\/)(__pycache__|build|dist|[^/]*\.egg-info)(\/|$)/;

/** Every file under `dir`, relative to it, with its content. */
function tree(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((file) => !LOCAL_LEFTOVERS.test(file));
  return new Map(files.map((file) => [file, readFileSync(path.join(dir, file), "utf8")]));
}

describe("the generated SDKs", () => {
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), "cup-sdk-"));
    // The project's own Go module files, which the generator leaves alone.
    cpSync(path.join(SDK, "go", "go.mod"), path.join(scratch, "go", "go.mod"));
    cpSync(path.join(SDK, "go", "go.sum"), path.join(scratch, "go", "go.sum"));
    execFileSync("bash", [path.join(ROOT, "scripts/gen-sdk.sh"), scratch], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
    });
  });
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("are what the schema generates (run scripts/gen-sdk.sh and commit sdk/ when not)", () => {
    const committed = tree(SDK);
    const generated = tree(scratch);
    expect([...generated.keys()].sort()).toEqual([...committed.keys()].sort());
    const differing = [...generated].filter(([file, text]) => committed.get(file) !== text).map(([file]) => file);
    expect(differing).toEqual([]);
    expect(generated.get("python/setup.py")).toContain("name='pulumi_cognito_user_password'");
  });

  it("carry the plugin's version, from package.json", () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    for (const file of [
      "python/pulumi_cognito_user_password/pulumi-plugin.json",
      "go/cognitouserpassword/pulumi-plugin.json",
    ]) {
      expect(JSON.parse(readFileSync(path.join(SDK, file), "utf8"))).toEqual({
        resource: true,
        name: "cognito-user-password",
        version,
      });
    }
  });

  it("sdk/go builds", () => {
    execFileSync("go", ["build", "./..."], { cwd: path.join(SDK, "go"), env: goEnv, stdio: "inherit" });
    execFileSync("go", ["vet", "./..."], { cwd: path.join(SDK, "go"), env: goEnv, stdio: "inherit" });
  });
});
