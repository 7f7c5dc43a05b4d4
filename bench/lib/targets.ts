/**
 * The benchmark targets: one typed table, the single source of the targets table at the top of
 * results.md and of every verdict. `targetText` renders a target ("≤ 1.20", "≥ 0.90", "≤ 2 KB", "0"),
 * `judge` compares a measured value with it.
 */
import { formatBytes, formatRatio } from "./stats";

export type Comparison = "atMost" | "atLeast" | "equal";
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
  const b = bound(t, linear);
  const sign = t.comparison === "atMost" ? "≤ " : t.comparison === "atLeast" ? "≥ " : "";
  return `${sign}${formatValue(t.unit, b)}${t.atEveryN ? " at every N" : ""}`;
}

/** "met", "**missed** by 0.12 (13.3 % short)", "**missed**" (equal), "not measured". */
export function judge(t: Target, value: number, linear?: number): Verdict {
  if (!Number.isFinite(value)) return { text: "not measured", met: undefined };
  const b = bound(t, linear);
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
