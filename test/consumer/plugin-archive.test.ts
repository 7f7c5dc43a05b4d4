/**
 * The provider plugin's archive as a user gets it: `npm run package:plugin` writes it, its
 * root holds the one executable, `pulumi plugin install resource ... -f` installs it into a
 * fresh PULUMI_HOME, and `pulumi package get-schema` runs it with no Node.js on PATH (an empty
 * directory is all of PATH) and reads the token, the secret password and the version. The
 * npm package ships none of it.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumerToolchain, ROOT } from "../support/consumer";
import { PLUGIN_EXECUTABLE as PLUGIN, PLUGIN_VERSION as version, pluginArchive } from "../harness/plugin-archive";

interface Schema {
  name: string;
  version: string;
  resources: Record<
    string,
    { inputProperties: Record<string, { secret?: boolean }>; properties: Record<string, unknown> }
  >;
}

describe("the provider plugin's archive", () => {
  let work: string;
  let archive: string;
  let pulumi: string;

  beforeAll(() => {
    pulumi = consumerToolchain().pulumi;
    archive = pluginArchive();
    work = mkdtempSync(path.join(tmpdir(), "cup-plugin-"));
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** `pulumi` with a fresh PULUMI_HOME and nothing on PATH (so no `node` either). */
  function cli(args: string[]): string {
    const emptyPath = path.join(work, "empty-path");
    mkdirSync(emptyPath, { recursive: true });
    return execFileSync(pulumi, args, {
      cwd: work,
      encoding: "utf8",
      env: {
        PATH: emptyPath,
        HOME: work,
        PULUMI_HOME: path.join(work, "pulumi-home"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  it("is named for the version and platform, and holds the one executable at its root", () => {
    expect(path.relative(ROOT, archive)).toBe(`dist/plugin/${PLUGIN}-v${version}-linux-amd64.tar.gz`);
    const entries = execFileSync("tar", ["-tvzf", archive], { encoding: "utf8" }).trim().split("\n");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(new RegExp(`^-rwxr-xr-x .* ${PLUGIN}$`));
  });

  it("installs with `pulumi plugin install -f` and serves its schema with no Node.js on PATH", () => {
    cli(["plugin", "install", "resource", "cognito-user-password", version, "-f", archive]);
    const installed = path.join(work, "pulumi-home", "plugins", `resource-cognito-user-password-v${version}`, PLUGIN);
    expect(statSync(installed).mode & 0o111).not.toBe(0);
    const schema = JSON.parse(cli(["package", "get-schema", installed])) as Schema;
    expect(schema.name).toBe("cognito-user-password");
    expect(schema.version).toBe(version);
    const resource = schema.resources["cognito-user-password:index:UserPassword"];
    expect(resource).toBeDefined();
    expect(resource?.inputProperties.password?.secret).toBe(true);
    expect(resource?.properties).not.toHaveProperty("password");
    // The installed plugin is what the engine lists under that name and version.
    expect(cli(["plugin", "ls"])).toMatch(
      new RegExp(`cognito-user-password\\s+resource\\s+${version.replace(/\./g, "\\.")}`),
    );
  });

  it("is not in the npm package", () => {
    const [packed] = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" }),
    ) as Array<{ files: Array<{ path: string }> }>;
    const files = packed?.files.map((f) => f.path) ?? [];
    expect(files).toContain("dist/index.js");
    expect(files.filter((f) => f.startsWith("dist/plugin/"))).toEqual([]);
  });
});
