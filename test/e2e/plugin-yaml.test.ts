/**
 * examples/yaml through plain `pulumi` commands, as a YAML user runs it: a fresh project folder
 * outside the repository, the provider plugin installed from its archive with `pulumi plugin
 * install resource ... -f` into the project's own PULUMI_HOME, the real YAML language host, and
 * no Node.js: PATH holds one folder with the CLI and the YAML host, nothing else. Against moto,
 * whose sign-in behaves like AWS (tokens for a permanent password, NEW_PASSWORD_REQUIRED for a
 * temporary one). Steps in order, on one stack: up, a password change (an update), refresh
 * then `preview --expect-no-changes`, `pulumi import` of an existing user (no password in the
 * generated code; the declared one is set by the next up), drift after an admin reset, the
 * state's secrets, destroy. Every command's output, the generated code, the backend and
 * PULUMI_HOME are scanned for every password and the canary AWS credentials.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { adminResetPassword, adminSetPassword, createUser, getUserStatus, signIn } from "../support/cognito-fixtures";
import { consumerToolchain, folderFiles, ROOT, type ConsumerProject } from "../support/consumer";
import { useEngineHarness } from "../support/engine-harness";
import { expectPluginState, expectSeedUp, initExampleStack, pluginResources } from "../support/plugin-stack";
import { stepwise } from "../support/stepwise";
import { RESOURCE_TOKEN } from "../../src/plugin/schema";

const h = useEngineHarness({ project: "e2e-plugin-yaml" });
let project: ConsumerProject;
let passwords: Record<"alice" | "bob" | "alice2" | "carolOld" | "carol", string>;

/** The steps `pulumi preview --json` plans, as `<op> <resource name>`, the unchanged ones left out. */
async function plannedSteps(): Promise<string[]> {
  const { stdout } = await project.pulumi(["preview", "--json"]);
  const { steps } = JSON.parse(stdout) as { steps: Array<{ op: string; urn: string }> };
  return steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn.split("::").pop() ?? s.urn}`);
}

/**
 * Pulumi.yaml with the resource `pulumi import --out` generated added to it, its password
 * placeholder replaced by a secret config value `configKey` (declared in `config:`).
 */
function declareImported(programText: string, generated: string, configKey: string): string {
  const resource = generated.replace(/^resources:\n/, "").replace(/^(\s+password:) "".*$/m, `$1 \${${configKey}}`);
  return programText
    .replace(/^config:\n/m, `config:\n  ${configKey}:\n    type: string\n    secret: true\n`)
    .replace(/\n*$/, `\n${resource.replace(/\n*$/, "\n")}`);
}

beforeAll(async () => {
  passwords = {
    alice: h.password("alice"),
    bob: h.password("bob"),
    alice2: h.password("alice 2"),
    carolOld: h.password("carol before the import"),
    carol: h.password("carol declared"),
  };
  // alice has a verified email: moto resets only such users (the drift step).
  await createUser(h.pool, "alice", { email: "alice@example.com", email_verified: "true" });
  await createUser(h.pool, "bob");
  await createUser(h.pool, "carol");
  await adminSetPassword(h.pool, "carol", passwords.carolOld, true);
  const tools = consumerToolchain();
  project = h.project({
    files: folderFiles(path.join(ROOT, "examples", "yaml")),
    bin: [tools.pulumi, tools.languageHost("pulumi-language-yaml")],
  });
  await initExampleStack(project, h.pool, h.emulator.endpoint, passwords);
});

describe("examples/yaml through plain pulumi commands, the plugin from its archive, no Node.js", () => {
  stepwise();

  it("runs with a PATH of only the CLI and the YAML host: no node to be found", () => {
    const folders = (project.env.PATH ?? "").split(path.delimiter);
    expect(folders).toHaveLength(1);
    expect(readdirSync(folders[0] as string).sort()).toEqual(["pulumi", "pulumi-language-yaml"]);
    const lookup = () => execFileSync("/bin/sh", ["-c", "command -v node"], { env: { PATH: project.env.PATH } });
    expect(lookup).toThrow();
    // Positive control: the same lookup finds what is there.
    expect(
      execFileSync("/bin/sh", ["-c", "command -v pulumi"], { env: { PATH: project.env.PATH } }).toString(),
    ).toMatch(/\/pulumi\n$/);
  });

  it("up: the permanent user gets tokens, the temporary one the NEW_PASSWORD_REQUIRED challenge", async () => {
    await expectSeedUp(project, h.pool, passwords);
  });

  it("a changed password is an update of that user, not a replace", async () => {
    await project.configSet("alicePassword", passwords.alice2, { secret: true });
    expect(await plannedSteps()).toEqual(["update alice"]);
    const { output } = await project.pulumi(["up", "--yes"]);
    expect(output).toMatch(/~ 1 updated/);
    expect(output).toMatch(/2 unchanged/);
    expect(output).not.toMatch(/replace/);
    expect(await signIn(h.pool, "alice", passwords.alice2)).toBe("tokens");
    expect(await signIn(h.pool, "alice", passwords.alice)).toBe("refused");
    expect(await signIn(h.pool, "bob", passwords.bob)).toBe("NEW_PASSWORD_REQUIRED");
  });

  it("refresh finds the users as declared; `preview --expect-no-changes` passes", async () => {
    const refresh = await project.pulumi(["refresh", "--yes"]);
    expect(refresh.output).toMatch(/3 unchanged/);
    const preview = await project.pulumi(["preview", "--expect-no-changes"], { allowFailure: true });
    expect(preview.code, preview.output).toBe(0);
  });

  it("`pulumi import` of an existing user: no password in the generated code; the declared one is set by up", async () => {
    const out = path.join(project.dir, "carol.yaml");
    const imported = await project.pulumi([
      "import",
      RESOURCE_TOKEN,
      "carol",
      `${h.pool.userPoolId}/carol`,
      "--yes",
      "--protect=false",
      "--out",
      out,
    ]);
    expect(imported.output).toMatch(/= 1 imported/);
    // The engine checks what read gave: no password, so the declared inputs fail to validate (a warning).
    expect(imported.output).toMatch(/failed to validate/);
    const generated = readFileSync(out, "utf8");
    // The YAML generator writes the token without its `index` module (the same type to the engine).
    expect(generated).toMatch(/^\s+type: cognito-user-password:(index:)?UserPassword$/m);
    expect(generated).toContain("username: carol");
    // Cognito cannot tell the password, and read returns none: only the YAML generator's placeholder.
    expect(generated).toMatch(/^\s+password: ""$/m);
    expect(h.scanner.scanText(generated, "the generated code")).toEqual([]);
    // The import changed nothing in Cognito: carol's old password still works.
    expect(await signIn(h.pool, "carol", passwords.carolOld)).toBe("tokens");

    const program = path.join(project.dir, "Pulumi.yaml");
    writeFileSync(program, declareImported(readFileSync(program, "utf8"), generated, "carolPassword"));
    await project.configSet("carolPassword", passwords.carol, { secret: true });
    expect(await plannedSteps()).toEqual(["update carol"]);
    const { output } = await project.pulumi(["up", "--yes"]);
    expect(output).toMatch(/~ 1 updated/);
    expect(await signIn(h.pool, "carol", passwords.carol)).toBe("tokens");
    expect(await signIn(h.pool, "carol", passwords.carolOld)).toBe("refused");
    const after = await project.pulumi(["preview", "--expect-no-changes"], { allowFailure: true });
    expect(after.code, after.output).toBe(0);
  });

  it("an admin reset: refresh shows the drift, the next up repairs it", async () => {
    await adminResetPassword(h.pool, "alice");
    expect(await getUserStatus(h.pool, "alice")).toBe("RESET_REQUIRED");
    expect(await signIn(h.pool, "alice", passwords.alice2)).not.toBe("tokens");
    const refresh = await project.pulumi(["refresh", "--yes"]);
    expect(refresh.output).toMatch(/~ 1 updated/);
    const alice = (await pluginResources(project)).get("alice");
    expect(alice?.outputs?.status).toBe("RESET_REQUIRED");
    expect(alice?.outputs?.drift).toBe("reset-required");
    expect(await plannedSteps()).toEqual(["update alice"]);
    const { output } = await project.pulumi(["up", "--yes"]);
    expect(output).toMatch(/~ 1 updated/);
    expect(await signIn(h.pool, "alice", passwords.alice2)).toBe("tokens");
    expect((await pluginResources(project)).get("alice")?.outputs?.drift).toBeUndefined();
  });

  it("the state: every password input encrypted, no output holding it, no serialized provider", async () => {
    expectPluginState(await pluginResources(project), ["alice", "bob", "carol"]);
    expect(h.leaks()).toBe("");
  });

  it("destroy: the declared passwords stop working", async () => {
    expect(await signIn(h.pool, "carol", passwords.carol)).toBe("tokens");
    const { output } = await project.pulumi(["destroy", "--yes"]);
    expect(output).toMatch(/- 4 deleted/);
    expect(await signIn(h.pool, "alice", passwords.alice2)).toBe("refused");
    expect(await signIn(h.pool, "bob", passwords.bob)).toBe("refused");
    expect(await signIn(h.pool, "carol", passwords.carol)).toBe("refused");
    expect(await getUserStatus(h.pool, "alice")).toBe("CONFIRMED");
  });

  it("printed no password and stored none in plain text, anywhere", () => {
    const all = project.transcript.map((r) => r.output).join("\n");
    expect(all).not.toMatch(/using pulumi-\S+ from \$PATH/);
    expect(h.leaks()).toBe("");
  });
});
