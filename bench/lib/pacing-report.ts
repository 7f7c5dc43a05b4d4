/**
 * Issue 17's figures (seeding at Cognito's quota with the library's pacer): rows for the targets
 * table, each judged by its entry in targets.ts, and the section's table of every side. Figures
 * are medians over repetitions; failures are the worst repetition's.
 */
import type { PacingRun, PacingScenarioResult, PacingSide } from "../quota";
import { ENGINE_SETTINGS } from "./config";
import { formatBytes, formatMs, formatRatio, median } from "./stats";
import { judge, targetText, TARGETS as T, type Target } from "./targets";

const runsOf = (q: PacingScenarioResult, side: PacingSide): PacingRun[] => q.runs.filter((r) => r.side === side);

/** Median admitted sets per second while seeding / the proxy's quota. */
const seeding = (q: PacingScenarioResult, side: PacingSide = "engine"): number =>
  median(runsOf(q, side).map((r) => r.windowRps / q.setRatePerSecond));

/**
 * The engine's own pace as the reference a paced run is judged against, taken within each
 * repetition (paced minus unthrottled, median over repetitions) as every ratio of the run is:
 * returned as the value the median paced run would be compared with.
 */
function pairedReference(q: PacingScenarioResult): number {
  const paced = runsOf(q, "engine").map((r) => r.windowRps / q.setRatePerSecond);
  const own = runsOf(q, "unthrottled").map((r) => r.windowRps / q.setRatePerSecond);
  const n = Math.min(paced.length, own.length);
  const gaps = Array.from({ length: n }, (_, i) => (paced[i] as number) - (own[i] as number));
  return median(paced) - median(gaps);
}

/** Failed resources in the worst repetition, every stack; a stack whose `up` errored counts one more. */
const failed = (q: PacingScenarioResult): number =>
  Math.max(
    ...runsOf(q, "engine").map((r) => r.stacks.reduce((n, s) => n + s.failed + (s.error && s.failed === 0 ? 1 : 0), 0)),
  );

/** The engine floor (no-op users per second, end to end) / quota. */
const floor = (q: PacingScenarioResult): number =>
  median(runsOf(q, "noop").map((r) => r.endToEndRps / q.setRatePerSecond));

/** Throttled requests (sets and reads) per user, median over repetitions. */
const throttledPerUser = (q: PacingScenarioResult): number =>
  median(runsOf(q, "engine").map((r) => Object.values(r.throttled).reduce((a, b) => a + b, 0) / (q.users * q.stacks)));

function label(q: PacingScenarioResult): string {
  const who = q.stacks > 1 ? `${q.stacks} stacks × ${q.users} users` : `${q.users} users`;
  const pace = q.setsPerSecond ? `, \`setsPerSecond: ${q.setsPerSecond}\`` : "";
  return `${who}, quota ${q.setRatePerSecond} sets/s${pace}, ${ENGINE_SETTINGS[q.setting].label}`;
}

function near(value: number, target: number): string {
  return Math.abs(value - target) < 0.01 ? value.toFixed(3) : formatRatio(value);
}

const THROUGHPUT_TARGET: Partial<Record<PacingScenarioResult["id"], Target>> = {
  single: T.pacingSingle,
  default: T.pacingDefault,
  twoStacks: T.pacingTwoStacks,
  large: T.pacingLarge,
};

/** Rows of the targets table: [#, figure, target, measured, verdict]. */
export function pacingTargetRows(scenarios: readonly PacingScenarioResult[]): string[][] {
  const rows: string[][] = [];
  for (const q of scenarios) {
    const value = seeding(q);
    const t = THROUGHPUT_TARGET[q.id];
    if (t) {
      const reference = q.unthrottled ? pairedReference(q) : undefined;
      const v = judge(t, value, undefined, reference);
      rows.push([
        String(t.section),
        `${t.figure} (${label(q)})`,
        targetText(t),
        `${near(value, t.target)}${q.unthrottled ? ` (engine's own pace: ${formatRatio(seeding(q, "unthrottled"))})` : ""}`,
        v.text,
      ]);
    } else if (q.id === "raised") {
      const f = floor(q);
      rows.push([
        String(T.pacingRaised.section),
        T.pacingRaised.figure,
        targetText(T.pacingRaised),
        formatRatio(value),
        `${q.unthrottled ? `engine's own pace (nothing throttling, pacer out of the way): ${formatRatio(seeding(q, "unthrottled"))}; ` : ""}engine floor (no-op users/s, end to end) / quota: ${formatRatio(f)}`,
      ]);
    }
    const nFailed = failed(q);
    rows.push([
      String(T.pacingFailed.section),
      `${T.pacingFailed.figure} (${label(q)})`,
      targetText(T.pacingFailed),
      String(nFailed),
      judge(T.pacingFailed, nFailed).text,
    ]);
    rows.push([
      String(T.pacingThrottledPerUser.section),
      `${T.pacingThrottledPerUser.figure} (${label(q)})`,
      targetText(T.pacingThrottledPerUser),
      throttledPerUser(q).toFixed(3),
      "",
    ]);
    if (q.peakRss) {
      const kib = median(runsOf(q, "engine").map((r) => r.providerPeakKiB ?? NaN));
      rows.push([
        String(T.pacingPeakRss.section),
        `${T.pacingPeakRss.figure} (${label(q)})`,
        targetText(T.pacingPeakRss),
        Number.isFinite(kib) ? formatBytes(kib * 1024) : "not measured",
        "",
      ]);
    }
  }
  return rows;
}

const SIDE_LABEL: Record<PacingSide, string> = {
  engine: "`pulumi up`, UserPassword (the library's pacer)",
  unthrottled: "`pulumi up`, UserPassword, nothing throttling, pacer out of the way (the engine's own pace)",
  noop: "`pulumi up`, no-op (floor)",
};

function calls(table: Record<string, number>): string {
  const entries = Object.entries(table).filter(([, n]) => n > 0);
  return entries.length === 0 ? "none" : entries.map(([op, n]) => `${op} ${n}`).join(", ");
}

/** The section: what was run, then one row per side and repetition. */
export function renderPacing(scenarios: readonly PacingScenarioResult[]): string {
  const out: string[] = [
    "### Seeding with the library's pacer (issue 17)",
    "",
    "The library paces AdminSetUserPassword per account and region per provider process at `setsPerSecond` (default 25), AdminGetUser at 120 and DescribeUserPool at 15 per second, and gives way on a throttle (src/cognito/pacer.ts). " +
      "Each side is a fresh `pulumi up` (creates) through the proxy's buckets; two stacks run their `up`s at the same time through the same buckets (one quota). " +
      '"The engine\'s own pace" is the same `up` with no bucket and `setsPerSecond` far above any quota. Throughput while seeding as above; failed resources counted over every stack.',
    "",
  ];
  for (const q of scenarios) {
    out.push(`#### ${label(q)}, ${q.reps} repetition(s), pool of ${q.poolSize} users`, "");
    const header = [
      "side",
      "time",
      "succeeded",
      "failed",
      "throughput while seeding / quota",
      "end to end / quota",
      "throttled",
      "provider peak RSS",
    ];
    const rows = q.runs.map((r) => [
      SIDE_LABEL[r.side],
      formatMs(r.ms),
      r.stacks.map((s) => String(s.succeeded)).join(" + "),
      `${r.stacks.map((s) => String(s.failed)).join(" + ")}${r.stacks.some((s) => s.error) ? " (error)" : ""}`,
      r.side === "noop" ? "–" : formatRatio(r.windowRps / q.setRatePerSecond),
      formatRatio(r.endToEndRps / q.setRatePerSecond),
      r.side === "noop" ? "–" : calls(r.throttled),
      r.providerPeakKiB !== undefined && Number.isFinite(r.providerPeakKiB)
        ? formatBytes(r.providerPeakKiB * 1024)
        : "–",
    ]);
    const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
    out.push(line(header), line(header.map(() => "---")), ...rows.map(line), "");
    for (const r of q.runs)
      for (const s of r.stacks) if (s.error) out.push(`- ${SIDE_LABEL[r.side]}: \`${s.error.split("\n")[0]}\``);
  }
  return out.join("\n");
}
