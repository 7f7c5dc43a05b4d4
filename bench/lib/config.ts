/**
 * The two modes. `quick` (CI) proves every benchmark runs end to end with tiny sizes, in a
 * minute or two; `full` measures. `BENCH_ONLY=overhead,engine,settings,quota` runs a subset and
 * `BENCH_ENGINE_SIZES=50,100` other engine sizes (full mode), for development; such runs write
 * their report under bench/results/raw/.
 */
export type Mode = "quick" | "full";
export type BenchName = "overhead" | "engine" | "settings" | "quota";
export const BENCH_NAMES: readonly BenchName[] = ["overhead", "engine", "settings", "quota"];

/**
 * Engine settings compared side by side (issue: seeding at Cognito's limit): the CLI's
 * `--parallel` and `PULUMI_SKIP_CHECKPOINTS` (the engine then writes the checkpoint only at the
 * end of the operation instead of after every step; a killed CLI loses the whole run's state,
 * see test/e2e/crash.test.ts).
 */
export type EngineSettingId = "default" | "parallel32" | "skipCheckpoints" | "both";

export interface EngineSetting {
  id: EngineSettingId;
  /** As the report prints it. */
  label: string;
  /** `--parallel`; undefined: the engine's default (4 x CPUs). */
  parallel?: number;
  /** `PULUMI_SKIP_CHECKPOINTS=true` in the CLI's environment (else explicitly `false`). */
  skipCheckpoints: boolean;
}

export const ENGINE_SETTINGS: Readonly<Record<EngineSettingId, EngineSetting>> = {
  default: { id: "default", label: "default", skipCheckpoints: false },
  parallel32: { id: "parallel32", label: "`--parallel 32`", parallel: 32, skipCheckpoints: false },
  skipCheckpoints: { id: "skipCheckpoints", label: "`PULUMI_SKIP_CHECKPOINTS=true`", skipCheckpoints: true },
  both: { id: "both", label: "`PULUMI_SKIP_CHECKPOINTS=true` + `--parallel 32`", parallel: 32, skipCheckpoints: true },
};
export const SETTING_IDS: readonly EngineSettingId[] = ["default", "parallel32", "skipCheckpoints", "both"];

export interface OverheadConfig {
  /** `create` calls per side per repetition: provider vs bare AdminSetUserPassword (the target). */
  n: number;
  /** Calls in flight; the engine's default `--parallel` on this machine is 8 (4 x CPUs). */
  concurrency: number;
  reps: number;
  /** Where the time goes: every reconstruction side, smaller batches. */
  decompositionN: number;
  decompositionReps: number;
  /** Same comparison on moto (provider vs bare set only), or 0 to skip. */
  motoN: number;
  motoReps: number;
}

export interface EngineConfig {
  /** Resources per stack; time(last)/time(second) is the scaling figure when there are 4 sizes. */
  sizes: number[];
  /** Repetitions per N; later ones are skipped when they would break the run's time budget. */
  reps: number;
  /** Resources of the naive (client-capturing) provider for the state-size comparison. */
  naiveCount: number;
  /** The provider plugin's face beside the dynamic one and the no-op: `up` (create) of N, repetitions. */
  pluginFace: { n: number; reps: number };
}

/** The engine settings side by side: `up` (create) and no-change `up`, UserPassword and no-op, at each size. */
export interface SettingsConfig {
  /** Resources per stack; time(last)/time(first) is each setting's scaling figure. */
  sizes: number[];
  /** Repetitions per N; later ones are skipped when they would break the run's time budget. */
  reps: number;
  settings: EngineSettingId[];
}

export interface QuotaScenario {
  name: string;
  users: number;
  /** One `pulumi up` side (and one no-op floor side, with `withFloor`) per engine setting. */
  settings: EngineSettingId[];
  /** After each setting's `up` (first repetition), a no-change `up` and a `refresh` of the same stack, counted by the proxy. */
  followUps: boolean;
  /** Also the bare SDK with standard retry, and the library's client paced at the quota (what-ifs, not what the library does). */
  whatIfs: boolean;
  /** The UserUpdate quota AdminSetUserPassword counts against. */
  setRatePerSecond: number;
  /** The UserRead quota AdminGetUser counts against. */
  readRatePerSecond: number;
  reps: number;
  /** Include the no-op engine floor side. */
  withFloor: boolean;
}

/** The pacing scenarios of issue 17 (seeding at Cognito's quota with the library's pacer). */
export type PacingScenarioId = "single" | "default" | "twoStacks" | "large" | "raised";

export interface PacingScenario {
  id: PacingScenarioId;
  /** Stacks seeding at once (each its own CLI and provider process), all through one quota. */
  stacks: number;
  /** Users per stack (stacks take distinct users). */
  users: number;
  setting: EngineSettingId;
  /** The proxy's UserUpdate (AdminSetUserPassword) and UserRead (AdminGetUser) quotas. */
  setRatePerSecond: number;
  readRatePerSecond: number;
  /** The stack config `cognito-user-password:setsPerSecond`; undefined: the library's default (25). */
  setsPerSecond?: number;
  /** Also the same `up` with nothing throttling and the pacer out of the way: the engine's own pace. */
  unthrottled: boolean;
  /** Also the no-op engine floor under the same setting. */
  withFloor: boolean;
  /** Record the peak RSS of the dynamic provider process(es). */
  peakRss: boolean;
  /** A pool of its own (a big one would change cognito-local's cost per write for every other benchmark). */
  ownPool: boolean;
  reps: number;
}

export interface QuotaConfig {
  /** The first is Cognito's real quota (the target); others scale it down to what this machine's engine can exceed. */
  scenarios: QuotaScenario[];
  /** Issue 17's figures; in the order run. */
  pacing: PacingScenario[];
  /** Calls in flight for the bare-SDK side (the engine's default parallelism). */
  concurrency: number;
}

export interface BenchConfig {
  mode: Mode;
  /** The whole run should end within this (minutes); the engine benchmark drops repetitions to keep it. */
  budgetMinutes: number;
  /** Time kept for the quota benchmark, which runs after the engine's (minutes). */
  quotaReserveMinutes: number;
  /** Time kept for the settings benchmark, which runs after the engine's, before the quota's (minutes). */
  settingsReserveMinutes: number;
  only: BenchName[];
  overhead: OverheadConfig;
  engine: EngineConfig;
  settings: SettingsConfig;
  quota: QuotaConfig;
}

const ENGINE_PARALLEL = 8;

/** Development only: `BENCH_PACING_ONLY=1` runs only issue 17's pacing scenarios of the quota benchmark. */
export const pacingOnly = (env: NodeJS.ProcessEnv = process.env): boolean => Boolean(env.BENCH_PACING_ONLY);

export function configFor(mode: Mode, env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const config = baseConfigFor(mode, env);
  if (pacingOnly(env)) config.quota.scenarios = [];
  return config;
}

function baseConfigFor(mode: Mode, env: NodeJS.ProcessEnv): BenchConfig {
  const onlyRaw = (env.BENCH_ONLY ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of onlyRaw) {
    if (!(BENCH_NAMES as readonly string[]).includes(name))
      throw new Error(`BENCH_ONLY: unknown benchmark "${name}" (known: ${BENCH_NAMES.join(", ")})`);
  }
  const only = onlyRaw.length > 0 ? (onlyRaw as BenchName[]) : [...BENCH_NAMES];
  if (mode === "quick") {
    return {
      mode,
      budgetMinutes: Infinity,
      quotaReserveMinutes: 0,
      settingsReserveMinutes: 0,
      only,
      overhead: {
        n: 16,
        concurrency: ENGINE_PARALLEL,
        reps: 1,
        decompositionN: 8,
        decompositionReps: 1,
        motoN: 8,
        motoReps: 1,
      },
      engine: { sizes: [3, 6], reps: 1, naiveCount: 2, pluginFace: { n: 3, reps: 1 } },
      settings: { sizes: [3], reps: 1, settings: [...SETTING_IDS] },
      quota: {
        scenarios: [
          {
            name: "Cognito's quota",
            users: 40,
            settings: ["default", "both"],
            followUps: true,
            whatIfs: true,
            setRatePerSecond: 25,
            readRatePerSecond: 120,
            reps: 1,
            withFloor: true,
          },
          {
            name: "scaled-down quota",
            users: 15,
            settings: ["default"],
            followUps: false,
            whatIfs: false,
            setRatePerSecond: 5,
            readRatePerSecond: 24,
            reps: 1,
            withFloor: false,
          },
        ],
        pacing: pacingScenarios("quick"),
        concurrency: ENGINE_PARALLEL,
      },
    };
  }
  const sizes = (env.BENCH_ENGINE_SIZES ?? "")
    .split(",")
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const settingsSizes = (env.BENCH_SETTINGS_SIZES ?? "")
    .split(",")
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const budget = Number(env.BENCH_BUDGET_MINUTES);
  return {
    mode,
    budgetMinutes: Number.isFinite(budget) && budget > 0 ? budget : 32,
    quotaReserveMinutes: 16,
    settingsReserveMinutes: 8,
    only,
    overhead: {
      n: 500,
      concurrency: ENGINE_PARALLEL,
      reps: 3,
      decompositionN: 100,
      decompositionReps: 2,
      motoN: 200,
      motoReps: 2,
    },
    engine: {
      sizes: sizes.length > 0 ? sizes : [50, 100, 200, 400],
      reps: 2,
      naiveCount: 5,
      pluginFace: { n: 100, reps: 2 },
    },
    settings: { sizes: settingsSizes.length > 0 ? settingsSizes : [100, 400], reps: 2, settings: [...SETTING_IDS] },
    quota: {
      scenarios: [
        {
          name: "Cognito's quota",
          users: 300,
          settings: [...SETTING_IDS],
          followUps: true,
          whatIfs: true,
          setRatePerSecond: 25,
          readRatePerSecond: 120,
          reps: 2,
          withFloor: true,
        },
        // Same proportions, 5x lower: below what the engine achieves on a 2-core machine, so
        // the provider's limiter and retries are actually exercised.
        {
          name: "scaled-down quota",
          users: 100,
          settings: ["default"],
          followUps: false,
          whatIfs: false,
          setRatePerSecond: 5,
          readRatePerSecond: 24,
          reps: 1,
          withFloor: false,
        },
      ],
      pacing: pacingScenarios("full"),
      concurrency: ENGINE_PARALLEL,
    },
  };
}

/**
 * Issue 17's figures: one stack at the quota (skip checkpoints; the default setting beside the
 * engine's own unthrottled pace), two stacks sharing one quota, 2,000 users (full mode only:
 * about 80 s of seeding at 25 per second, plus a pool of its own), a raised quota of 100 per
 * second with `setsPerSecond: 100` beside the engine's floor. Quick mode: every kind once, tiny.
 */
function pacingScenarios(mode: Mode): PacingScenario[] {
  const quick = mode === "quick";
  const common = {
    stacks: 1,
    setting: "skipCheckpoints" as const,
    setRatePerSecond: 25,
    readRatePerSecond: 120,
    unthrottled: false,
    withFloor: false,
    peakRss: false,
    ownPool: false,
    reps: quick ? 1 : 2,
  };
  const scenarios: PacingScenario[] = [
    { ...common, id: "single", users: quick ? 40 : 300 },
    { ...common, id: "default", users: quick ? 40 : 300, setting: "default", unthrottled: true },
    { ...common, id: "twoStacks", stacks: 2, users: quick ? 20 : 150 },
    {
      ...common,
      id: "raised",
      users: quick ? 60 : 300,
      setRatePerSecond: 100,
      setsPerSecond: 100,
      unthrottled: true,
      withFloor: true,
    },
  ];
  if (!quick)
    scenarios.push({
      ...common,
      id: "large",
      users: 2000,
      // Beside it, the engine's own pace for 2,000 (cognito-local's cost per write grows with the pool).
      unthrottled: true,
      peakRss: true,
      ownPool: true,
      reps: 1,
    });
  return scenarios;
}
