/**
 * Benchmark 6: the engine's settings side by side (issue: seeding at Cognito's limit).
 * `pulumi up` (create) and a no-change `up` of N UserPasswords and of N no-op dynamic
 * resources under each engine setting of bench/lib/config.ts (default, `--parallel 32`,
 * `PULUMI_SKIP_CHECKPOINTS=true`, both), same engine, file backend and passphrase secrets,
 * against cognito-local. Every (setting, resource) pair is one side: the sides alternate in an
 * order that rotates every repetition, with fresh stacks every repetition, so each setting's
 * figures are ratios to the default's measured in the same repetition. Reported: per-setting
 * time(big)/time(small) (linear is big/small), speed-up over the default, and UserPassword /
 * no-op (the provider's own share, under each setting).
 */
import type * as automation from "@pulumi/pulumi/automation";
import type { Emulator } from "../test/harness/emulators";
import { startEngine } from "../test/harness/engine";
import { ENGINE_SETTINGS, type EngineSetting, type EngineSettingId, type SettingsConfig } from "./lib/config";
import { AWS_ENV, passwordFactory } from "./lib/library";
import { seedPool } from "./lib/seed";
import { applySetting, parallelOf } from "./lib/settings";
import { interleavedOrder, log, nowMs, timed } from "./lib/stats";
import { runPhase, verify, type EngineSide } from "./engine-scaling";
import { program, type Seed } from "./programs/programs";

export type SettingsPhase = "create" | "noChange";
export const SETTINGS_PHASES: readonly SettingsPhase[] = ["create", "noChange"];
const SIDES: readonly EngineSide[] = ["userPassword", "noop"];

export interface SettingsSizeResult {
  n: number;
  reps: number;
  skippedForTime: number;
  /** ms per repetition: [phase][setting][side]. */
  ms: Record<SettingsPhase, Partial<Record<EngineSettingId, Record<EngineSide, number[]>>>>;
}

export interface SettingsResult {
  settings: EngineSetting[];
  /** Users in the shared pool (a run of N uses the first N). */
  poolSize: number;
  reps: number;
  sizes: SettingsSizeResult[];
}

interface Combo {
  setting: EngineSetting;
  side: EngineSide;
}

export async function runEngineSettings(
  config: SettingsConfig,
  cognitoLocal: Emulator,
  deadline = Infinity,
): Promise<SettingsResult> {
  const engine = await startEngine({ prefix: "bench-settings", extraEnv: AWS_ENV });
  const settings = config.settings.map((id) => ENGINE_SETTINGS[id]);
  const combos: Combo[] = settings.flatMap((setting) => SIDES.map((side) => ({ setting, side })));
  const sizes: SettingsSizeResult[] = [];
  let poolSize = 0;
  try {
    for (const n of config.sizes) {
      const seeded = await seedPool(cognitoLocal.endpoint, n);
      poolSize = seeded.poolSize;
      const seed: Seed = {
        userPoolId: seeded.pool.userPoolId,
        endpoint: cognitoLocal.endpoint,
        region: AWS_ENV.AWS_REGION as string,
        usernames: seeded.usernames,
        password: passwordFactory(),
      };
      const empty = () =>
        Object.fromEntries(settings.map((s) => [s.id, { userPassword: [] as number[], noop: [] as number[] }]));
      const result: SettingsSizeResult = { n, reps: 0, skippedForTime: 0, ms: { create: empty(), noChange: empty() } };
      let lastRepMs = 0;
      for (let rep = 0; rep < config.reps; rep++) {
        if (rep > 0 && nowMs() + lastRepMs > deadline) {
          result.skippedForTime = config.reps - rep;
          log(`settings n=${n}: skipping ${result.skippedForTime} repetition(s) to stay within the time budget`);
          break;
        }
        const repStart = nowMs();
        const stacks = new Map<Combo, automation.Stack>();
        for (const combo of combos) {
          const stack = await engine.stack({
            projectName: `settings-${combo.side.toLowerCase()}`,
            stackName: `n${n}-r${rep}-${combo.setting.id}`,
            program: program(combo.side, seed),
          });
          stacks.set(combo, applySetting(stack, combo.setting));
        }
        const order = interleavedOrder(combos, rep);
        for (const phase of SETTINGS_PHASES) {
          for (const combo of order) {
            const stack = stacks.get(combo) as automation.Stack;
            const { ms, value: summary } = await timed(() => runPhase(stack, phase, parallelOf(combo.setting)));
            verify(`${combo.side} (${combo.setting.id})`, phase, n, summary);
            (result.ms[phase][combo.setting.id] as Record<EngineSide, number[]>)[combo.side].push(ms);
            log(
              `settings n=${n} rep ${rep + 1}/${config.reps}: ${combo.setting.id} ${combo.side} ${phase} ${(ms / 1000).toFixed(2)} s`,
            );
          }
        }
        result.reps++;
        lastRepMs = nowMs() - repStart;
      }
      sizes.push(result);
    }
    return { settings, poolSize, reps: config.reps, sizes };
  } finally {
    if (!process.env.BENCH_KEEP_ENGINE_DIR) engine.cleanup();
    else log(`engine dir kept: ${engine.dir}`);
  }
}
