/**
 * Benchmark 4: seeding under Cognito's request-rate quota. The fault proxy sits in front of
 * cognito-local with one token bucket per quota category, as Cognito meters them:
 * AdminSetUserPassword against UserUpdate (25 RPS), AdminGetUser against UserRead (120 RPS);
 * beyond them it answers TooManyRequestsException (HTTP 400). Bucket size = one second's worth.
 *
 * Sides, alternating per repetition, each starting with full buckets and zeroed counters:
 *  - engine: `pulumi up` of M UserPasswords whose endpoint is the proxy;
 *  - bare: M AdminSetUserPassword with the library's client (standard retry, paced by
 *    src/cognito/pacer.ts at its default 25 per second) at the engine's parallelism, through the
 *    same proxy: what the client alone achieves;
 *  - what-ifs (scenarios with `whatIfs`), the same bare loop with another client behaviour:
 *    bareStandard, the SDK's standard retry mode with no pacer; barePaced, the library's SDK
 *    client unpaced, behind a fixed pacer that starts one set every 1/quota seconds (the ideal
 *    when the quota is known and nobody shares it). Neither is what the library does;
 *  - noop (optional): `pulumi up` of M no-op resources, no proxy: the engine's floor for M
 *    resources. When that floor is below the quota (a small machine), the quota cannot be the
 *    bottleneck; a second, scaled-down scenario (same proportions) makes it one.
 * The engine and noop sides run once per engine setting of the scenario (default,
 * `--parallel 32`, `PULUMI_SKIP_CHECKPOINTS=true`, both: bench/lib/config.ts), all interleaved.
 * With `followUps`, each engine side's stack (first repetition) then gets a no-change `up` and a
 * `refresh`, each with full buckets and zeroed counters: the proxy counts what they cost (no
 * AdminSetUserPassword is the claim).
 * Throughput is sampled from the proxy's admitted-request counter every 50 ms.
 */
import { AdminSetUserPasswordCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type * as automation from "@pulumi/pulumi/automation";
import type { Emulator } from "../test/harness/emulators";
import { startEngine, type Engine } from "../test/harness/engine";
import { startFaultProxy, type FaultProxy } from "../test/harness/fault-proxy";
import {
  ENGINE_SETTINGS,
  type EngineSetting,
  type EngineSettingId,
  type PacingScenario,
  type QuotaConfig,
  type QuotaScenario,
} from "./lib/config";
import { AWS_ENV, cognitoModule, pacerModule, passwordFactory } from "./lib/library";
import { ProviderMemoryMonitor } from "./lib/procs";
import { createSeededPool, seedPool } from "./lib/seed";
import { applySetting, parallelOf } from "./lib/settings";
import { interleavedOrder, log, nowMs, runPool, sleep } from "./lib/stats";
import { trimError, verify } from "./engine-scaling";
import { program, type Seed } from "./programs/programs";

const SET = "AdminSetUserPassword";
const GET = "AdminGetUser";
/** The library's stack config key for its UserUpdate pace (src/cognito/pacer.ts). */
const SETS_PER_SECOND_CONFIG = "cognito-user-password:setsPerSecond";

export type QuotaSide = "engine" | "bare" | "bareStandard" | "barePaced" | "noop";
const BARE_SIDES: readonly QuotaSide[] = ["bare", "bareStandard", "barePaced"];
export const isBareSide = (side: QuotaSide): boolean => BARE_SIDES.includes(side);

/** Starts calls no closer together than 1/ratePerSecond seconds (what a client pacing at a known quota would do). */
function pacer(ratePerSecond: number): () => Promise<void> {
  const interval = 1000 / ratePerSecond;
  let next = nowMs();
  return async () => {
    const at = Math.max(next, nowMs());
    next = at + interval;
    const wait = at - nowMs();
    if (wait > 0) await sleep(wait);
  };
}

/** What one later operation on the seeded stack cost, as the proxy saw it. */
export interface FollowUp {
  ms: number;
  /** Requests that arrived at the proxy, per operation (retries included). */
  arrivals: Record<string, number>;
  throttled: Record<string, number>;
  /** Resources the engine reported changed (anything but "same"); 0 expected. */
  changed: number;
  error?: string;
}

export interface QuotaRun {
  side: QuotaSide;
  /** The engine setting (engine and noop sides; the bare side has none). */
  setting?: EngineSettingId;
  ms: number;
  /** AdminSetUserPassword requests the proxy let through (0 for noop). */
  admittedSets: number;
  /** Requests answered TooManyRequestsException, per operation. */
  throttled: Record<string, number>;
  /** Requests that arrived at the proxy, per operation (retries included). */
  arrivals: Record<string, number>;
  /** Resources (engine) or calls (bare) that failed. */
  failed: number;
  succeeded: number;
  /** Admitted sets per second after the initial burst, up to the last admitted set. */
  windowRps: number;
  /** Users per second over the whole operation (engine start-up included). */
  endToEndRps: number;
  /** After the engine side (scenarios with `followUps`): a no-change `up` and a `refresh` of the same stack. */
  followUps?: { noChange: FollowUp; refresh: FollowUp };
  error?: string;
}

export interface QuotaScenarioResult extends QuotaScenario {
  runs: QuotaRun[];
}

export interface QuotaResult {
  scenarios: QuotaScenarioResult[];
  /** Issue 17's pacing scenarios (absent in results of runs before it). */
  pacing?: PacingScenarioResult[];
}

interface Sample {
  t: number;
  sets: number;
}

/** Samples the proxy's admitted AdminSetUserPassword count. */
function sampler(proxy: FaultProxy): { stop(): Sample[] } {
  const start = nowMs();
  const samples: Sample[] = [{ t: 0, sets: proxy.forwarded[SET] ?? 0 }];
  const timer = setInterval(() => samples.push({ t: nowMs() - start, sets: proxy.forwarded[SET] ?? 0 }), 50);
  return {
    stop() {
      clearInterval(timer);
      samples.push({ t: nowMs() - start, sets: proxy.forwarded[SET] ?? 0 });
      return samples;
    },
  };
}

/**
 * Admitted sets per second once the bucket's initial burst (one second's worth, admitted at
 * once) is used up: from the first sample at or past `burst` sets to the first sample at the
 * final count. NaN when everything fit in the burst.
 */
function windowRate(samples: Sample[], burst: number): number {
  const final = samples[samples.length - 1]?.sets ?? 0;
  const first = samples.find((s) => s.sets >= burst);
  const last = samples.find((s) => s.sets === final);
  if (!first || !last || last.t <= first.t || final <= first.sets) return NaN;
  return ((final - first.sets) / (last.t - first.t)) * 1000;
}

interface Context {
  engine: Engine;
  proxy: FaultProxy;
  cognitoLocal: Emulator;
  userPoolId: string;
  usernames: string[];
  password: (i: number) => string;
  concurrency: number;
}

/** Full buckets and zero counters (a bucket holds one second's worth, so it refills in one second). */
async function freshBuckets(proxy: FaultProxy): Promise<void> {
  await sleep(1500);
  proxy.resetCounts();
}

/** A no-change `up` or a `refresh` of the seeded stack, counted by the proxy. */
async function followUp(
  ctx: Context,
  stack: automation.Stack,
  setting: EngineSetting,
  users: number,
  op: "noChange" | "refresh",
): Promise<FollowUp> {
  const { proxy } = ctx;
  await freshBuckets(proxy);
  const start = nowMs();
  let changed = 0;
  let error: string | undefined;
  const onEvent = (e: automation.EngineEvent) => {
    const meta = e.resOutputsEvent?.metadata;
    if (meta && meta.op !== "same" && meta.op !== "refresh" && !meta.type.startsWith("pulumi:")) changed++;
  };
  try {
    if (op === "refresh") {
      const result = await stack.refresh({ onEvent, onOutput: () => undefined, ...parallelOf(setting) });
      if (result.summary.result !== "succeeded")
        throw new Error(`refresh of ${users}: result ${result.summary.result}`);
    } else {
      const result = await stack.up({ onEvent, onOutput: () => undefined, ...parallelOf(setting) });
      verify("engine", "noChange", users, result.summary);
    }
  } catch (err) {
    error = trimError(err);
  }
  return {
    ms: nowMs() - start,
    arrivals: { ...proxy.counts },
    throttled: { ...proxy.throttled },
    changed,
    ...(error ? { error } : {}),
  };
}

async function runSide(
  ctx: Context,
  scenario: QuotaScenario,
  side: QuotaSide,
  setting: EngineSetting,
  tag: string,
  withFollowUps: boolean,
): Promise<QuotaRun> {
  const { proxy } = ctx;
  const users = scenario.users;
  await freshBuckets(proxy);
  const samples = sampler(proxy);
  const start = nowMs();
  let failed = 0;
  let succeeded = 0;
  let error: string | undefined;
  if (isBareSide(side)) {
    const { createCognitoClient, DEFAULT_TUNING } = cognitoModule();
    const { pace: paceClient, Pacers, DEFAULT_RATES } = pacerModule();
    const region = AWS_ENV.AWS_REGION as string;
    const connection = { region, endpoint: proxy.endpoint };
    // bare: the library's client as the provider builds it (standard retry, paced; pacers of
    // its own, as a fresh provider process has); the what-ifs: the SDK's standard retry alone.
    const client =
      side === "bareStandard"
        ? new CognitoIdentityProviderClient({
            region,
            endpoint: proxy.endpoint,
            maxAttempts: DEFAULT_TUNING.maxAttempts,
            retryMode: "standard",
          })
        : side === "bare"
          ? paceClient(createCognitoClient(connection, DEFAULT_TUNING), connection, () => DEFAULT_RATES, new Pacers())
          : createCognitoClient(connection, DEFAULT_TUNING);
    const pace = side === "barePaced" ? pacer(scenario.setRatePerSecond) : undefined;
    await runPool(users, ctx.concurrency, async (i) => {
      try {
        if (pace) await pace();
        await client.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: ctx.userPoolId,
            Username: ctx.usernames[i],
            Password: ctx.password(i),
            Permanent: true,
          }),
        );
        succeeded++;
      } catch {
        failed++;
      }
    });
    client.destroy();
  } else {
    const seed: Seed = {
      userPoolId: ctx.userPoolId,
      endpoint: side === "engine" ? proxy.endpoint : ctx.cognitoLocal.endpoint,
      region: AWS_ENV.AWS_REGION as string,
      usernames: ctx.usernames.slice(0, users),
      password: ctx.password,
    };
    const stack = applySetting(
      await ctx.engine.stack({
        projectName: `quota-${side}`,
        stackName: `${tag}-${setting.id}`,
        program: program(side === "engine" ? "userPassword" : "noop", seed),
      }),
      setting,
    );
    // Only the users' resources: not the stack, not the default dynamic-provider resource.
    const isUser = (type: string) => !type.startsWith("pulumi:");
    const onEvent = (e: automation.EngineEvent) => {
      const failedMeta = e.resOpFailedEvent?.metadata;
      if (failedMeta && isUser(failedMeta.type)) failed++;
      const done = e.resOutputsEvent?.metadata;
      if (done && done.op === "create" && isUser(done.type)) succeeded++;
    };
    try {
      await stack.up({ onEvent, onOutput: () => undefined, ...parallelOf(setting) });
    } catch (err) {
      error = trimError(err);
    }
    if (side === "engine" && withFollowUps && !error) {
      const ms = nowMs() - start;
      const series = samples.stop();
      const seeded = {
        admittedSets: proxy.forwarded[SET] ?? 0,
        throttled: { ...proxy.throttled },
        arrivals: { ...proxy.counts },
      };
      const noChange = await followUp(ctx, stack, setting, users, "noChange");
      const refresh = await followUp(ctx, stack, setting, users, "refresh");
      return {
        side,
        setting: setting.id,
        ms,
        ...seeded,
        failed,
        succeeded,
        windowRps: windowRate(series, scenario.setRatePerSecond),
        endToEndRps: (users / ms) * 1000,
        followUps: { noChange, refresh },
      };
    }
  }
  const ms = nowMs() - start;
  const series = samples.stop();
  return {
    side,
    ...(isBareSide(side) ? {} : { setting: setting.id }),
    ms,
    admittedSets: proxy.forwarded[SET] ?? 0,
    throttled: { ...proxy.throttled },
    arrivals: { ...proxy.counts },
    failed,
    succeeded,
    windowRps: side === "noop" ? NaN : windowRate(series, scenario.setRatePerSecond),
    endToEndRps: (users / ms) * 1000,
    ...(error ? { error } : {}),
  };
}

export async function runQuota(config: QuotaConfig, cognitoLocal: Emulator): Promise<QuotaResult> {
  const most = Math.max(
    ...config.scenarios.map((s) => s.users),
    ...config.pacing.filter((p) => !p.ownPool).map((p) => p.users * p.stacks),
  );
  const { pool, usernames } = await seedPool(cognitoLocal.endpoint, most);
  const proxy = await startFaultProxy(cognitoLocal.endpoint, { recordBodies: false });
  const engine = await startEngine({ prefix: "bench-quota", extraEnv: AWS_ENV });
  const ctx: Context = {
    engine,
    proxy,
    cognitoLocal,
    userPoolId: pool.userPoolId,
    usernames,
    password: passwordFactory(),
    concurrency: config.concurrency,
  };
  const scenarios: QuotaScenarioResult[] = [];
  let pacing: PacingScenarioResult[] | undefined;
  try {
    for (const [index, scenario] of config.scenarios.entries()) {
      proxy.clearRules();
      proxy.throttle(SET, { ratePerSecond: scenario.setRatePerSecond });
      proxy.throttle(GET, { ratePerSecond: scenario.readRatePerSecond });
      // The bare side (and the what-ifs); an engine (and a no-op floor) side per engine setting.
      const sides: Array<{ side: QuotaSide; setting: EngineSetting }> = [
        { side: "bare", setting: ENGINE_SETTINGS.default },
        ...(scenario.whatIfs
          ? (["bareStandard", "barePaced"] as const).map((side) => ({ side, setting: ENGINE_SETTINGS.default }))
          : []),
        ...scenario.settings.flatMap((id) =>
          (scenario.withFloor ? (["engine", "noop"] as const) : (["engine"] as const)).map((side) => ({
            side,
            setting: ENGINE_SETTINGS[id],
          })),
        ),
      ];
      const runs: QuotaRun[] = [];
      for (let rep = 0; rep < scenario.reps; rep++) {
        for (const { side, setting } of interleavedOrder(sides, rep)) {
          // The follow-ups' counts do not vary between repetitions: the first one's are enough.
          const run = await runSide(ctx, scenario, side, setting, `s${index}-r${rep}`, scenario.followUps && rep === 0);
          runs.push(run);
          const f = run.followUps;
          log(
            `quota ${scenario.users} @ ${scenario.setRatePerSecond} RPS, rep ${rep + 1}/${scenario.reps}: ${side}${isBareSide(side) ? "" : ` (${setting.id})`} ${(run.ms / 1000).toFixed(2)} s, ` +
              `ok ${run.succeeded}, failed ${run.failed}, window ${run.windowRps.toFixed(1)} RPS, throttled ${JSON.stringify(run.throttled)}` +
              `${f ? `; no-change up ${(f.noChange.ms / 1000).toFixed(2)} s ${JSON.stringify(f.noChange.arrivals)}, refresh ${(f.refresh.ms / 1000).toFixed(2)} s ${JSON.stringify(f.refresh.arrivals)}` : ""}` +
              `${run.error ? `, error: ${run.error.split("\n")[0]}` : ""}`,
          );
        }
      }
      scenarios.push({ ...scenario, runs });
    }
    pacing = await runPacing(config.pacing, {
      engine,
      proxy,
      cognitoLocal,
      password: ctx.password,
      concurrency: ctx.concurrency,
    });
  } finally {
    await proxy.stop();
    if (!process.env.BENCH_KEEP_ENGINE_DIR) engine.cleanup();
  }
  return { scenarios, ...(pacing ? { pacing } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Issue 17: seeding at the quota with the library's pacer. Each scenario runs `pulumi up` of
// fresh stacks through the proxy's buckets (one quota for all of them), under one engine
// setting; beside it, where asked, the same `up` with nothing throttling and the pacer out of
// the way (`setsPerSecond` far above any quota: the engine's own pace) and the no-op floor.

/** The pacer out of the way: far above what any engine here reaches. */
const UNPACED_SETS_PER_SECOND = 100_000;

export type PacingSide = "engine" | "unthrottled" | "noop";

export interface PacingStackRun {
  succeeded: number;
  failed: number;
  ms: number;
  error?: string;
}

export interface PacingRun {
  side: PacingSide;
  /** From the first `up` started to the last one finished. */
  ms: number;
  stacks: PacingStackRun[];
  /** Sets the proxy let through, all stacks (0 for noop). */
  admittedSets: number;
  throttled: Record<string, number>;
  arrivals: Record<string, number>;
  /** Admitted sets per second, all stacks together, from the end of the first second's burst to the last set (NaN for noop). */
  windowRps: number;
  /** Users per second over the whole operation, all stacks (engine start-up included). */
  endToEndRps: number;
  /** Peak RSS (VmHWM) of the dynamic provider processes, the largest one, in KiB (scenarios with `peakRss`). */
  providerPeakKiB?: number;
}

export interface PacingScenarioResult extends PacingScenario {
  runs: PacingRun[];
  /** Users in the pool the scenario drew from. */
  poolSize: number;
}

interface PacingContext extends Omit<Context, "usernames"> {
  usernames: string[];
}

async function runPacingSide(
  ctx: PacingContext,
  scenario: PacingScenario,
  side: PacingSide,
  tag: string,
): Promise<PacingRun> {
  const { proxy } = ctx;
  const setting = ENGINE_SETTINGS[scenario.setting];
  proxy.clearRules();
  if (side === "engine") {
    proxy.throttle(SET, { ratePerSecond: scenario.setRatePerSecond });
    proxy.throttle(GET, { ratePerSecond: scenario.readRatePerSecond });
  }
  const setsPerSecond = side === "unthrottled" ? UNPACED_SETS_PER_SECOND : scenario.setsPerSecond;
  const stacks = await Promise.all(
    Array.from({ length: scenario.stacks }, async (_, s) => {
      const seed: Seed = {
        userPoolId: ctx.userPoolId,
        endpoint: side === "noop" ? ctx.cognitoLocal.endpoint : proxy.endpoint,
        region: AWS_ENV.AWS_REGION as string,
        usernames: ctx.usernames.slice(s * scenario.users, (s + 1) * scenario.users),
        password: ctx.password,
      };
      return applySetting(
        await ctx.engine.stack({
          projectName: `pacing-${side}`,
          stackName: `${tag}-s${s}`,
          program: program(side === "noop" ? "noop" : "userPassword", seed),
          ...(setsPerSecond !== undefined
            ? { config: { [SETS_PER_SECOND_CONFIG]: { value: String(setsPerSecond) } } }
            : {}),
        }),
        setting,
      );
    }),
  );
  await freshBuckets(proxy);
  const monitor = scenario.peakRss ? new ProviderMemoryMonitor().start() : undefined;
  const samples = sampler(proxy);
  const start = nowMs();
  const isUser = (type: string) => !type.startsWith("pulumi:");
  const perStack = await Promise.all(
    stacks.map(async (stack): Promise<PacingStackRun> => {
      let failed = 0;
      let succeeded = 0;
      let error: string | undefined;
      const onEvent = (e: automation.EngineEvent) => {
        const failedMeta = e.resOpFailedEvent?.metadata;
        if (failedMeta && isUser(failedMeta.type)) failed++;
        const done = e.resOutputsEvent?.metadata;
        if (done && done.op === "create" && isUser(done.type)) succeeded++;
      };
      const began = nowMs();
      try {
        await stack.up({ onEvent, onOutput: () => undefined, ...parallelOf(setting) });
      } catch (err) {
        error = trimError(err);
      }
      return { succeeded, failed, ms: nowMs() - began, ...(error ? { error } : {}) };
    }),
  );
  const ms = nowMs() - start;
  const series = samples.stop();
  const memory = monitor ? await monitor.stop() : undefined;
  const users = scenario.users * scenario.stacks;
  return {
    side,
    ms,
    stacks: perStack,
    admittedSets: proxy.forwarded[SET] ?? 0,
    throttled: { ...proxy.throttled },
    arrivals: { ...proxy.counts },
    windowRps: side === "noop" ? NaN : windowRate(series, scenario.setRatePerSecond),
    endToEndRps: (users / ms) * 1000,
    ...(memory ? { providerPeakKiB: memory.peakKiB } : {}),
  };
}

/** Issue 17's scenarios, each on the shared pool (or a pool of its own), sides interleaved per repetition. */
export async function runPacing(
  scenarios: readonly PacingScenario[],
  base: Omit<PacingContext, "userPoolId" | "usernames">,
): Promise<PacingScenarioResult[]> {
  const results: PacingScenarioResult[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    const users = scenario.users * scenario.stacks;
    const seeded = scenario.ownPool
      ? await createSeededPool(base.cognitoLocal.endpoint, users)
      : await seedPool(base.cognitoLocal.endpoint, users);
    const ctx: PacingContext = { ...base, userPoolId: seeded.pool.userPoolId, usernames: seeded.usernames };
    const sides: PacingSide[] = [
      "engine",
      ...(scenario.unthrottled ? (["unthrottled"] as const) : []),
      ...(scenario.withFloor ? (["noop"] as const) : []),
    ];
    const runs: PacingRun[] = [];
    for (let rep = 0; rep < scenario.reps; rep++) {
      for (const side of interleavedOrder(sides, rep)) {
        const run = await runPacingSide(ctx, scenario, side, `p${index}-${scenario.id}-r${rep}`);
        runs.push(run);
        log(
          `pacing ${scenario.id}: ${scenario.stacks} x ${scenario.users} users @ ${scenario.setRatePerSecond} RPS (${scenario.setting}` +
            `${scenario.setsPerSecond ? `, setsPerSecond ${scenario.setsPerSecond}` : ""}), rep ${rep + 1}/${scenario.reps}: ${side} ` +
            `${(run.ms / 1000).toFixed(2)} s, ok ${run.stacks.map((s) => s.succeeded).join("+")}, failed ${run.stacks.map((s) => s.failed).join("+")}, ` +
            `window ${run.windowRps.toFixed(1)} RPS, throttled ${JSON.stringify(run.throttled)}` +
            `${run.providerPeakKiB ? `, provider peak ${(run.providerPeakKiB / 1024).toFixed(0)} MiB` : ""}` +
            `${run.stacks.some((s) => s.error) ? `, error: ${run.stacks.find((s) => s.error)?.error?.split("\n")[0]}` : ""}`,
        );
      }
    }
    results.push({ ...scenario, runs, poolSize: seeded.poolSize });
  }
  return results;
}
