/**
 * The benchmark figures: one typed table, the single source of the targets table at the top of
 * results.md and of every verdict. Each figure says what it measures, its target, and how to
 * read its value(s) from a run's raw results; adding a figure is adding one entry to a group.
 * `targetText` renders a target ("≤ 1.20", "≥ 0.90", "≤ 2 KB", "0", "(report)"), `judge`
 * compares a measured value with it.
 */
import type { EngineResult, FaceSide, PluginFaceResult } from "../engine-scaling";
import type { SettingsResult } from "../engine-settings";
import type { OverheadResult } from "../provider-overhead";
import type { PacingScenarioResult, QuotaScenarioResult } from "../quota";
import * as m from "./measures";
import type { BenchResults } from "./results";
import { formatBytes, formatRatio, median } from "./stats";

export type Comparison = "atMost" | "atLeast" | "equal" | "report";
export type Unit = "ratio" | "bytes" | "count";

export interface Target {
  /** The section of results.md (the "#" column). */
  section: number;
  /** What is measured, as the report's figure column words it. */
  figure: string;
  comparison: Comparison;
  /** The bound (unused for "report": a figure reported without a target). */
  target: number;
  unit: Unit;
  /** The bound is `target` × the linear scaling (the ratio of the two sizes compared). */
  timesLinear?: true;
  /** The figure is measured at several N and every one must meet the target. */
  atEveryN?: true;
  /** The target column of a "report" figure, when not "(report)". */
  label?: string;
  /**
   * Also met within `margin` below a reference measured beside it in the same run (`reference`
   * names it), where that reference is itself below the target: e.g. the engine's own pace.
   */
  orWithin?: { margin: number; reference: string };
}

/** One row of the targets table: a figure measured at one place. */
export interface Measured {
  /** The figure column. */
  label: string;
  /** The value judged against the target (NaN: not measured). */
  value: number;
  /** The measured column, when not the value itself. */
  shown?: string;
  /** The linear scaling, for `timesLinear` targets. */
  linear?: number;
  /** The verdict column, when not `judge`'s. */
  verdict?: string;
  /** The figure an `orWithin` target may be within of (NaN or absent: judged on the target alone). */
  reference?: number;
}

export interface Figure<S> extends Target {
  measure(scope: S, self: Target): Measured[];
}

export interface Verdict {
  text: string;
  met: boolean | undefined;
}

/** A row of the targets table, as rendered. */
export type TargetRow = [section: string, figure: string, target: string, measured: string, verdict: string];

/** Figures over the scopes one part of the results offers (every quota scenario, the engine result, ...). */
interface Group {
  rows(r: BenchResults): TargetRow[];
}

function group<S>(scopes: (r: BenchResults) => S[], figures: Array<Figure<S>>): Group {
  return { rows: (r) => scopes(r).flatMap((s) => figures.flatMap((f) => f.measure(s, f).map((x) => row(f, x)))) };
}

const one = <T>(x: T | undefined): T[] => (x === undefined ? [] : [x]);
const report = (section: number, figure: string, label?: string) =>
  ({ section, figure, comparison: "report", target: NaN, unit: "ratio", ...(label ? { label } : {}) }) as const;
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const sizesOf = (e: { sizes: Array<{ n: number }> }) => e.sizes.map((s) => s.n).join(", ");

/** A quota scenario's label: "Cognito's quota: `up` of 300 users, AdminSetUserPassword ≤ 25 RPS". */
const quotaBase = (q: QuotaScenarioResult) =>
  `${q.name}: \`up\` of ${q.users} users, AdminSetUserPassword ≤ ${q.setRatePerSecond} RPS`;
const quotaDefault = (q: QuotaScenarioResult) =>
  `${quotaBase(q)}${q.settings.length > 1 ? ", default engine setting" : ""}`;
const quotaBest = (q: QuotaScenarioResult) => {
  const best = q.settings.length > 1 ? m.bestQuotaSetting(q) : undefined;
  return best ? [{ id: best, label: `${quotaBase(q)}, the best setting (${m.settingLabel(best)})` }] : [];
};

const overhead: Array<Figure<OverheadResult>> = [
  {
    section: 1,
    figure: "`create` via `userPasswordProvider` / bare AdminSetUserPassword",
    comparison: "atMost",
    target: 1.2,
    unit: "ratio",
    measure: (o, t) =>
      o.comparisons
        .filter((c) => c.kind === "target")
        .map((c) => ({
          label: `${t.figure}, ${c.emulator}, N=${c.n}, ${c.concurrency} in flight`,
          value: m.sideRatio(c, "provider"),
        })),
  },
  {
    section: 1,
    figure: "API calls per `create` (floor: 1, plus 1 DescribeUserPool per pool per run)",
    comparison: "equal",
    target: 1,
    unit: "count",
    measure: (o, t) =>
      one(o.callCounts.find((s) => s.step === "create")).map((create) => {
        const total = Object.values(create.calls).reduce((a, b) => a + b, 0);
        const verdict = judge(t, total).text;
        return {
          label: t.figure,
          value: total,
          shown: `${total} (${m.describeCalls(create.calls)})`,
          verdict: total > t.target ? `${verdict}: ${total - t.target} extra` : verdict,
        };
      }),
  },
];

/** UserPassword / no-op through the engine, at every N (also drawn in the plot). */
export const ENGINE_OVERHEAD: Figure<EngineResult> = {
  section: 2,
  figure: "UserPassword / no-op",
  comparison: "atMost",
  target: 1.3,
  unit: "ratio",
  atEveryN: true,
  measure: (e, t) =>
    m.PHASES.map((phase) => {
      const per = e.sizes.map((s) => m.phaseRatio(s, phase));
      return {
        label: `${m.PHASE_LABEL[phase]}, ${t.figure}, N = ${sizesOf(e)}`,
        value: Math.max(...per),
        shown: per.map((x) => near(x, t.target)).join(" / "),
      };
    }),
};

/** How `up` time grows with N, against linear scaling (also the bound of the engine's scaling table). */
export const ENGINE_SCALING: Figure<EngineResult> = {
  section: 2,
  figure: "time(largest N) / time(a quarter of it), UserPassword",
  comparison: "atMost",
  target: 1.1,
  unit: "ratio",
  timesLinear: true,
  measure: (e) =>
    m.PHASES.flatMap((phase) =>
      one(m.engineScaling(e, phase, "userPassword")).map((s) => ({
        label: `${m.PHASE_LABEL[phase]} time(${s.pair[1]}) / time(${s.pair[0]}), UserPassword (no-op: ${formatRatio(m.engineScaling(e, phase, "noop")?.ratio ?? NaN)})`,
        value: s.ratio,
        shown: formatRatio(s.ratio),
        linear: s.linear,
      })),
    ),
};

/** Milliseconds per resource of a plugin-face side, median over repetitions. */
const perResourceMs = (face: PluginFaceResult, side: FaceSide) => median(face.createMs[side]) / face.n;

const engine: Array<Figure<EngineResult>> = [
  ENGINE_OVERHEAD,
  ENGINE_SCALING,
  {
    ...report(2, "`up` (create) per resource: provider plugin / dynamic UserPassword / no-op"),
    measure: ({ plugin: face }, t) =>
      one(face).map((f) => {
        const ratios = f.createMs.plugin.map((ms, i) => ms / (f.createMs.userPassword[i] ?? NaN));
        return reported(
          `${t.figure}, N=${f.n}`,
          (["plugin", "userPassword", "noop"] as const)
            .map((side) => `${perResourceMs(f, side).toFixed(1)} ms`)
            .join(" / "),
          `plugin / dynamic: ${formatRatio(median(ratios))}`,
        );
      }),
  },
  {
    section: 3,
    figure: "state per UserPassword resource",
    comparison: "atMost",
    target: 2048,
    unit: "bytes",
    measure: (e, t) => {
      const biggest = e.sizes[e.sizes.length - 1];
      const state = biggest?.state.userPassword;
      return biggest && state
        ? [{ label: `${t.figure} (\`pulumi stack export\`, N=${biggest.n})`, value: state.perResourceBytes }]
        : [];
    },
  },
  {
    ...report(3, "naive provider capturing an SDK client, per resource", "(comparison)"),
    measure: ({ naive }, t) => [
      {
        label: t.figure,
        value: NaN,
        shown: naive.ok && naive.state ? formatBytes(naive.state.perResourceBytes) : "fails to serialize",
        verdict: naive.ok ? "" : "`pulumi up` fails (see section 3)",
      },
    ],
  },
  {
    section: 3,
    figure: "state per provider-plugin UserPassword resource",
    comparison: "atMost",
    target: 2048,
    unit: "bytes",
    measure: ({ plugin: face }, t) =>
      one(face?.state.plugin).map((state) => ({
        label: `${t.figure} (\`pulumi stack export\`, N=${face?.n}; dynamic: ${formatBytes(face?.state.userPassword?.perResourceBytes ?? NaN)})`,
        value: state.perResourceBytes,
      })),
  },
  {
    section: 3,
    figure: "serialized provider in the provider plugin's state (bytes per resource)",
    comparison: "equal",
    target: 0,
    unit: "count",
    measure: ({ plugin: face }, t) =>
      one(face?.state.plugin).map((state) => {
        const bytes = Number.isNaN(state.providerBytes) ? 0 : state.providerBytes;
        return {
          label: `${t.figure} (dynamic UserPassword: ${formatBytes(face?.state.userPassword?.providerBytes ?? NaN)})`,
          value: bytes,
        };
      }),
  },
];

/** Throughput while seeding 300 users under the quota, default engine setting. */
const QUOTA_SEEDING: Figure<QuotaScenarioResult> = {
  section: 4,
  figure: "throughput while seeding / quota",
  comparison: "atLeast",
  target: 0.9,
  unit: "ratio",
  measure: (q, t) => [{ label: `${quotaDefault(q)}: ${t.figure}`, value: m.quotaFigures(q, "default").window }],
};

const quota: Array<Figure<QuotaScenarioResult>> = [
  {
    section: 4,
    figure: "failed resources",
    comparison: "equal",
    target: 0,
    unit: "count",
    measure: (q, t) => [{ label: `${quotaDefault(q)}: ${t.figure}`, value: m.quotaFigures(q, "default").failed }],
  },
  QUOTA_SEEDING,
  {
    ...report(4, "end to end (engine start included) / quota"),
    measure: (q, t) => [reported(`${quotaDefault(q)}: ${t.figure}`, formatRatio(m.quotaFigures(q, "default").e2e))],
  },
  {
    ...report(4, "the engine's own floor (no-op resources, users/s) / quota"),
    measure: (q, t) => {
      if (m.runsOf(q, "noop", "default").length === 0) return [];
      const floor = m.quotaFigures(q, "default").floor;
      const note = floor < QUOTA_SEEDING.target ? "the engine alone stays under the quota on this machine" : "";
      return [reported(`${quotaDefault(q)}: ${t.figure}`, formatRatio(floor), note)];
    },
  },
  {
    ...report(4, "throttled requests seen (median per `up`)"),
    measure: (q, t) => [
      reported(`${quotaDefault(q)}: ${t.figure}`, m.describeCalls(m.quotaFigures(q, "default").throttled)),
    ],
  },
  {
    ...report(4, "failed resources / throughput while seeding / quota / engine floor (no-op users/s) / quota"),
    measure: (q, t) =>
      (q.settings.length > 1 ? q.settings.filter((x) => x !== "default") : []).map((id) => {
        const f = m.quotaFigures(q, id);
        const failed = Number.isFinite(f.failed) ? String(f.failed) : "n/a";
        return reported(
          `${quotaBase(q)}, ${m.settingLabel(id)}: ${t.figure}`,
          `${failed} / ${formatRatio(f.window)} / ${formatRatio(f.floor)}`,
        );
      }),
  },
  {
    section: 4,
    figure: "failed resources",
    comparison: "equal",
    target: 0,
    unit: "count",
    measure: (q, t) =>
      quotaBest(q).map((b) => ({ label: `${b.label}: ${t.figure}`, value: m.quotaFigures(q, b.id).failed })),
  },
  {
    section: 4,
    figure: "throughput while seeding / quota",
    comparison: "atLeast",
    target: 0.95,
    unit: "ratio",
    measure: (q, t) =>
      quotaBest(q).map((b) => ({ label: `${b.label}: ${t.figure}`, value: m.quotaFigures(q, b.id).window })),
  },
  {
    ...report(4, "what bounds it"),
    measure: (q, t) => {
      if (m.runsOf(q, "bareStandard").length + m.runsOf(q, "barePaced").length === 0) return [];
      const w = (side: "bare" | "bareStandard" | "barePaced") =>
        formatRatio(m.perQuota(q, m.runsOf(q, side), (x) => x.windowRps));
      return [
        reported(
          `${q.name}: ${t.figure}: the bare SDK, no engine, ${q.users} sets / quota (throughput while seeding): the library's client (standard retry, paced); what-ifs: standard retry, the library's client paced at the quota`,
          `${w("bare")}; ${w("bareStandard")}, ${w("barePaced")}`,
        ),
      ];
    },
  },
  {
    section: 4,
    figure: "AdminSetUserPassword requests",
    comparison: "equal",
    target: 0,
    unit: "count",
    measure: (q, t) => {
      const follow = m.followUpRuns(q);
      if (follow.length === 0) return [];
      const sets = (op: "noChange" | "refresh") =>
        Math.max(...follow.map((x) => x.followUps?.[op].arrivals[m.SET_OP] ?? 0));
      const all = (op: "noChange" | "refresh") =>
        m.describeCalls(m.medianTable(follow.map((x) => x.followUps?.[op].arrivals ?? {})));
      const changed = Math.max(
        ...follow.map((x) => (x.followUps?.noChange.changed ?? 0) + (x.followUps?.refresh.changed ?? 0)),
      );
      const errors = follow.filter((x) => x.followUps?.noChange.error || x.followUps?.refresh.error).length;
      const most = Math.max(sets("noChange"), sets("refresh"));
      const v = judge(t, most);
      return [
        {
          label: `${q.name}: after seeding ${q.users} users, no-change \`up\` / \`refresh\` (every setting): ${t.figure}`,
          value: most,
          shown: `${sets("noChange")} / ${sets("refresh")} (all requests, median: ${all("noChange")} / ${all("refresh")})`,
          verdict:
            v.met && changed === 0 && errors === 0
              ? v.text
              : `**missed**${changed > 0 ? ` (${changed} resources changed)` : ""}${errors > 0 ? ` (${errors} failed)` : ""}`,
        },
      ];
    },
  },
];

/** Issue 17's throughput figure of one pacing scenario (`id`), with the engine's own pace beside it where measured. */
function pacingSeeding(id: PacingScenarioResult["id"], t: Target): Figure<PacingScenarioResult> {
  return {
    ...t,
    measure: (q, self) => {
      if (q.id !== id) return [];
      const value = m.pacingSeeding(q);
      const own = q.unthrottled ? ` (engine's own pace: ${formatRatio(m.pacingSeeding(q, "unthrottled"))})` : "";
      return [
        {
          label: `${self.figure} (${m.pacingLabel(q)})`,
          value,
          shown: `${near(value, self.target)}${own}`,
          reference: m.pacingReference(q),
        },
      ];
    },
  };
}

/** Issue 17: seeding at Cognito's quota with the library's pacer (bench/quota.ts, pacing scenarios). */
const pacing: Array<Figure<PacingScenarioResult>> = [
  pacingSeeding("single", {
    section: 4,
    figure: "one stack, `PULUMI_SKIP_CHECKPOINTS=true`: sets per second while seeding / quota",
    comparison: "atLeast",
    target: 0.97,
    unit: "ratio",
  }),
  pacingSeeding("default", {
    section: 4,
    figure: "one stack, default engine setting: sets per second while seeding / quota",
    comparison: "atLeast",
    target: 0.9,
    unit: "ratio",
    orWithin: { margin: 0.05, reference: "the engine's own pace, nothing throttling, pacer out of the way" },
  }),
  pacingSeeding("twoStacks", {
    section: 4,
    figure:
      "two stacks at once, one quota, `PULUMI_SKIP_CHECKPOINTS=true`: combined sets per second while seeding / quota",
    comparison: "atLeast",
    target: 0.9,
    unit: "ratio",
  }),
  // Full mode only (bench/lib/config.ts): 2,000 users in a pool of their own.
  pacingSeeding("large", {
    section: 4,
    figure: "2,000 users, `PULUMI_SKIP_CHECKPOINTS=true`: sets per second while seeding / quota",
    comparison: "atLeast",
    target: 0.95,
    unit: "ratio",
  }),
  {
    ...report(
      4,
      "raised quota of 100 per second, `setsPerSecond: 100`, `PULUMI_SKIP_CHECKPOINTS=true`: reached / quota",
    ),
    measure: (q, t) => {
      if (q.id !== "raised") return [];
      const own = q.unthrottled
        ? `engine's own pace (nothing throttling, pacer out of the way): ${formatRatio(m.pacingSeeding(q, "unthrottled"))}; `
        : "";
      const floor = `engine floor (no-op users/s, end to end) / quota: ${formatRatio(m.pacingFloor(q))}`;
      return [reported(t.figure, formatRatio(m.pacingSeeding(q)), `${own}${floor}`)];
    },
  },
  {
    section: 4,
    figure: "failed resources (every stack)",
    comparison: "equal",
    target: 0,
    unit: "count",
    measure: (q, t) => [{ label: `${t.figure} (${m.pacingLabel(q)})`, value: m.pacingFailed(q) }],
  },
  {
    ...report(4, "throttled requests per user (AdminSetUserPassword + AdminGetUser)"),
    measure: (q, t) => [reported(`${t.figure} (${m.pacingLabel(q)})`, m.pacingThrottledPerUser(q).toFixed(3))],
  },
  {
    ...report(4, "peak RSS of the dynamic provider process, 2,000 users"),
    measure: (q, t) => {
      if (!q.peakRss) return [];
      const kib = median(m.pacingRunsOf(q, "engine").map((x) => x.providerPeakKiB ?? NaN));
      const shown = Number.isFinite(kib) ? formatBytes(kib * 1024) : "not measured";
      return [reported(`${t.figure} (${m.pacingLabel(q)})`, shown)];
    },
  },
];

const settings: Array<Figure<SettingsResult>> = [
  {
    section: 6,
    figure: "`up` (create) time(largest N) / time(smallest N), UserPassword, per engine setting",
    comparison: "atMost",
    target: 1.1,
    unit: "ratio",
    timesLinear: true,
    measure: (st) =>
      st.settings.flatMap((s) =>
        one(m.settingsScaling(st, "create", s.id, "userPassword")).map((up) => ({
          label: `\`up\` (create) time(${up.pair[1]}) / time(${up.pair[0]}), UserPassword, ${s.label} (no-op: ${formatRatio(m.settingsScaling(st, "create", s.id, "noop")?.ratio ?? NaN)}; linear ${formatRatio(up.linear)})`,
          value: up.ratio,
          shown: formatRatio(up.ratio),
          linear: up.linear,
        })),
      ),
  },
  {
    ...report(6, "time under a setting / default"),
    measure: (st) => {
      const big = m.largestSize(st);
      return st.settings
        .filter((x) => x.id !== "default")
        .map((s) => {
          const f = (phase: "create" | "noChange", side: "userPassword" | "noop") =>
            formatRatio(m.settingsRatio(big, phase, [s.id, side], ["default", side]));
          return reported(
            `time under ${s.label} / default, N=${big.n}: \`up\` (create), \`up\` (no change); UserPassword (no-op)`,
            `${f("create", "userPassword")}, ${f("noChange", "userPassword")} (${f("create", "noop")}, ${f("noChange", "noop")})`,
          );
        });
    },
  },
  {
    ...report(6, "UserPassword / no-op"),
    measure: (st, t) =>
      st.settings.map((s) =>
        reported(
          `${t.figure}, ${s.label}, \`up\` (create) N = ${sizesOf(st)}`,
          st.sizes
            .map((x) => formatRatio(m.settingsRatio(x, "create", [s.id, "userPassword"], [s.id, "noop"])))
            .join(" / "),
        ),
      ),
  },
];

const memory: Array<Figure<EngineResult>> = [
  {
    ...report(5, "peak RSS of the dynamic provider process"),
    measure: (e, t) => {
      const biggest = e.sizes[e.sizes.length - 1];
      if (!biggest) return [];
      return m.PHASES.map((phase) => {
        const up = median(biggest.phases[phase].providerPeakKiB.userPassword);
        const noop = median(biggest.phases[phase].providerPeakKiB.noop);
        return reported(
          `${t.figure}, ${m.PHASE_LABEL[phase]} of N=${biggest.n}`,
          mib(up),
          `no-op provider: ${mib(noop)} (ratio ${formatRatio(up / noop)})`,
        );
      });
    },
  },
];

/** Every figure, in the order of the targets table. */
export const FIGURES: readonly Group[] = [
  group((r) => one(r.overhead), overhead),
  group((r) => one(r.engine), engine),
  group((r) => r.quota?.scenarios ?? [], quota),
  group((r) => r.quota?.pacing ?? [], pacing),
  group((r) => (r.settings && r.settings.sizes.length > 0 ? [r.settings] : []), settings),
  group((r) => one(r.engine), memory),
];

/** The targets table's rows for a run. */
export function targetRows(r: BenchResults): TargetRow[] {
  return FIGURES.flatMap((g) => g.rows(r));
}

function reported(label: string, shown: string, verdict = ""): Measured {
  return { label, value: NaN, shown, verdict };
}

function row(t: Target, x: Measured): TargetRow {
  const judged = t.comparison === "report" ? undefined : judge(t, x.value, x.linear, x.reference);
  const shown =
    x.shown ??
    (t.unit === "bytes" ? formatBytes(x.value) : t.unit === "count" ? String(x.value) : near(x.value, t.target));
  return [String(t.section), x.label, targetText(t, x.linear), shown, x.verdict ?? judged?.text ?? ""];
}

/** A ratio with 3 decimals when it is within rounding of the target (so "1.30 > 1.30" never shows). */
export function near(value: number, target: number): string {
  return Math.abs(value - target) < 0.01 ? value.toFixed(3) : formatRatio(value);
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

/** "≤ 1.20", "≥ 0.90", "≤ 2 KB", "≤ 1.30 at every N", "0", "(report)", "≥ 0.90, or within 0.05 of ...". */
export function targetText(t: Target, linear?: number): string {
  if (t.comparison === "report") return t.label ?? "(report)";
  const sign = t.comparison === "atMost" ? "≤ " : t.comparison === "atLeast" ? "≥ " : "";
  const or = t.orWithin ? `, or within ${formatValue(t.unit, t.orWithin.margin)} of ${t.orWithin.reference}` : "";
  return `${sign}${formatValue(t.unit, bound(t, linear))}${t.atEveryN ? " at every N" : ""}${or}`;
}

/**
 * "met", "**missed** by 0.12 (13.3 % short)", "**missed**" (equal), "not measured". `reference`
 * is the figure a target with `orWithin` may be within of (used only when it is below the bound).
 */
export function judge(t: Target, value: number, linear?: number, reference?: number): Verdict {
  if (!Number.isFinite(value)) return { text: "not measured", met: undefined };
  const b = bound(t, linear);
  if (t.orWithin && reference !== undefined && Number.isFinite(reference) && reference < b) {
    return judgeWithin(t, t.orWithin.margin, value, b, reference);
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

/** An `orWithin` target whose reference is below the bound: met at the bound, at the reference, or within the margin of it. */
function judgeWithin(t: Target, margin: number, value: number, b: number, reference: number): Verdict {
  const floor = reference - margin;
  if (value >= b) return { text: "met", met: true };
  if (value >= reference) return { text: `met: at or above ${formatValue(t.unit, reference)}`, met: true };
  if (value >= floor) {
    return { text: `met: within ${formatValue(t.unit, margin)} of ${formatValue(t.unit, reference)}`, met: true };
  }
  const by = formatValue(t.unit, floor - value);
  return {
    text: `**missed** by ${by} (below ${formatValue(t.unit, reference)} − ${formatValue(t.unit, margin)})`,
    met: false,
  };
}
