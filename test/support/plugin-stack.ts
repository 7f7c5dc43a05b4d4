/**
 * What the provider plugin's end-to-end tests look at in a stack run through plain `pulumi`
 * commands (a ConsumerProject): its UserPassword resources as `pulumi stack export` gives them,
 * and the promises their state keeps whatever the program's language.
 */
import { expect } from "vitest";
import type { ConsumerProject } from "./consumer";
import { isEncryptedSecret, type Deployment, type StateResource } from "../harness/engine";
import { RESOURCE_TOKEN } from "../../src/plugin/schema";

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
