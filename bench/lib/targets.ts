/**
 * The benchmark targets: one typed table, the single source of the targets table at the top of
 * results.md and of every verdict. `targetText` renders a target ("≤ 1.20", "≥ 0.90", "≤ 2 KB", "0"),
 * `judge` compares a measured value with it.
 */
import { formatBytes, formatRatio } from "./stats";

/** "report": a figure shown in the targets table without a bound (no verdict). */
export type Comparison = "atMost" | "atLeast" | "equal" | "report";
export type Unit = "ratio" | "bytes" | "count";

export interface Target {
  /** The section of results.md (the "#" column). */
  section: number;
  /** What is measured, as the report's figure column words it. */
  figure: string;
  comparison: Comparison;
  target: number;
  unit: Unit;
  /** The bound is `target` × the linear scaling (the ratio of the two sizes compared). */
  timesLinear?: true;
  /** The figure is measured at several N and every one must meet the target. */
  atEveryN?: true;
  /**
   * Also met within `margin` below a reference measured beside it in the same run (`reference`
   * names it), where that reference is itself below the target: e.g. the engine's own pace.
   */
  orWithin?: { margin: number; reference: string };
}

export const TARGETS = {
  providerCreateOverhead: {
    section: 1,
    figure: "`create` via `userPasswordProvider` / bare AdminSetUserPassword",
    comparison: "atMost",
    target: 1.2,
    unit: "ratio",
  },
  createApiCalls: {
    section: 1,
    figure: "API calls per `create` (floor: 1, plus 1 DescribeUserPool per pool per run)",
    comparison: "equal",
    target: 1,
    unit: "count",
  },
  engineOverhead: {
    section: 2,
    figure: "UserPassword / no-op",
    comparison: "atMost",
    target: 1.3,
    unit: "ratio",
    atEveryN: true,
  },
  engineScaling: {
    section: 2,
    figure: "time(largest N) / time(a quarter of it), UserPassword",
    comparison: "atMost",
    target: 1.1,
    unit: "ratio",
    timesLinear: true,
  },
  stateSize: {
    section: 3,
    figure: "state per UserPassword resource",
    comparison: "atMost",
    target: 2048,
    unit: "bytes",
  },
  quotaFailed: {
    section: 4,
    figure: "failed resources",
    comparison: "equal",
    target: 0,
    unit: "count",
  },
  quotaSeeding: {
    section: 4,
    figure: "throughput while seeding / quota",
    comparison: "atLeast",
    target: 0.9,
    unit: "ratio",
  },
  quotaBestSeeding: {
    section: 4,
    figure: "throughput while seeding / quota",
    comparison: "atLeast",
    target: 0.95,
    unit: "ratio",
  },
  quotaFollowUpSets: {
    section: 4,
    figure: "AdminSetUserPassword requests",
    comparison: "equal",
    target: 0,
    unit: "count",
  },
  // Issue 17: seeding at Cognito's quota with the library's pacer (bench/quota.ts, pacing scenarios).
  pacingSingle: {
    section: 4,
    figure: "one stack, `PULUMI_SKIP_CHECKPOINTS=true`: sets per second while seeding / quota",
    comparison: "atLeast",
    target: 0.97,
    unit: "ratio",
  },
  pacingDefault: {
    section: 4,
    figure: "one stack, default engine setting: sets per second while seeding / quota",
    comparison: "atLeast",
    target: 0.9,
    unit: "ratio",
    orWithin: { margin: 0.05, reference: "the engine's own pace, nothing throttling, pacer out of the way" },
  },
  pacingTwoStacks: {
    section: 4,
    figure:
      "two stacks at once, one quota, `PULUMI_SKIP_CHECKPOINTS=true`: combined sets per second while seeding / quota",
    comparison: "atLeast",
    target: 0.9,
    unit: "ratio",
  },
  pacingLarge: {
    section: 4,
    figure: "2,000 users, `PULUMI_SKIP_CHECKPOINTS=true`: sets per second while seeding / quota",
    comparison: "atLeast",
    target: 0.95,
    unit: "ratio",
  },
  pacingFailed: {
    section: 4,
    figure: "failed resources (every stack)",
    comparison: "equal",
    target: 0,
    unit: "count",
  },
  pacingPeakRss: {
    section: 4,
    figure: "peak RSS of the dynamic provider process, 2,000 users",
    comparison: "report",
    target: 0,
    unit: "bytes",
  },
  pacingRaised: {
    section: 4,
    figure: "raised quota of 100 per second, `setsPerSecond: 100`, `PULUMI_SKIP_CHECKPOINTS=true`: reached / quota",
    comparison: "report",
    target: 0,
    unit: "ratio",
  },
  pacingThrottledPerUser: {
    section: 4,
    figure: "throttled requests per user (AdminSetUserPassword + AdminGetUser)",
    comparison: "report",
    target: 0,
    unit: "ratio",
  },
  settingsScaling: {
    section: 6,
    figure: "`up` (create) time(largest N) / time(smallest N), UserPassword, per engine setting",
    comparison: "atMost",
    target: 1.1,
    unit: "ratio",
    timesLinear: true,
  },
} as const satisfies Record<string, Target>;

export type TargetId = keyof typeof TARGETS;

export interface Verdict {
  text: string;
  met: boolean | undefined;
}

/** The bound a value is compared with; `linear` is required by targets relative to linear scaling. */
export function bound(t: Target, linear?: number): number {
  if (!t.timesLinear) return t.target;
  if (linear === undefined) throw new Error(`target "${t.figure}" is relative to linear scaling: pass it`);
  return t.target * linear;
}

function formatValue(unit: Unit, v: number): string {
  if (unit === "ratio") return formatRatio(v);
  if (unit === "bytes") return v % 1024 === 0 ? `${v / 1024} KB` : formatBytes(v);
  return String(v);
}

/** "≤ 1.20", "≥ 0.90", "≤ 2 KB", "≤ 1.30 at every N", "0". */
export function targetText(t: Target, linear?: number): string {
  if (t.comparison === "report") return "(report)";
  const b = bound(t, linear);
  const sign = t.comparison === "atMost" ? "≤ " : t.comparison === "atLeast" ? "≥ " : "";
  const or = t.orWithin ? `, or within ${formatValue(t.unit, t.orWithin.margin)} of ${t.orWithin.reference}` : "";
  return `${sign}${formatValue(t.unit, b)}${t.atEveryN ? " at every N" : ""}${or}`;
}

/**
 * "met", "**missed** by 0.12 (13.3 % short)", "**missed**" (equal), "not measured"; "" for a
 * reported figure. `reference` is the figure a target with `orWithin` may be within of.
 */
export function judge(t: Target, value: number, linear?: number, reference?: number): Verdict {
  if (t.comparison === "report") return { text: "", met: undefined };
  if (!Number.isFinite(value)) return { text: "not measured", met: undefined };
  const b = bound(t, linear);
  if (t.orWithin && reference !== undefined && Number.isFinite(reference) && reference < b) {
    const floor = reference - t.orWithin.margin;
    if (value >= b) return { text: "met", met: true };
    if (value >= reference) return { text: `met: at or above ${formatValue(t.unit, reference)}`, met: true };
    if (value >= floor)
      return {
        text: `met: within ${formatValue(t.unit, t.orWithin.margin)} of ${formatValue(t.unit, reference)}`,
        met: true,
      };
    return {
      text: `**missed** by ${formatValue(t.unit, floor - value)} (below ${formatValue(t.unit, reference)} − ${formatValue(t.unit, t.orWithin.margin)})`,
      met: false,
    };
  }
  if (t.comparison === "equal") return value === b ? { text: "met", met: true } : { text: "**missed**", met: false };
  const over = t.comparison === "atMost";
  if (over ? value <= b : value >= b) return { text: "met", met: true };
  const diff = Math.abs(value - b);
  const by =
    t.unit === "bytes"
      ? formatBytes(diff)
      : t.unit === "ratio" && diff < 0.01
        ? diff.toFixed(3)
        : formatValue(t.unit, diff);
  const pct = over ? `${((value / b - 1) * 100).toFixed(1)} % over` : `${((1 - value / b) * 100).toFixed(1)} % short`;
  return { text: `**missed** by ${by} (${pct})`, met: false };
}
