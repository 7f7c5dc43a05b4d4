/**
 * What the provider plugin's end-to-end tests look at in a stack run through plain `pulumi`
 * commands (a ConsumerProject): its UserPassword resources as `pulumi stack export` gives them,
 * and the promises their state keeps whatever the program's language.
 */
import { expect } from "vitest";
import { signIn } from "./cognito-fixtures";
import type { ConsumerProject } from "./consumer";
import type { Pool } from "../harness/cognito";
import { isEncryptedSecret, type Deployment, type StateResource } from "../harness/engine";
import { PLUGIN_NAME, PLUGIN_VERSION, pluginArchive } from "../harness/plugin-archive";
import { RESOURCE_TOKEN } from "../../src/plugin/schema";

/** The seed every example program declares: alice (permanent) and bob (temporary). */
export interface SeedPasswords {
  alice: string;
  bob: string;
}

/**
 * Installs the plugin from its archive into the project's PULUMI_HOME, makes the stack `dev`
 * and sets the configuration every example program reads (the pool, the plugin's endpoint and
 * region, the two passwords as secrets).
 */
export async function initExampleStack(
  project: ConsumerProject,
  pool: Pool,
  endpoint: string,
  passwords: SeedPasswords,
): Promise<void> {
  await project.installPlugin(PLUGIN_NAME, PLUGIN_VERSION, pluginArchive());
  await project.pulumi(["stack", "init", "dev"]);
  await project.configSet("userPoolId", pool.userPoolId);
  await project.configSet(`${PLUGIN_NAME}:endpoint`, endpoint);
  await project.configSet(`${PLUGIN_NAME}:region`, "us-east-1");
  await project.configSet("alicePassword", passwords.alice, { secret: true });
  await project.configSet("bobPassword", passwords.bob, { secret: true });
}

/** The first `up` of an example: both users created; each signs in as its permanence says. */
export async function expectSeedUp(project: ConsumerProject, pool: Pool, passwords: SeedPasswords): Promise<void> {
  const { output } = await project.pulumi(["up", "--yes"]);
  expect(output).toMatch(/\+ 3 created/); // the stack and two users
  expect(await signIn(pool, "alice", passwords.alice)).toBe("tokens");
  expect(await signIn(pool, "alice", passwords.bob)).toBe("refused");
  expect(await signIn(pool, "bob", passwords.bob)).toBe("NEW_PASSWORD_REQUIRED");
  const outputs = JSON.parse((await project.pulumi(["stack", "output", "--json"])).stdout) as Record<string, string>;
  expect(outputs).toEqual({ aliceStatus: "CONFIRMED", bobStatus: "FORCE_CHANGE_PASSWORD" });
}

/**
 * The plugin's UserPassword resources in the project's current stack (or `stack`, fully
 * qualified, e.g. an Automation API program's), by resource name.
 */
export async function pluginResources(project: ConsumerProject, stack?: string): Promise<Map<string, StateResource>> {
  const { stdout } = await project.pulumi(["stack", "export", ...(stack ? ["--stack", stack] : [])]);
  const resources = (JSON.parse(stdout) as Deployment).deployment.resources ?? [];
  return new Map(
    resources.filter((r) => r.type === RESOURCE_TOKEN).map((r) => [r.urn.split("::").pop() ?? r.urn, r] as const),
  );
}

/**
 * The plugin's state: the password input encrypted, no output holding it, and no serialized
 * provider (the dynamic face's `__provider`): the state holds no code.
 */
export function expectPluginState(resources: Map<string, StateResource>, names: string[]): void {
  expect([...resources.keys()].sort()).toEqual([...names].sort());
  for (const [name, r] of resources) {
    expect(isEncryptedSecret(r.inputs?.password), `${name} inputs.password`).toBe(true);
    expect(r.outputs ?? {}, `${name} outputs`).not.toHaveProperty("__provider");
    expect(r.inputs ?? {}, `${name} inputs`).not.toHaveProperty("__provider");
    if (r.outputs && "password" in r.outputs)
      expect(isEncryptedSecret(r.outputs.password), `${name} outputs.password`).toBe(true);
    expect(r.outputs?.setId, `${name} outputs.setId`).toMatch(/^[0-9a-f]{32}$/);
  }
}
