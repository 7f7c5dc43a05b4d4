/**
 * examples/go: a Go Automation API inline program on the plugin's generated Go SDK (sdk/go,
 * through a `replace`), built with `go build` (cached, test/support/go-program.ts) and run as
 * its user runs it, with the provider plugin installed from its archive into the project's own
 * PULUMI_HOME. Against moto: up (a permanent user gets tokens, a temporary one the
 * NEW_PASSWORD_REQUIRED challenge), the state's secrets, destroy; the program's output, the
 * backend and PULUMI_HOME scanned for the passwords and the canary AWS credentials.
 *
 * Inline only: a plain Go program (`runtime: go` in Pulumi.yaml, run by `pulumi up`) needs the
 * Go language host, `pulumi-language-go`, whose module the Go module proxy refuses here (403),
 * so no test here runs one. An inline program needs no language host.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, signIn } from "../support/cognito-fixtures";
import { consumerToolchain, ROOT, type ConsumerProject } from "../support/consumer";
import { useEngineHarness } from "../support/engine-harness";
import { goProgram } from "../support/go-program";
import { PLUGIN_NAME, PLUGIN_VERSION, pluginArchive } from "../harness/plugin-archive";
import { expectPluginState, pluginResources } from "../support/plugin-stack";
import { stepwise } from "../support/stepwise";

const h = useEngineHarness({ project: "e2e-plugin-go" });
let project: ConsumerProject;
let program: string;
let passwords: Record<"alice" | "bob", string>;

/** The Go program with a command (`up`, `destroy`), its output collected for the leak scan. */
function runProgram(command: "up" | "destroy"): string {
  const output = project.exec(program, [command]);
  h.onOutput(output);
  return output;
}

beforeAll(async () => {
  passwords = { alice: h.password("alice"), bob: h.password("bob") };
  await createUser(h.pool, "alice");
  await createUser(h.pool, "bob");
  program = goProgram(path.join(ROOT, "examples", "go"));
  // The Automation API finds the CLI on PATH; the project folder only holds its PULUMI_HOME and backend.
  project = h.project({
    files: {},
    bin: [consumerToolchain().pulumi],
    path: ["/usr/bin", "/bin"],
    env: {
      COGNITO_USER_POOL_ID: h.pool.userPoolId,
      COGNITO_ENDPOINT: h.emulator.endpoint,
      ALICE_PASSWORD: passwords.alice,
      BOB_PASSWORD: passwords.bob,
    },
  });
  await project.installPlugin(PLUGIN_NAME, PLUGIN_VERSION, pluginArchive());
});

describe("examples/go: an Automation API inline program on sdk/go, the plugin from its archive", () => {
  stepwise();

  it("up: the permanent user gets tokens, the temporary one the NEW_PASSWORD_REQUIRED challenge", async () => {
    const output = runProgram("up");
    expect(output).toMatch(/\+ 3 created/); // the stack and two users
    const statuses = JSON.parse(output.trim().split("\n").pop() ?? "") as Record<string, string>;
    expect(statuses).toEqual({ aliceStatus: "CONFIRMED", bobStatus: "FORCE_CHANGE_PASSWORD" });
    expect(await signIn(h.pool, "alice", passwords.alice)).toBe("tokens");
    expect(await signIn(h.pool, "alice", passwords.bob)).toBe("refused");
    expect(await signIn(h.pool, "bob", passwords.bob)).toBe("NEW_PASSWORD_REQUIRED");
  });

  it("the state: every password input encrypted, no output holding it, no serialized provider", async () => {
    // The program's stack in the file backend: `organization` is the file backend's one organization.
    expectPluginState(await pluginResources(project, "organization/cognito-passwords-go/dev"), ["alice", "bob"]);
  });

  it("destroy: the declared passwords stop working", async () => {
    const output = runProgram("destroy");
    expect(output).toMatch(/- 3 deleted/);
    expect(await signIn(h.pool, "alice", passwords.alice)).toBe("refused");
    expect(await signIn(h.pool, "bob", passwords.bob)).toBe("refused");
  });

  it("printed no password and stored none in plain text, anywhere", () => {
    expect(h.leaks()).toBe("");
  });
});
