/**
 * The figures a run's raw results yield: medians of within-repetition ratios, scaling between
 * sizes, the quota runs of one side and setting. The targets (targets.ts) and the report's
 * tables (report.ts) both read them from here, so a figure is computed in one place.
 */
import type { EngineResult, EngineSide, Phase, SizeResult } from "../engine-scaling";
import type { SettingsPhase, SettingsResult, SettingsSizeResult } from "../engine-settings";
import type { OverheadComparison } from "../provider-overhead";
import type { PacingRun, PacingScenarioResult, PacingSide, QuotaRun, QuotaScenarioResult, QuotaSide } from "../quota";
import { ENGINE_SETTINGS, type EngineSettingId } from "./config";
import { median, ratios } from "./stats";

export const PHASES: readonly Phase[] = ["create", "noChange", "refresh"];
export const PHASE_LABEL: Record<Phase, string> = {
  create: "`up` (create)",
  noChange: "`up` (no change)",
  refresh: "`refresh`",
};
export const SET_OP = "AdminSetUserPassword";

export const settingLabel = (id: EngineSettingId): string => ENGINE_SETTINGS[id].label;

/** A ratio and the linear scaling it is judged against (the ratio of the two sizes). */
export interface Scaling {
  ratio: number;
  linear: number;
  pair: [number, number];
}

/** Median ratio to the baseline of one side of an overhead comparison. */
export function sideRatio(c: OverheadComparison, id: string): number {
  return median(c.sides.find((s) => s.id === id)?.ratio ?? []);
}

/** Ratio per N of a phase: median over repetitions of userPassword[i] / noop[i]. */
export function phaseRatio(size: SizeResult, phase: Phase): number {
  const p = size.phases[phase];
  return median(ratios(p.ms.userPassword, p.ms.noop));
}

/** The sizes the scaling figure compares: the largest, and the one a quarter of it (else the smallest). */
export function scalingPair(sizes: number[]): [number, number] | undefined {
  if (sizes.length < 2) return undefined;
  const big = Math.max(...sizes);
  const quarter = sizes.find((s) => s * 4 === big);
  return [quarter ?? Math.min(...sizes), big];
}

/** time(big) / time(small) of the median times of one phase and side. */
export function engineScaling(e: EngineResult, phase: Phase, side: EngineSide): Scaling | undefined {
  const pair = scalingPair(e.sizes.map((s) => s.n));
  if (!pair) return undefined;
  const t = (n: number) => median(e.sizes.find((s) => s.n === n)?.phases[phase].ms[side] ?? []);
  return { ratio: t(pair[1]) / t(pair[0]), linear: pair[1] / pair[0], pair };
}

/** Median over repetitions of ms[a][i] / ms[b][i] (same repetition), each a (setting, side). */
export function settingsRatio(
  size: SettingsSizeResult,
  phase: SettingsPhase,
  a: [EngineSettingId, EngineSide],
  b: [EngineSettingId, EngineSide],
): number {
  return median(ratios(size.ms[phase][a[0]]?.[a[1]] ?? [], size.ms[phase][b[0]]?.[b[1]] ?? []));
}

export const smallestSize = (r: SettingsResult) => r.sizes.reduce((a, b) => (b.n < a.n ? b : a));
export const largestSize = (r: SettingsResult) => r.sizes.reduce((a, b) => (b.n > a.n ? b : a));

/** time(largest N) / time(smallest N) of one setting and side (medians). */
export function settingsScaling(
  r: SettingsResult,
  phase: SettingsPhase,
  setting: EngineSettingId,
  side: EngineSide,
): Scaling | undefined {
  if (r.sizes.length < 2) return undefined;
  const [small, big] = [smallestSize(r), largestSize(r)];
  const t = (s: SettingsSizeResult) => median(s.ms[phase][setting]?.[side] ?? []);
  return { ratio: t(big) / t(small), linear: big.n / small.n, pair: [small.n, big.n] };
}

/** The runs of one side; for the engine and no-op sides, under one engine setting. */
export function runsOf(q: QuotaScenarioResult, side: QuotaSide, setting?: EngineSettingId): QuotaRun[] {
  return q.runs.filter((r) => r.side === side && (setting === undefined || r.setting === setting));
}

/** Median of `f(run) / quota` over runs. */
export function perQuota(q: QuotaScenarioResult, runs: QuotaRun[], f: (run: QuotaRun) => number): number {
  return median(runs.map((x) => f(x) / q.setRatePerSecond));
}

/** An engine setting's quota figures: throughput while seeding, end to end, failures (worst run), floor. */
export function quotaFigures(q: QuotaScenarioResult, setting: EngineSettingId) {
  const runs = runsOf(q, "engine", setting);
  return {
    window: perQuota(q, runs, (x) => x.windowRps),
    e2e: perQuota(q, runs, (x) => x.endToEndRps),
    failed: runs.length === 0 ? NaN : Math.max(...runs.map((x) => x.failed + (x.error ? 1 : 0))),
    floor: perQuota(q, runsOf(q, "noop", setting), (x) => x.endToEndRps),
    throttled: medianTable(runs.map((x) => x.throttled)),
  };
}

/** The setting with the highest throughput while seeding among those with no failure (else among all). */
export function bestQuotaSetting(q: QuotaScenarioResult): EngineSettingId | undefined {
  const all = q.settings.map((id) => ({ id, ...quotaFigures(q, id) })).filter((x) => Number.isFinite(x.window));
  const clean = all.filter((x) => x.failed === 0);
  return (clean.length > 0 ? clean : all).sort((a, b) => b.window - a.window)[0]?.id;
}

/** The engine runs that did a no-change `up` and a `refresh` afterwards. */
export const followUpRuns = (q: QuotaScenarioResult) => q.runs.filter((x) => x.side === "engine" && x.followUps);

/** Per key, the median over tables (a missing key counts 0). */
export function medianTable(tables: Array<Record<string, number>>): Record<string, number> {
  const keys = [...new Set(tables.flatMap((t) => Object.keys(t)))];
  return Object.fromEntries(keys.map((k) => [k, median(tables.map((t) => t[k] ?? 0))]));
}

/** "AdminGetUser 1, AdminSetUserPassword 1", or "none". */
export function describeCalls(calls: Record<string, number>): string {
  const entries = Object.entries(calls).filter(([, v]) => v > 0);
  return entries.length === 0 ? "none" : entries.map(([k, v]) => `${k} ${v}`).join(", ");
}

// Issue 17's pacing scenarios: medians over repetitions, failures the worst repetition's.

export const pacingRunsOf = (q: PacingScenarioResult, side: PacingSide): PacingRun[] =>
  q.runs.filter((r) => r.side === side);

/**
 * A run's admitted sets per second while seeding / the proxy's quota; NaN when not measured (a
 * no-op run, or fewer sets than the first second's burst: the raw JSON holds null for NaN).
 */
export const pacingWindow = (q: PacingScenarioResult, r: PacingRun): number =>
  Number.isFinite(r.windowRps) ? r.windowRps / q.setRatePerSecond : NaN;

/** Median admitted sets per second while seeding / the proxy's quota, of one side. */
export const pacingSeeding = (q: PacingScenarioResult, side: PacingSide = "engine"): number =>
  median(pacingRunsOf(q, side).map((r) => pacingWindow(q, r)));

/**
 * The engine's own pace as the reference a paced run is judged against, taken within each
 * repetition (paced minus unthrottled, median over repetitions) as every ratio of the run is:
 * returned as the value the median paced run would be compared with; NaN without that side.
 */
export function pacingReference(q: PacingScenarioResult): number {
  const paced = pacingRunsOf(q, "engine").map((r) => pacingWindow(q, r));
  const own = pacingRunsOf(q, "unthrottled").map((r) => pacingWindow(q, r));
  const n = Math.min(paced.length, own.length);
  if (n === 0) return NaN;
  const gaps = Array.from({ length: n }, (_, i) => (paced[i] as number) - (own[i] as number));
  return median(paced) - median(gaps);
}

/** Failed resources in the worst repetition, every stack; a stack whose `up` errored counts one more. */
export const pacingFailed = (q: PacingScenarioResult): number =>
  Math.max(
    ...pacingRunsOf(q, "engine").map((r) =>
      r.stacks.reduce((n, s) => n + s.failed + (s.error && s.failed === 0 ? 1 : 0), 0),
    ),
  );

/** The engine floor (no-op users per second, end to end) / quota. */
export const pacingFloor = (q: PacingScenarioResult): number =>
  median(pacingRunsOf(q, "noop").map((r) => r.endToEndRps / q.setRatePerSecond));

/** Throttled requests (sets and reads) per user, median over repetitions. */
export const pacingThrottledPerUser = (q: PacingScenarioResult): number =>
  median(
    pacingRunsOf(q, "engine").map((r) => Object.values(r.throttled).reduce((a, b) => a + b, 0) / (q.users * q.stacks)),
  );

/** "2 stacks × 20 users, quota 25 sets/s, `setsPerSecond: 100`, `PULUMI_SKIP_CHECKPOINTS=true`". */
export function pacingLabel(q: PacingScenarioResult): string {
  const who = q.stacks > 1 ? `${q.stacks} stacks × ${q.users} users` : `${q.users} users`;
  const pace = q.setsPerSecond ? `, \`setsPerSecond: ${q.setsPerSecond}\`` : "";
  return `${who}, quota ${q.setRatePerSecond} sets/s${pace}, ${settingLabel(q.setting)}`;
}
