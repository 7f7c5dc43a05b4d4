/**
 * Applying an engine setting (bench/lib/config.ts `ENGINE_SETTINGS`) to one Automation API
 * stack: `PULUMI_SKIP_CHECKPOINTS` goes into that stack's workspace environment (which the
 * Automation API passes to every CLI command of the stack, over the engine's own `env`), and
 * `--parallel` into the options of each operation.
 */
import type * as automation from "@pulumi/pulumi/automation";
import type { EngineSetting } from "./config";

export const SKIP_CHECKPOINTS = "PULUMI_SKIP_CHECKPOINTS";

/**
 * Sets (or explicitly clears: "false", so a value in the caller's own environment cannot leak
 * into the default side) `PULUMI_SKIP_CHECKPOINTS` for every CLI command of `stack`.
 */
export function applySetting(stack: automation.Stack, setting: EngineSetting): automation.Stack {
  const workspace = stack.workspace as automation.LocalWorkspace;
  workspace.envVars[SKIP_CHECKPOINTS] = setting.skipCheckpoints ? "true" : "false";
  return stack;
}

/** The `parallel` option of an operation under `setting` (none: the engine's default). */
export function parallelOf(setting: EngineSetting): { parallel?: number } {
  return setting.parallel === undefined ? {} : { parallel: setting.parallel };
}
