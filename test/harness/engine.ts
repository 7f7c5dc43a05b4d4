/**
 * The real Pulumi engine for the end-to-end tests: test/harness/pulumi-engine.js
 * plus what the tests need to look at its results: the library as users load it (from
 * node_modules, by package name), the state files of the `file://` backend, `pulumi stack
 * export`, and engine events.
 */
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import type * as automation from "@pulumi/pulumi/automation";
import { createEngine, ensureToolchain, ROOT, type Engine, type Toolchain } from "./pulumi-engine";
import { describeLeaks, SecretScanner, type Leak, type SecretInput } from "./secret-scanner";

export type { Engine } from "./pulumi-engine";
export { ROOT };

let toolchain: Toolchain | undefined;

/**
 * Starts an isolated engine (own PULUMI_HOME, file backend, passphrase) under .tmp/.
 * `extraEnv` reaches the pulumi CLI and the dynamic provider process (e.g. AWS_*).
 */
/**
 * Canary AWS credentials, unique per run, for a test to prove they never reach the state or
 * any output. The emulators accept any credentials; no instance metadata is consulted.
 */
export function canaryAwsCredentials(
  label: string,
): Record<"AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY" | "AWS_EC2_METADATA_DISABLED", string> {
  return {
    AWS_ACCESS_KEY_ID: `AKID${label.toUpperCase().replace(/[^A-Z0-9]/g, "")}${randomBytes(5).toString("hex").toUpperCase()}`,
    AWS_SECRET_ACCESS_KEY: `${label}-secret-${randomBytes(12).toString("hex")}`,
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/**
 * Sets process environment variables (undefined removes one) for the credentials the test
 * process and the engine's provider share; returns the function that restores them.
 */
export function setProcessEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(vars);
  return () => apply(saved);
}

export async function startEngine(
  options: { prefix?: string; extraEnv?: Record<string, string> } = {},
): Promise<Engine> {
  toolchain ??= ensureToolchain();
  return createEngine({ toolchain, prefix: options.prefix ?? "e2e", extraEnv: options.extraEnv ?? {} });
}

type Library = typeof import("../../src/index");

/**
 * The folder of the build installed into node_modules by `npm run build`, as in a user's
 * project. Always loaded by this path: inside the repository the bare name
 * `pulumi-cognito-user-password` resolves to the checkout itself (Node's self-reference of a
 * package with an `exports` map), and Pulumi's serializer captures a module by reference only
 * when it lives under node_modules.
 */
export const INSTALLED_PACKAGE_DIR = path.join(ROOT, "node_modules", "pulumi-cognito-user-password");

/**
 * The library as a user's program loads it: the installed copy, loaded by Node itself (not by
 * vitest's transform), so the provider that Pulumi serializes into the state is exactly the
 * published code.
 */
export function loadLibrary(): Library {
  const req = createRequire(path.join(ROOT, "package.json"));
  try {
    return req(INSTALLED_PACKAGE_DIR) as Library;
  } catch (err) {
    throw new Error(
      `the library is not installed in node_modules: run \`npm run build\` first (${(err as Error).message})`,
      { cause: err },
    );
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
export async function stackExport(
  engine: Engine,
  stack: automation.Stack,
): Promise<{ text: string; deployment: Deployment }> {
  const { stdout } = await engine.cli(["stack", "export"], { cwd: stack.workspace.workDir, stack: stack.name });
  return { text: stdout, deployment: JSON.parse(stdout) as Deployment };
}

/** The resources of a stack's current state, from `stack.exportStack()` (secrets stay encrypted). */
export async function exportedResources(stack: automation.Stack): Promise<StateResource[]> {
  const deployment = (await stack.exportStack()).deployment as Deployment["deployment"];
  return deployment.resources ?? [];
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
  return (
    v[SECRET_SIG_KEY] === SECRET_SIG &&
    typeof v.ciphertext === "string" &&
    v.ciphertext.length > 0 &&
    !("plaintext" in v)
  );
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
      ops.push({
        op: meta.op,
        name: meta.urn.split("::").pop() ?? meta.urn,
        type: meta.type,
        ...(meta.diffs ? { diffs: meta.diffs } : {}),
      });
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

/** The value of a secret as `stack.exportStack()` (which shows secrets) holds it; other values as they are. */
export function plaintextOf(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const v = value as Record<string, unknown>;
  if (v[SECRET_SIG_KEY] !== SECRET_SIG) return value;
  if (typeof v.plaintext === "string") return JSON.parse(v.plaintext) as unknown;
  return v.value;
}

/** How engine events show a secret: `"[secret]"`, or the secret wrapper around it; never the value. */
export function isShownAsSecret(value: unknown): boolean {
  if (value === "[secret]") return true;
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v[SECRET_SIG_KEY] === SECRET_SIG && (v.ciphertext === "[secret]" || v.value === "[secret]") && !("plaintext" in v)
  );
}

/**
 * Where any of `secrets` appears in any of `texts`, in any form the secret scanner knows
 * (plain, URL-, JSON-escaped, base64 at any offset, hex): one line per leak naming the
 * secret's label, the form and the place; never the secret. Empty when nothing leaked.
 */
export function findLeaks(
  texts: ReadonlyArray<{ where: string; text: string }>,
  secrets: Iterable<SecretInput>,
): string[] {
  const leaks = new SecretScanner(secrets).scanTexts(texts);
  return leaks.length === 0 ? [] : describeLeaks(leaks).split("\n");
}

/**
 * Every file the engine wrote, scanned: PULUMI_HOME (logs, workspace settings), the file
 * backend (checkpoints, history, backups; gzip inflated) and the stacks' working
 * directories. Returns the scanner's leaks.
 */
export function scanEngineFiles(engine: Engine, scanner: SecretScanner): Leak[] {
  return scanner.scanDirectory(engine.dir);
}

/**
 * Runs an engine operation that must fail; returns everything it said (the Automation API's
 * CommandError message carries the command's stdout and stderr). Throws when it succeeds.
 */
export async function engineFailure(operation: () => Promise<unknown>): Promise<string> {
  try {
    await operation();
  } catch (err) {
    return err instanceof Error ? `${err.message}\n${(err as { stderr?: string }).stderr ?? ""}` : String(err);
  }
  throw new Error("expected the engine operation to fail, but it succeeded");
}

/** One `check` failure as the engine prints it: `<type> resource '<name>': property <p> value <v> has a problem: <reason>`. */
export interface CheckFailure {
  resource: string;
  property: string;
  reason: string;
}

/** The check failures an engine output reports, deduplicated (the CLI prints each twice: progress and diagnostics). */
export function checkFailures(output: string): CheckFailure[] {
  const seen = new Set<string>();
  const out: CheckFailure[] = [];
  // The value may span lines (a username with a line break); a progress line the CLI cut short
  // must not swallow the next failure: the value never runs into another "resource '".
  const re = /resource '([^']+)': property (\S+) value (?:(?!resource ')[\s\S])*? has a problem: ([^\n]*)/g;
  for (const m of output.matchAll(re)) {
    const key = `${m[1]}|${m[2]}|${m[3]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ resource: m[1] as string, property: m[2] as string, reason: (m[3] as string).trim() });
  }
  return out;
}

/**
 * The stack's state, comparable between two points in time: the resources (sorted by URN)
 * with their inputs and outputs, and the pending operations. Left out is what changes on
 * every run that touches no resource: the checkpoint time, the program's stack traces and
 * source positions, and the secrets' ciphertexts (every save encrypts again with a fresh
 * nonce): a secret is compared by a SHA-256 of its decrypted value, so a changed secret
 * still shows, and no secret ends up in an assertion message.
 */
export async function comparableState(_engine: Engine, stack: automation.Stack): Promise<unknown> {
  const deployment = (await stack.exportStack()).deployment as Record<string, unknown>;
  const hideSecrets = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(hideSecrets);
    if (typeof value !== "object" || value === null) return value;
    const v = value as Record<string, unknown>;
    if (v[SECRET_SIG_KEY] === SECRET_SIG) {
      const plain = typeof v.plaintext === "string" ? v.plaintext : JSON.stringify(v.value ?? null);
      return { secret: `sha256:${createHash("sha256").update(plain).digest("hex").slice(0, 16)}` };
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hideSecrets(x)]));
  };
  const strip = (r: Record<string, unknown>) => {
    const rest = { ...r };
    delete rest.stackTrace;
    delete rest.sourcePosition;
    return hideSecrets(rest);
  };
  const byUrn = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.urn).localeCompare(String(b.urn));
  const pending = ((deployment.pending_operations as Array<Record<string, unknown>> | undefined) ?? []).map((p) =>
    hideSecrets(p),
  );
  return {
    resources: [...((deployment.resources as Array<Record<string, unknown>> | undefined) ?? [])].sort(byUrn).map(strip),
    pending_operations: pending,
  };
}
