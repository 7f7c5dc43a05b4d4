/**
 * Benchmarks 2, 3 and 5, which share their stacks:
 *  2. `pulumi up` (create), a no-change `up` and `refresh` of N UserPasswords versus N no-op
 *     dynamic resources with the same inputs, same engine, backend and (default) parallelism;
 *     the two sides alternate, with fresh stacks every repetition.
 *  3. Bytes of state per resource (`pulumi stack export`), UserPassword versus no-op, and versus
 *     a naive provider that captures an AWS SDK client (or the error when it cannot serialize).
 *  5. Peak RSS (VmHWM) and CPU time of the dynamic provider process during every operation,
 *     and what @pulumi/pulumi and the SDK client cost in a fresh process.
 * Also: a probe provider that records which provider methods each engine operation calls, and
 * the provider plugin's face (issue 15): `up` (create) of N plugin UserPasswords beside N dynamic
 * ones and N no-op resources, interleaved, same engine, and the bytes of state per resource
 * (the plugin's state holds no serialized provider).
 * Everything runs against cognito-local; a run of N uses the first N users of the shared pool.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type * as automation from "@pulumi/pulumi/automation";
import type { Emulator } from "../test/harness/emulators";
import { ROOT, stackExport, startEngine, type Engine, type StateResource } from "../test/harness/engine";
import type { EngineConfig } from "./lib/config";
import { AWS_ENV, passwordFactory } from "./lib/library";
import { ProviderMemoryMonitor } from "./lib/procs";
import { seedPool, type SeededPool } from "./lib/seed";
import { interleavedOrder, log, median, nowMs, timed } from "./lib/stats";
import { PLUGIN_NAME, PLUGIN_VERSION, pluginArchive } from "../test/harness/plugin-archive";
import {
  NAIVE_TYPE,
  NOOP_TYPE,
  PLUGIN_TYPE,
  PROBE_TYPE,
  program,
  USER_PASSWORD_TYPE,
  type ProgramKind,
  type Seed,
} from "./programs/programs";

export type Phase = "create" | "noChange" | "refresh";
export const PHASES: readonly Phase[] = ["create", "noChange", "refresh"];
export type EngineSide = "userPassword" | "noop";
const SIDES: readonly EngineSide[] = ["userPassword", "noop"];

export interface PhaseTimes {
  /** ms per repetition, per side. */
  ms: Record<EngineSide, number[]>;
  /** Peak RSS of the dynamic provider process (KiB), per repetition, per side. */
  providerPeakKiB: Record<EngineSide, number[]>;
  /** CPU seconds the dynamic provider process used, per repetition, per side. */
  providerCpuSeconds: Record<EngineSide, number[]>;
}

export interface StateSize {
  resources: number;
  /** Median bytes of one resource's compact JSON in `pulumi stack export`. */
  perResourceBytes: number;
  /** Of which (medians): `inputs`, `outputs` (each holding a copy of `__provider`), and the engine's own fields (urn, parent, provider reference, timestamps, source position, stack trace). */
  inputsBytes: number;
  outputsBytes: number;
  engineBytes: number;
  /** Bytes of the serialized provider (`__provider`, stored in inputs and in outputs). */
  providerBytes: number;
  /** Bytes of the whole `pulumi stack export` text. */
  exportBytes: number;
}

export interface SizeResult {
  n: number;
  /** Repetitions run, and skipped to stay within the time budget. */
  reps: number;
  skippedForTime: number;
  phases: Record<Phase, PhaseTimes>;
  state: Partial<Record<EngineSide, StateSize>>;
}

export interface NaiveResult {
  count: number;
  ok: boolean;
  /** Why `pulumi up` failed, trimmed. */
  error?: string;
  state?: StateSize;
}

/** Which provider methods one engine operation calls, counted by the probe provider. */
export interface ProbeResult {
  resources: number;
  operations: Array<{ operation: string; calls: Record<string, number> }>;
}

/** Peak RSS (KiB) of a fresh node process doing parts of what the provider process does. */
export interface MemoryBreakdown {
  /** `require("@pulumi/pulumi")`: what every dynamic provider process loads. */
  pulumiKiB: number;
  /** + the AWS SDK's Cognito client, loaded and constructed. */
  pulumiSdkKiB: number;
}

/** The plugin's face beside the dynamic one and the no-op. */
export type FaceSide = "plugin" | "userPassword" | "noop";
const FACE_SIDES: readonly FaceSide[] = ["plugin", "userPassword", "noop"];

export interface PluginFaceResult {
  n: number;
  reps: number;
  /** `up` (create) ms per repetition, per side. */
  createMs: Record<FaceSide, number[]>;
  state: Partial<Record<FaceSide, StateSize>>;
}

export interface EngineResult {
  parallel: string;
  /** Users in the shared pool (a run of N uses the first N). */
  poolSize: number;
  reps: number;
  sizes: SizeResult[];
  naive: NaiveResult;
  probe: ProbeResult;
  memory: MemoryBreakdown;
  /** Absent in results from before the plugin. */
  plugin?: PluginFaceResult;
}

const TYPE_OF: Record<ProgramKind, string> = {
  userPassword: USER_PASSWORD_TYPE,
  noop: NOOP_TYPE,
  naive: NAIVE_TYPE,
  probe: PROBE_TYPE,
  plugin: PLUGIN_TYPE,
};

function stateSize(exportText: string, resources: StateResource[], type: string): StateSize {
  const mine = resources.filter((r) => r.type === type);
  const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v ?? {}));
  const sizes = mine.map((r) => bytes(r));
  const provider = mine[0]?.inputs?.__provider;
  return {
    resources: mine.length,
    perResourceBytes: median(sizes),
    inputsBytes: median(mine.map((r) => bytes(r.inputs))),
    outputsBytes: median(mine.map((r) => bytes(r.outputs))),
    engineBytes: median(mine.map((r) => bytes(r) - bytes(r.inputs) - bytes(r.outputs))),
    providerBytes: typeof provider === "string" ? Buffer.byteLength(provider) : NaN,
    exportBytes: Buffer.byteLength(exportText),
  };
}

async function exportState(engine: Engine, stack: automation.Stack, kind: ProgramKind): Promise<StateSize> {
  const { text, deployment } = await stackExport(engine, stack);
  return stateSize(text, deployment.deployment.resources ?? [], TYPE_OF[kind]);
}

/** What a program declares for the first users of a seeded pool, on cognito-local, fresh passwords. */
function seedOf(seeded: SeededPool, cognitoLocal: Emulator): Seed {
  return {
    userPoolId: seeded.pool.userPoolId,
    endpoint: cognitoLocal.endpoint,
    region: AWS_ENV.AWS_REGION as string,
    usernames: seeded.usernames,
    password: passwordFactory(),
  };
}

/** Checks an operation's summary: every resource created / unchanged, nothing failed. */
export function verify(kind: string, phase: Phase, n: number, summary: automation.UpdateSummary): void {
  if (summary.result !== "succeeded") throw new Error(`${kind} ${phase} of ${n}: result ${summary.result}`);
  const changes = summary.resourceChanges ?? {};
  const total = n + 1; // + the stack resource
  if (phase === "create" && changes.create !== total)
    throw new Error(`${kind} create of ${n}: ${JSON.stringify(changes)}`);
  if (phase === "noChange" && changes.same !== total)
    throw new Error(`${kind} no-change up of ${n}: ${JSON.stringify(changes)}`);
}

/** One engine operation; `options.parallel`: the CLI's `--parallel` (default: the engine's). */
export async function runPhase(
  stack: automation.Stack,
  phase: Phase,
  options: { parallel?: number } = {},
): Promise<automation.UpdateSummary> {
  const quiet = () => undefined;
  if (phase === "refresh") return (await stack.refresh({ onOutput: quiet, ...options })).summary;
  return (await stack.up({ onOutput: quiet, ...options })).summary;
}

/**
 * `deadline` (a nowMs() value): a repetition after the first of each N is skipped when the
 * previous one, repeated, would end after it (the full run must stay within its time budget).
 */
export async function runEngineScaling(
  config: EngineConfig,
  cognitoLocal: Emulator,
  deadline = Infinity,
): Promise<EngineResult> {
  const engine = await startEngine({ prefix: "bench", extraEnv: AWS_ENV });
  const sizes: SizeResult[] = [];
  let firstSeed: Seed | undefined;
  let poolSize = 0;
  try {
    for (const n of config.sizes) {
      const seeded = await seedPool(cognitoLocal.endpoint, n);
      poolSize = seeded.poolSize;
      const seed = seedOf(seeded, cognitoLocal);
      firstSeed ??= seed;
      const empty = (): PhaseTimes => ({
        ms: { userPassword: [], noop: [] },
        providerPeakKiB: { userPassword: [], noop: [] },
        providerCpuSeconds: { userPassword: [], noop: [] },
      });
      const result: SizeResult = {
        n,
        reps: 0,
        skippedForTime: 0,
        phases: { create: empty(), noChange: empty(), refresh: empty() },
        state: {},
      };
      const reps = config.reps;
      let lastRepMs = 0;
      for (let rep = 0; rep < reps; rep++) {
        if (rep > 0 && nowMs() + lastRepMs > deadline) {
          result.skippedForTime = reps - rep;
          log(`engine n=${n}: skipping ${result.skippedForTime} repetition(s) to stay within the time budget`);
          break;
        }
        const repStart = nowMs();
        const stacks = {} as Record<EngineSide, automation.Stack>;
        for (const side of SIDES) {
          stacks[side] = await engine.stack({
            projectName: `bench-${side.toLowerCase()}`,
            stackName: `n${n}-r${rep}`,
            program: program(side, seed),
          });
        }
        const order = interleavedOrder(SIDES, rep);
        for (const phase of PHASES) {
          for (const side of order) {
            const monitor = new ProviderMemoryMonitor().start();
            const { ms, value: summary } = await timed(() => runPhase(stacks[side], phase));
            const memory = await monitor.stop();
            verify(side, phase, n, summary);
            result.phases[phase].ms[side].push(ms);
            result.phases[phase].providerPeakKiB[side].push(memory.peakKiB);
            result.phases[phase].providerCpuSeconds[side].push(memory.cpuSeconds);
            log(
              `engine n=${n} rep ${rep + 1}/${reps}: ${side} ${phase} ${(ms / 1000).toFixed(2)} s, ` +
                `provider peak ${(memory.peakKiB / 1024).toFixed(0)} MiB, cpu ${memory.cpuSeconds.toFixed(2)} s`,
            );
          }
        }
        if (rep === 0) {
          for (const side of SIDES) result.state[side] = await exportState(engine, stacks[side], side);
        }
        result.reps++;
        lastRepMs = nowMs() - repStart;
      }
      sizes.push(result);
    }

    // The naive provider: a handful of resources is enough to see its state per resource.
    const seed = firstSeed;
    if (!seed) throw new Error("no sizes configured");
    const count = Math.min(config.naiveCount, seed.usernames.length);
    const naive: NaiveResult = { count, ok: false };
    const naiveStack = await engine.stack({
      projectName: "bench-naive",
      stackName: "naive",
      program: program("naive", seed, count),
    });
    try {
      await naiveStack.up({ onOutput: () => undefined });
      naive.ok = true;
      naive.state = await exportState(engine, naiveStack, "naive");
    } catch (err) {
      naive.error = trimError(err);
      log(`engine: the naive provider failed, as expected or not: ${naive.error.split("\n")[0]}`);
    }
    const probe = await runProbe(engine, seed, count);
    const memory = memoryBreakdown();
    const plugin = await runPluginFace(engine, cognitoLocal, config.pluginFace, Math.max(...config.sizes));
    return {
      parallel: "engine default (8 = 4 x CPUs)",
      poolSize,
      reps: config.reps,
      sizes,
      naive,
      probe,
      memory,
      plugin,
    };
  } finally {
    if (!process.env.BENCH_KEEP_ENGINE_DIR) engine.cleanup();
    else log(`engine dir kept: ${engine.dir}`);
  }
}

/**
 * The plugin face: its archive installed into the engine's PULUMI_HOME as a user installs it,
 * then, per repetition, fresh stacks of N plugin UserPasswords, N dynamic ones and N no-op
 * resources whose `up` (create) alternate (the order rotates); the state measured once.
 */
async function runPluginFace(
  engine: Engine,
  cognitoLocal: Emulator,
  config: EngineConfig["pluginFace"],
  poolUsers: number,
): Promise<PluginFaceResult> {
  const n = Math.min(config.n, poolUsers);
  await engine.cli(["plugin", "install", "resource", PLUGIN_NAME, PLUGIN_VERSION, "-f", pluginArchive()]);
  const seed = seedOf(await seedPool(cognitoLocal.endpoint, n), cognitoLocal);
  const result: PluginFaceResult = { n, reps: 0, createMs: { plugin: [], userPassword: [], noop: [] }, state: {} };
  for (let rep = 0; rep < config.reps; rep++) {
    for (const side of interleavedOrder(FACE_SIDES, rep)) {
      const stack = await engine.stack({
        projectName: `bench-face-${side.toLowerCase()}`,
        stackName: `n${n}-r${rep}`,
        program: program(side, seed),
      });
      const { ms, value: summary } = await timed(() => runPhase(stack, "create"));
      verify(`${side} (plugin face)`, "create", n, summary);
      result.createMs[side].push(ms);
      log(`engine plugin face n=${n} rep ${rep + 1}/${config.reps}: ${side} up ${(ms / 1000).toFixed(2)} s`);
      if (rep === 0) result.state[side] = await exportState(engine, stack, side);
    }
    result.reps++;
  }
  return result;
}

/** Peak RSS of `node -e <script>` run from the repository root (its node_modules), in KiB. */
function peakOf(script: string): number {
  const tail =
    'process.on("exit", () => { const m = /VmHWM:\\s+(\\d+)/.exec(require("fs").readFileSync("/proc/self/status", "utf8")); process.stdout.write(m ? m[1] : "NaN"); });';
  try {
    return Number(
      execFileSync(process.execPath, ["-e", `${script}\n${tail}`], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 60_000,
      }).trim(),
    );
  } catch {
    return NaN;
  }
}

export function memoryBreakdown(): MemoryBreakdown {
  if (process.platform !== "linux") return { pulumiKiB: NaN, pulumiSdkKiB: NaN };
  const pulumi = 'require("@pulumi/pulumi");';
  const sdk =
    'const { CognitoIdentityProviderClient } = require("@aws-sdk/client-cognito-identity-provider"); new CognitoIdentityProviderClient({ region: "us-east-1" });';
  return { pulumiKiB: peakOf(pulumi), pulumiSdkKiB: peakOf(pulumi + sdk) };
}

/** Runs up, no-change up, refresh and destroy on a stack of probe resources and counts the provider calls of each. */
async function runProbe(engine: Engine, seed: Seed, count: number): Promise<ProbeResult> {
  const probeLog = path.join(engine.dir, "probe-calls.log");
  const stack = await engine.stack({
    projectName: "bench-probe",
    stackName: "probe",
    program: program("probe", { ...seed, probeLog }, count),
  });
  const quiet = { onOutput: () => undefined };
  const steps: Array<[string, () => Promise<unknown>]> = [
    ["`up` (create)", () => stack.up(quiet)],
    ["`up` (no change)", () => stack.up(quiet)],
    ["`refresh`", () => stack.refresh(quiet)],
    ["`destroy`", () => stack.destroy(quiet)],
  ];
  const operations: ProbeResult["operations"] = [];
  for (const [operation, run] of steps) {
    writeFileSync(probeLog, "");
    await run();
    const calls: Record<string, number> = {};
    const text = existsSync(probeLog) ? readFileSync(probeLog, "utf8") : "";
    for (const method of text.split("\n").filter(Boolean)) calls[method] = (calls[method] ?? 0) + 1;
    operations.push({ operation, calls });
  }
  return { resources: count, operations };
}

/** The lines of an engine error that say why, without the CLI's boilerplate. */
export function trimError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "" && !/Command failed with exit code/.test(l));
  // From the first error the engine reports (the diagnostics), else the whole text.
  const first = lines.findIndex((l) => /^\s*error:/.test(l));
  const picked = (first >= 0 ? lines.slice(first) : lines).slice(0, 14).join("\n");
  return picked.length > 1500 ? `${picked.slice(0, 1500)}…` : picked;
}
