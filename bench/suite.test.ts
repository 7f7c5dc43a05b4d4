/**
 * The benchmark run: `npm run bench` (full) or `npm run bench -- --quick` (CI: every
 * benchmark once, tiny sizes). Starts the emulators, runs the benchmarks in order, and always
 * writes what it measured, even when one of them fails:
 *  - full mode: bench/results/results.md, bench/results/scaling.svg and the raw results as
 *    bench/results/results.json (committed, so the report can be re-rendered from them), with a
 *    timestamped copy in bench/results/raw/ (not committed);
 *  - quick mode, or a development run (BENCH_ONLY, BENCH_ENGINE_SIZES): everything under
 *    bench/results/raw/<mode>/.
 * BENCH_OUT_DIR overrides the folder.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCognitoLocal, startMoto, type Emulator } from "../test/harness/emulators";
import { ROOT } from "../test/harness/engine";
import { ensureToolchain } from "../test/harness/pulumi-engine";
import { runEngineScaling } from "./engine-scaling";
import { runEngineSettings } from "./engine-settings";
import { BENCH_NAMES, configFor, pacingOnly, type BenchName } from "./lib/config";
import { applyAwsEnv } from "./lib/library";
import { reserveUsers } from "./lib/seed";
import { renderMarkdown } from "./lib/report";
import { renderScalingSvg } from "./lib/scaling-plot";
import { machineInfo, type BenchResults } from "./lib/results";
import { log, nowMs } from "./lib/stats";
import { runProviderOverhead } from "./provider-overhead";
import { runQuota } from "./quota";

// BENCH_RENDER=<raw json>: only re-render results.md and scaling.svg (next to the JSON's folder) from a past run.
const renderOnly = process.env.BENCH_RENDER ? path.resolve(process.env.BENCH_RENDER) : undefined;
const mode = process.env.BENCH_MODE === "full" ? "full" : "quick";
const config = configFor(mode);
// A subset or other sizes: a development run, kept out of the committed results.
const subset =
  config.only.length < BENCH_NAMES.length ||
  Boolean(process.env.BENCH_ENGINE_SIZES) ||
  Boolean(process.env.BENCH_SETTINGS_SIZES) ||
  pacingOnly();
const outDir = process.env.BENCH_OUT_DIR
  ? path.resolve(process.env.BENCH_OUT_DIR)
  : mode === "full" && !subset
    ? path.join(ROOT, "bench", "results")
    : path.join(ROOT, "bench", "results", "raw", mode);

const started = nowMs();
const sdkVersion = (
  JSON.parse(readFileSync(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as {
    version: string;
  }
).version;
const results: BenchResults = {
  config,
  machine: machineInfo(ROOT, ensureToolchain().pulumiPath, sdkVersion),
  startedAt: new Date().toISOString(),
  durationMs: 0,
  errors: {},
};

if (renderOnly) {
  describe("render", () => {
    it(`renders ${renderOnly}`, () => {
      const past = JSON.parse(readFileSync(renderOnly, "utf8")) as BenchResults;
      // raw JSON lives in <results>/raw/ (full) or <results>/raw/<mode>/ (others): write beside it.
      const dir = process.env.BENCH_OUT_DIR
        ? path.resolve(process.env.BENCH_OUT_DIR)
        : path.basename(path.dirname(renderOnly)) === "raw"
          ? path.dirname(path.dirname(renderOnly))
          : path.dirname(renderOnly);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, "results.md"), renderMarkdown(past));
      if (past.engine) writeFileSync(path.join(dir, "scaling.svg"), renderScalingSvg(past.engine));
      log(`rendered ${path.relative(ROOT, dir) || "."}/results.md from ${path.relative(ROOT, renderOnly)}`);
    });
  });
}

let cognitoLocal: Emulator | undefined;
let moto: Emulator | undefined;

const wants = (name: BenchName) => config.only.includes(name);

async function guarded<T>(name: BenchName, run: () => Promise<T>): Promise<T> {
  log(`${name}: start (${mode})`);
  try {
    return await run();
  } catch (err) {
    results.errors[name] = err instanceof Error ? (err.stack ?? err.message) : String(err);
    throw err;
  } finally {
    log(`${name}: done`);
  }
}

function cognito(): Emulator {
  if (!cognitoLocal) throw new Error("cognito-local did not start");
  return cognitoLocal;
}

beforeAll(async () => {
  if (renderOnly) return;
  applyAwsEnv();
  log(`mode ${mode}; benchmarks ${config.only.join(", ")}; results to ${path.relative(ROOT, outDir) || "."}`);
  cognitoLocal = await startCognitoLocal();
  if (wants("overhead") && config.overhead.motoN > 0) moto = await startMoto();
  // One shared pool per emulator, big enough for every selected benchmark.
  const needs = [
    ...(wants("overhead") ? [config.overhead.n, config.overhead.decompositionN] : []),
    ...(wants("engine") ? config.engine.sizes : []),
    ...(wants("settings") ? config.settings.sizes : []),
    ...(wants("quota") ? config.quota.scenarios.map((s) => s.users) : []),
    ...(wants("quota") ? config.quota.pacing.filter((p) => !p.ownPool).map((p) => p.users * p.stacks) : []),
  ];
  reserveUsers(cognitoLocal.endpoint, Math.max(0, ...needs));
  if (moto) reserveUsers(moto.endpoint, config.overhead.motoN);
});

afterAll(async () => {
  if (renderOnly) return;
  await cognitoLocal?.stop();
  await moto?.stop();
  results.durationMs = nowMs() - started;
  const stamp = results.startedAt.replace(/[:.]/g, "-");
  const rawDir = outDir === path.join(ROOT, "bench", "results") ? path.join(outDir, "raw") : outDir;
  mkdirSync(rawDir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(path.join(rawDir, `${mode}-${stamp}.json`), json);
  if (rawDir !== outDir) writeFileSync(path.join(outDir, "results.json"), json);
  writeFileSync(path.join(outDir, "results.md"), renderMarkdown(results));
  if (results.engine) writeFileSync(path.join(outDir, "scaling.svg"), renderScalingSvg(results.engine));
  log(
    `results: ${path.relative(ROOT, path.join(outDir, "results.md"))} (${(results.durationMs / 1000).toFixed(0)} s in all)`,
  );
});

describe.skipIf(Boolean(renderOnly)).sequential(`benchmarks (${mode})`, () => {
  it.runIf(wants("overhead"))(
    "1. provider overhead: create vs bare AdminSetUserPassword, API calls per operation",
    async () => {
      const result = await guarded("overhead", () =>
        runProviderOverhead(config.overhead, { cognitoLocal: cognito(), ...(moto ? { moto } : {}) }, mode === "full"),
      );
      results.overhead = result;
      for (const c of result.comparisons) for (const s of c.sides) expect(s.ms.every((ms) => ms > 0)).toBe(true);
    },
  );

  it.runIf(wants("engine"))(
    "2, 3, 5. through the engine: up / no-change up / refresh vs no-op, state size, provider memory",
    async () => {
      const reserve =
        (wants("quota") ? config.quotaReserveMinutes : 0) + (wants("settings") ? config.settingsReserveMinutes : 0);
      const deadline = started + (config.budgetMinutes - reserve) * 60_000;
      const result = await guarded("engine", () => runEngineScaling(config.engine, cognito(), deadline));
      results.engine = result;
      expect(result.sizes.length).toBe(config.engine.sizes.length);
    },
  );

  it.runIf(wants("settings"))(
    "6. engine settings side by side: default, --parallel 32, PULUMI_SKIP_CHECKPOINTS, both",
    async () => {
      const reserve = wants("quota") ? config.quotaReserveMinutes : 0;
      const deadline = started + (config.budgetMinutes - reserve) * 60_000;
      const result = await guarded("settings", () => runEngineSettings(config.settings, cognito(), deadline));
      results.settings = result;
      expect(result.sizes.length).toBe(config.settings.sizes.length);
    },
  );

  it.runIf(wants("quota"))("4. under the quota: up of many users through a 25 RPS token bucket", async () => {
    const result = await guarded("quota", () => runQuota(config.quota, cognito()));
    results.quota = result;
    // Failures under throttling are a finding for the report, not a crash of the benchmark.
    expect(result.scenarios.every((s) => s.runs.length > 0)).toBe(true);
  });
});
