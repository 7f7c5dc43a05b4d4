/**
 * examples/python through plain `pulumi` commands: a Python program on the generated SDK
 * (`pulumi_cognito_user_password`, from sdk/python) and the `pulumi` SDK from PyPI, in a
 * virtualenv the test makes (test/support/python-venv.ts, cached), the provider plugin
 * installed from its archive into the project's own PULUMI_HOME, and the real Python language
 * host. That host is v3.68.0 (the newest the Go module proxy serves) and ignores the
 * `virtualenv` runtime option, so PULUMI_PYTHON_CMD names the venv's python, as docs/plugin.md
 * tells users. Against moto: up, sign-in, a password change (an update), destroy; every
 * command's output, the backend and PULUMI_HOME scanned for the passwords and the canary AWS
 * credentials.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, signIn } from "../support/cognito-fixtures";
import { consumerToolchain, folderFiles, ROOT, type ConsumerProject } from "../support/consumer";
import { useEngineHarness } from "../support/engine-harness";
import { expectPluginState, expectSeedUp, initExampleStack, pluginResources } from "../support/plugin-stack";
import { pythonVenv } from "../support/python-venv";
import { stepwise } from "../support/stepwise";

const h = useEngineHarness({ project: "e2e-plugin-python" });
let project: ConsumerProject;
let passwords: Record<"alice" | "bob" | "alice2", string>;

beforeAll(async () => {
  passwords = { alice: h.password("alice"), bob: h.password("bob"), alice2: h.password("alice 2") };
  await createUser(h.pool, "alice");
  await createUser(h.pool, "bob");
  const venv = pythonVenv();
  const tools = consumerToolchain();
  const host = tools.languageHost("pulumi-language-python");
  project = h.project({
    files: folderFiles(path.join(ROOT, "examples", "python")),
    bin: [tools.pulumi, host, path.join(path.dirname(host), "pulumi-language-python-exec")],
    path: ["/usr/bin", "/bin"],
    env: { PULUMI_PYTHON_CMD: path.join(venv, "bin", "python") },
  });
  await initExampleStack(project, h.pool, h.emulator.endpoint, passwords);
});

describe("examples/python on the generated SDK, the plugin from its archive", () => {
  stepwise();

  it("up: the permanent user gets tokens, the temporary one the NEW_PASSWORD_REQUIRED challenge", async () => {
    await expectSeedUp(project, h.pool, passwords);
  });

  it("a changed password is an update of that user", async () => {
    await project.configSet("alicePassword", passwords.alice2, { secret: true });
    const { output } = await project.pulumi(["up", "--yes"]);
    expect(output).toMatch(/~ 1 updated/);
    expect(output).toMatch(/2 unchanged/);
    expect(output).not.toMatch(/replace/);
    expect(await signIn(h.pool, "alice", passwords.alice2)).toBe("tokens");
    expect(await signIn(h.pool, "alice", passwords.alice)).toBe("refused");
  });

  it("the state: every password input encrypted, no output holding it, no serialized provider", async () => {
    expectPluginState(await pluginResources(project), ["alice", "bob"]);
  });

  it("destroy: the declared passwords stop working", async () => {
    const { output } = await project.pulumi(["destroy", "--yes"]);
    expect(output).toMatch(/- 3 deleted/);
    expect(await signIn(h.pool, "alice", passwords.alice2)).toBe("refused");
    expect(await signIn(h.pool, "bob", passwords.bob)).toBe("refused");
  });

  it("printed no password and stored none in plain text, anywhere", () => {
    expect(h.leaks()).toBe("");
  });
});
