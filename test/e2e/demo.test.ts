// The README's first command, as a user runs it: `npm run demo` (a plain `pulumi up` of the
// repository's Pulumi project through the CLI and its Node.js language host), again (no
// changes), then `--destroy`. Its own state folder keeps a user's .tmp/demo untouched.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");
const demoDir = mkdtempSync(path.join(ROOT, ".tmp", "demo-e2e-"));

function demo(...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      "node",
      ["--no-experimental-strip-types", "-r", "./scripts/ts-register.js", "scripts/demo.ts", ...args],
      { cwd: ROOT, env: { ...process.env, COGNITO_PW_DEMO_DIR: demoDir }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, output: stdout + stderr }),
    );
  });
}

describe("npm run demo", () => {
  afterAll(() => rmSync(demoDir, { recursive: true, force: true }));

  it("seeds the users and verifies each one's sign-in", async () => {
    const { code, output } = await demo();
    expect(output).toMatch(/\+ 4 created/); // the CLI's own summary: the stack and three UserPasswords
    // The language host and the plugin sit beside the CLI: no "using ... from $PATH" warning.
    expect(output).not.toMatch(/from \$PATH/);
    expect(output).not.toMatch(/warning/i);
    expect(output).toMatch(/alice +permanent +CONFIRMED +tokens +refused \(\w+\) +yes/);
    expect(output).toMatch(/bob +permanent +CONFIRMED +tokens +refused \(\w+\) +yes/);
    expect(output).toMatch(/carol +temporary +FORCE_CHANGE_PASSWORD +NEW_PASSWORD_REQUIRED .* yes/);
    expect(output).toContain("[demo] all 3 users verified");
    expect(code).toBe(0);
  });

  it("reports no changes when run again", async () => {
    const { code, output } = await demo();
    expect(output).toMatch(/4 unchanged/);
    expect(output).not.toMatch(/[+~-] \d+ (created|updated|deleted)/);
    expect(output).toContain("[demo] all 3 users verified");
    expect(code).toBe(0);
  });

  it("destroys the stack with --destroy, and the declared passwords stop working", async () => {
    const { code, output } = await demo("--destroy");
    expect(output).toMatch(/- 4 deleted/);
    expect(output).toContain("[demo] alice: the old password is now refused");
    expect(output).toContain("[demo] destroyed: the declared passwords were scrambled");
    expect(code).toBe(0);
  });
});
