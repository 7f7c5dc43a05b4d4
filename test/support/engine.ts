/**
 * The real Pulumi engine for the end-to-end tests: scripts/engine.js (shared with the demo)
 * plus what the tests need to look at its results: the library as users load it (from
 * node_modules, by package name), the state files of the `file://` backend, `pulumi stack
 * export`, and engine events.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import type * as automation from "@pulumi/pulumi/automation";
import { createEngine, ensureToolchain, ROOT, type Engine, type Toolchain } from "../../scripts/engine";

export type { Engine } from "../../scripts/engine";
export { ROOT };

let toolchain: Toolchain | undefined;

/**
 * Starts an isolated engine (own PULUMI_HOME, file backend, passphrase) under .tmp/.
 * `extraEnv` reaches the pulumi CLI and the dynamic provider process (e.g. AWS_*).
 */
export async function startEngine(options: { prefix?: string; extraEnv?: Record<string, string> } = {}): Promise<Engine> {
  toolchain ??= ensureToolchain();
  return createEngine({ toolchain, prefix: options.prefix ?? "e2e", extraEnv: options.extraEnv ?? {} });
}

type Library = typeof import("../../src/index");

/**
 * The library as a user's program loads it: `require("pulumi-cognito-user-password")`
 * resolved from the repository root, i.e. the build installed into node_modules by
 * `npm run build`. Loaded by Node itself (not by vitest's transform), so the provider that
 * Pulumi serializes into the state is exactly the published code.
 */
export function loadLibrary(): Library {
  const req = createRequire(path.join(ROOT, "package.json"));
  try {
    return req("pulumi-cognito-user-password") as Library;
  } catch (err) {
    throw new Error(`the library is not installed in node_modules: run \`npm run build\` first (${(err as Error).message})`);
  }
}

/** Every file of the engine's backend (state, history, backups), as text; gzip files are inflated. */
export function backendFiles(engine: Engine): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const raw = fs.readFileSync(full);
        const text = full.endsWith(".gz") ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
        out.push({ file: path.relative(engine.backendDir, full), text });
      }
    }
  };
  walk(engine.backendDir);
  return out;
}

/** The current checkpoint of a stack in the file backend. */
export function stateFile(engine: Engine, projectName: string, stackName: string): { file: string; text: string } {
  const base = path.join(engine.backendDir, ".pulumi", "stacks", projectName, `${stackName}.json`);
  for (const candidate of [base, `${base}.gz`]) {
    if (fs.existsSync(candidate)) {
      const raw = fs.readFileSync(candidate);
      const text = candidate.endsWith(".gz") ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
      return { file: candidate, text };
    }
  }
  throw new Error(`no state file for ${projectName}/${stackName} under ${engine.backendDir}`);
}

/** `pulumi stack export` as a user runs it (no --show-secrets). */
export async function stackExport(engine: Engine, stack: automation.Stack): Promise<{ text: string; deployment: Deployment }> {
  const { stdout } = await engine.cli(["stack", "export"], { cwd: stack.workspace.workDir, stack: stack.name });
  return { text: stdout, deployment: JSON.parse(stdout) as Deployment };
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  additionalSecretOutputs?: string[];
}

export interface Deployment {
  version: number;
  deployment: { resources?: StateResource[]; secrets_providers?: unknown };
}

/** The engine's marker for a secret value in state (`4dabf18193072939515e22adb298388d`). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** True for an encrypted secret in exported state: `{sig: secret, ciphertext: "..."}` and no plaintext. */
export function isEncryptedSecret(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return v[SECRET_SIG_KEY] === SECRET_SIG && typeof v.ciphertext === "string" && v.ciphertext.length > 0 && !("plaintext" in v);
}

/** Collects engine events of an operation; `resourceOps()` lists (op, urn) of each resource step. */
export class EventLog {
  readonly events: automation.EngineEvent[] = [];
  readonly onEvent = (e: automation.EngineEvent): void => {
    this.events.push(e);
  };

  /** Steps of resources of `type` (all types when omitted), e.g. [{op: "update", name: "alice"}]. */
  resourceOps(type?: string): Array<{ op: string; name: string; type: string; diffs?: string[] }> {
    const ops: Array<{ op: string; name: string; type: string; diffs?: string[] }> = [];
    for (const e of this.events) {
      const meta = e.resOutputsEvent?.metadata;
      if (!meta) continue;
      if (type && meta.type !== type) continue;
      ops.push({ op: meta.op, name: meta.urn.split("::").pop() ?? meta.urn, type: meta.type, ...(meta.diffs ? { diffs: meta.diffs } : {}) });
    }
    return ops;
  }

  /** The resource-pre events' metadata (what preview shows), for `type`. */
  previews(type?: string): automation.StepEventMetadata[] {
    return this.events
      .map((e) => e.resourcePreEvent?.metadata)
      .filter((m): m is automation.StepEventMetadata => m !== undefined && (!type || m.type === type));
  }
}

/** The type tokens of the resources the end-to-end programs declare. */
export const USER_PASSWORD_TYPE = "pulumi-nodejs:dynamic/cognito:UserPassword";
export const TEST_RANDOM_TYPE = "pulumi-nodejs:dynamic/test:RandomPassword";

/** The non-"same" steps of one resource type, as "op name" strings, sorted. */
export function changedSteps(log: EventLog, type: string = USER_PASSWORD_TYPE): string[] {
  return log
    .resourceOps(type)
    .filter((o) => o.op !== "same")
    .map((o) => `${o.op} ${o.name}`)
    .sort();
}

/** How engine events show a secret: `"[secret]"`, or the secret wrapper around it; never the value. */
export function isShownAsSecret(value: unknown): boolean {
  if (value === "[secret]") return true;
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return v[SECRET_SIG_KEY] === SECRET_SIG && (v.ciphertext === "[secret]" || v.value === "[secret]") && !("plaintext" in v);
}

/** Fails (with where and in which form) when any of `secrets` appears in any of `texts`. */
export function findLeaks(
  texts: ReadonlyArray<{ where: string; text: string }>,
  secrets: readonly string[],
  forms: (secret: string) => string[],
): string[] {
  const leaks: string[] = [];
  for (const { where, text } of texts) {
    secrets.forEach((secret, i) => {
      for (const form of forms(secret)) {
        if (text.includes(form)) leaks.push(`secret #${i} ${form === secret ? "in plain text" : `encoded as ${form.slice(0, 6)}...`} in ${where}`);
      }
    });
  }
  return leaks;
}
