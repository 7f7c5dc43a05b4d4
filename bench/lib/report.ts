/**
 * Renders a run's results as Markdown (targets first, then one section per benchmark) and
 * the scaling plot as SVG.
 */
import type { EngineResult, EngineSide, Phase, SizeResult } from "../engine-scaling";
import type { SettingsPhase, SettingsResult, SettingsSizeResult } from "../engine-settings";
import type { OverheadComparison, OverheadResult } from "../provider-overhead";
import type { QuotaResult, QuotaRun, QuotaScenarioResult, QuotaSide } from "../quota";
import { ENGINE_SETTINGS, type EngineSettingId } from "./config";
import type { BenchResults } from "./results";
import { formatBytes, formatMs, formatRatio, median, ratios } from "./stats";
import { pacingTargetRows, renderPacing } from "./pacing-report";
import { renderPlot, type Panel, type Series } from "./svg";
import { judge, targetText, TARGETS as T } from "./targets";

const PHASE_LABEL: Record<Phase, string> = {
  create: "`up` (create)",
  noChange: "`up` (no change)",
  refresh: "`refresh`",
};
const PHASE_PLAIN: Record<Phase, string> = { create: "up (create)", noChange: "up (no change)", refresh: "refresh" };
const PHASE_COLOR: Record<Phase, string> = { create: "#1f77b4", noChange: "#2ca02c", refresh: "#d62728" };
const PHASES: Phase[] = ["create", "noChange", "refresh"];
const SET_OP = "AdminSetUserPassword";

/** A ratio with 3 decimals when it is within rounding of the target (so "1.30 > 1.30" never shows). */
function near(value: number, target: number): string {
  return Math.abs(value - target) < 0.01 ? value.toFixed(3) : formatRatio(value);
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

const sideMs = (c: OverheadComparison, id: string) => c.sides.find((s) => s.id === id);
const medianRatio = (c: OverheadComparison, id: string) => median(sideMs(c, id)?.ratio ?? []);

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

function scaling(
  engine: EngineResult,
  phase: Phase,
  side: EngineSide,
): { ratio: number; linear: number; pair: [number, number] } | undefined {
  const pair = scalingPair(engine.sizes.map((s) => s.n));
  if (!pair) return undefined;
  const [a, b] = pair;
  const ta = median(engine.sizes.find((s) => s.n === a)?.phases[phase].ms[side] ?? []);
  const tb = median(engine.sizes.find((s) => s.n === b)?.phases[phase].ms[side] ?? []);
  return { ratio: tb / ta, linear: b / a, pair };
}

/** The runs of one side (and, for engine and noop sides, one engine setting; runs of older results have none: the default). */
const runsOf = (q: QuotaScenarioResult, side: QuotaSide, setting?: EngineSettingId): QuotaRun[] =>
  q.runs.filter((r) => r.side === side && (setting === undefined || (r.setting ?? "default") === setting));

/** The engine settings a quota scenario ran (older results: the default only). */
const quotaSettings = (q: QuotaScenarioResult): EngineSettingId[] => q.settings ?? ["default"];

const settingLabel = (id: EngineSettingId): string => ENGINE_SETTINGS[id]?.label ?? id;

/** Median throughput while seeding / quota of the engine side under `setting`, and its failures (worst run). */
function quotaFigures(
  q: QuotaScenarioResult,
  setting: EngineSettingId,
): { window: number; e2e: number; failed: number; floor: number } {
  const runs = runsOf(q, "engine", setting);
  const floorRuns = runsOf(q, "noop", setting);
  return {
    window: median(runs.map((x) => x.windowRps / q.setRatePerSecond)),
    e2e: median(runs.map((x) => x.endToEndRps / q.setRatePerSecond)),
    failed: runs.length === 0 ? NaN : Math.max(...runs.map((x) => x.failed + (x.error ? 1 : 0))),
    floor: median(floorRuns.map((x) => x.endToEndRps / q.setRatePerSecond)),
  };
}

/** The setting with the highest throughput while seeding among those with no failure (else among all). */
export function bestQuotaSetting(q: QuotaScenarioResult): EngineSettingId | undefined {
  const all = quotaSettings(q)
    .map((id) => ({ id, ...quotaFigures(q, id) }))
    .filter((x) => Number.isFinite(x.window));
  const clean = all.filter((x) => x.failed === 0);
  const pool = clean.length > 0 ? clean : all;
  return pool.sort((a, b) => b.window - a.window)[0]?.id;
}

/** Median over repetitions of ms[setting][side][i] / ms[other][otherSide][i] (same repetition). */
function settingsRatio(
  size: SettingsSizeResult,
  phase: SettingsPhase,
  a: [EngineSettingId, EngineSide],
  b: [EngineSettingId, EngineSide],
): number {
  const x = size.ms[phase][a[0]]?.[a[1]] ?? [];
  const y = size.ms[phase][b[0]]?.[b[1]] ?? [];
  return median(ratios(x, y));
}

/** time(largest N) / time(smallest N) of one setting and side (medians), with linear = the sizes' ratio. */
function settingsScaling(
  r: SettingsResult,
  phase: SettingsPhase,
  setting: EngineSettingId,
  side: EngineSide,
): { ratio: number; linear: number; pair: [number, number] } | undefined {
  if (r.sizes.length < 2) return undefined;
  const small = r.sizes.reduce((a, b) => (b.n < a.n ? b : a));
  const big = r.sizes.reduce((a, b) => (b.n > a.n ? b : a));
  const t = (s: SettingsSizeResult) => median(s.ms[phase][setting]?.[side] ?? []);
  return { ratio: t(big) / t(small), linear: big.n / small.n, pair: [small.n, big.n] };
}

export function renderMarkdown(r: BenchResults): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`# Benchmarks (${r.config.mode} mode)`);
  out.push("");
  out.push(
    `Run ${r.startedAt} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, load average at start ${m.loadAverageAtStart.join(" / ")}; ` +
      `Node ${m.node}, Pulumi CLI ${m.pulumiCli}, @pulumi/pulumi ${m.pulumiSdk}; commit ${m.commit}; total ${formatMs(r.durationMs)}.`,
  );
  out.push("");
  out.push(
    "Every figure is a ratio of two sides measured side by side in this run: the sides alternate (the order rotates each repetition), " +
      "each ratio is taken within one repetition, and the table shows the median over repetitions. Absolute times are printed for " +
      "orientation, they are not targets (the machine is shared, 2 cores).",
  );
  out.push("");

  // ---- targets ----
  const rows: string[][] = [];
  const memoryRows: string[][] = [];
  const o = r.overhead;
  if (o) {
    for (const c of o.comparisons.filter((x) => x.kind === "target")) {
      const ratio = medianRatio(c, "provider");
      const t = T.providerCreateOverhead;
      rows.push([
        String(t.section),
        `${t.figure}, ${c.emulator}, N=${c.n}, ${c.concurrency} in flight`,
        targetText(t),
        near(ratio, t.target),
        judge(t, ratio).text,
      ]);
    }
    const create = o.callCounts.find((s) => s.step === "create");
    if (create) {
      const total = Object.values(create.calls).reduce((a, b) => a + b, 0);
      const t = T.createApiCalls;
      const v = judge(t, total);
      rows.push([
        String(t.section),
        t.figure,
        targetText(t),
        `${total} (${describeCalls(create.calls)})`,
        total > t.target ? `${v.text}: ${total - t.target} extra` : v.text,
      ]);
    }
  }
  const e = r.engine;
  if (e) {
    for (const phase of PHASES) {
      const per = e.sizes.map((s) => phaseRatio(s, phase));
      const worst = Math.max(...per);
      const t = T.engineOverhead;
      rows.push([
        String(t.section),
        `${PHASE_LABEL[phase]}, ${t.figure}, N = ${e.sizes.map((s) => s.n).join(", ")}`,
        targetText(t),
        per.map((x) => near(x, t.target)).join(" / "),
        judge(t, worst).text,
      ]);
    }
    for (const phase of PHASES) {
      const s = scaling(e, phase, "userPassword");
      if (!s) continue;
      const noop = scaling(e, phase, "noop");
      rows.push([
        String(T.engineScaling.section),
        `${PHASE_LABEL[phase]} time(${s.pair[1]}) / time(${s.pair[0]}), UserPassword (no-op: ${formatRatio(noop?.ratio ?? NaN)})`,
        targetText(T.engineScaling, s.linear),
        formatRatio(s.ratio),
        judge(T.engineScaling, s.ratio, s.linear).text,
      ]);
    }
    const biggest = e.sizes[e.sizes.length - 1];
    const state = biggest?.state.userPassword;
    if (state)
      rows.push([
        String(T.stateSize.section),
        `${T.stateSize.figure} (\`pulumi stack export\`, N=${biggest.n})`,
        targetText(T.stateSize),
        formatBytes(state.perResourceBytes),
        judge(T.stateSize, state.perResourceBytes).text,
      ]);
    const naive = e.naive;
    rows.push([
      "3",
      "naive provider capturing an SDK client, per resource",
      "(comparison)",
      naive.ok && naive.state ? formatBytes(naive.state.perResourceBytes) : "fails to serialize",
      naive.ok ? "" : "`pulumi up` fails (see section 3)",
    ]);
    if (biggest) {
      for (const phase of PHASES) {
        const up = median(biggest.phases[phase].providerPeakKiB.userPassword);
        const noop = median(biggest.phases[phase].providerPeakKiB.noop);
        memoryRows.push([
          "5",
          `peak RSS of the dynamic provider process, ${PHASE_LABEL[phase]} of N=${biggest.n}`,
          "(report)",
          `${(up / 1024).toFixed(0)} MiB`,
          `no-op provider: ${(noop / 1024).toFixed(0)} MiB (ratio ${formatRatio(up / noop)})`,
        ]);
      }
    }
  }
  for (const q of r.quota?.scenarios ?? []) {
    const engineRuns = runsOf(q, "engine", "default");
    const failed = Math.max(...engineRuns.map((x) => x.failed + (x.error ? 1 : 0)));
    const window = median(engineRuns.map((x) => x.windowRps / q.setRatePerSecond));
    const e2e = median(engineRuns.map((x) => x.endToEndRps / q.setRatePerSecond));
    const floorRuns = runsOf(q, "noop", "default");
    const several = quotaSettings(q).length > 1;
    const label = `${q.name}: \`up\` of ${q.users} users, AdminSetUserPassword ≤ ${q.setRatePerSecond} RPS${several ? ", default engine setting" : ""}`;
    rows.push([
      String(T.quotaFailed.section),
      `${label}: ${T.quotaFailed.figure}`,
      targetText(T.quotaFailed),
      String(failed),
      judge(T.quotaFailed, failed).text,
    ]);
    rows.push([
      String(T.quotaSeeding.section),
      `${label}: ${T.quotaSeeding.figure}`,
      targetText(T.quotaSeeding),
      near(window, T.quotaSeeding.target),
      judge(T.quotaSeeding, window).text,
    ]);
    rows.push(["4", `${label}: end to end (engine start included) / quota`, "(report)", formatRatio(e2e), ""]);
    if (floorRuns.length > 0) {
      const floor = median(floorRuns.map((x) => x.endToEndRps / q.setRatePerSecond));
      rows.push([
        "4",
        `${label}: the engine's own floor (no-op resources, users/s) / quota`,
        "(report)",
        formatRatio(floor),
        floor < T.quotaSeeding.target ? "the engine alone stays under the quota on this machine" : "",
      ]);
    }
    rows.push([
      "4",
      `${label}: throttled requests seen (median per \`up\`)`,
      "(report)",
      describeCalls(medianTable(engineRuns.map((x) => x.throttled))),
      "",
    ]);
    if (several) {
      const base = `${q.name}: \`up\` of ${q.users} users, AdminSetUserPassword ≤ ${q.setRatePerSecond} RPS`;
      for (const id of quotaSettings(q).filter((x) => x !== "default")) {
        const f = quotaFigures(q, id);
        rows.push([
          "4",
          `${base}, ${settingLabel(id)}: failed resources / throughput while seeding / quota / engine floor (no-op users/s) / quota`,
          "(report)",
          `${Number.isFinite(f.failed) ? f.failed : "n/a"} / ${formatRatio(f.window)} / ${formatRatio(f.floor)}`,
          "",
        ]);
      }
      const best = bestQuotaSetting(q);
      if (best) {
        const f = quotaFigures(q, best);
        rows.push([
          String(T.quotaFailed.section),
          `${base}, the best setting (${settingLabel(best)}): ${T.quotaFailed.figure}`,
          targetText(T.quotaFailed),
          String(f.failed),
          judge(T.quotaFailed, f.failed).text,
        ]);
        rows.push([
          String(T.quotaBestSeeding.section),
          `${base}, the best setting (${settingLabel(best)}): ${T.quotaBestSeeding.figure}`,
          targetText(T.quotaBestSeeding),
          near(f.window, T.quotaBestSeeding.target),
          judge(T.quotaBestSeeding, f.window).text,
        ]);
      }
    }
    const bareWindow = (side: QuotaSide) => median(runsOf(q, side).map((x) => x.windowRps / q.setRatePerSecond));
    if (runsOf(q, "bareStandard").length > 0 || runsOf(q, "barePaced").length > 0) {
      rows.push([
        "4",
        `${q.name}: what bounds it: the bare SDK, no engine, ${q.users} sets / quota (throughput while seeding): the library's client (standard retry, paced); what-ifs: standard retry, the library's client paced at the quota`,
        "(report)",
        `${formatRatio(bareWindow("bare"))}; ${formatRatio(bareWindow("bareStandard"))}, ${formatRatio(bareWindow("barePaced"))}`,
        "",
      ]);
    }
    const follow = q.runs.filter((x) => x.side === "engine" && x.followUps);
    if (follow.length > 0) {
      const sets = (op: "noChange" | "refresh") =>
        Math.max(...follow.map((x) => x.followUps?.[op].arrivals[SET_OP] ?? 0));
      const changed = Math.max(
        ...follow.map((x) => (x.followUps?.noChange.changed ?? 0) + (x.followUps?.refresh.changed ?? 0)),
      );
      const errors = follow.filter((x) => x.followUps?.noChange.error || x.followUps?.refresh.error).length;
      const most = Math.max(sets("noChange"), sets("refresh"));
      const others = (op: "noChange" | "refresh") =>
        describeCalls(medianTable(follow.map((x) => x.followUps?.[op].arrivals ?? {})));
      const t = T.quotaFollowUpSets;
      const v = judge(t, most);
      rows.push([
        String(t.section),
        `${q.name}: after seeding ${q.users} users, no-change \`up\` / \`refresh\` (every setting): ${t.figure}`,
        targetText(t),
        `${sets("noChange")} / ${sets("refresh")} (all requests, median: ${others("noChange")} / ${others("refresh")})`,
        v.met && changed === 0 && errors === 0
          ? v.text
          : `**missed**${changed > 0 ? ` (${changed} resources changed)` : ""}${errors > 0 ? ` (${errors} failed)` : ""}`,
      ]);
    }
  }
  rows.push(...pacingTargetRows(r.quota?.pacing ?? []));
  const st = r.settings;
  if (st) {
    for (const setting of st.settings) {
      const up = settingsScaling(st, "create", setting.id, "userPassword");
      if (!up) continue;
      const noop = settingsScaling(st, "create", setting.id, "noop");
      rows.push([
        String(T.settingsScaling.section),
        `\`up\` (create) time(${up.pair[1]}) / time(${up.pair[0]}), UserPassword, ${setting.label} (no-op: ${formatRatio(noop?.ratio ?? NaN)}; linear ${formatRatio(up.linear)})`,
        targetText(T.settingsScaling, up.linear),
        formatRatio(up.ratio),
        judge(T.settingsScaling, up.ratio, up.linear).text,
      ]);
    }
    const big = st.sizes.reduce<SettingsSizeResult | undefined>(
      (a, b) => (a === undefined || b.n > a.n ? b : a),
      undefined,
    );
    if (big) {
      for (const setting of st.settings.filter((x) => x.id !== "default")) {
        const f = (phase: SettingsPhase, side: EngineSide) =>
          formatRatio(settingsRatio(big, phase, [setting.id, side], ["default", side]));
        rows.push([
          "6",
          `time under ${setting.label} / default, N=${big.n}: \`up\` (create), \`up\` (no change); UserPassword (no-op)`,
          "(report)",
          `${f("create", "userPassword")}, ${f("noChange", "userPassword")} (${f("create", "noop")}, ${f("noChange", "noop")})`,
          "",
        ]);
      }
      for (const setting of st.settings) {
        rows.push([
          "6",
          `UserPassword / no-op, ${setting.label}, \`up\` (create) N = ${st.sizes.map((x) => x.n).join(", ")}`,
          "(report)",
          st.sizes
            .map((x) => formatRatio(settingsRatio(x, "create", [setting.id, "userPassword"], [setting.id, "noop"])))
            .join(" / "),
          "",
        ]);
      }
    }
  }
  out.push("## Targets");
  out.push("");
  out.push(table(["#", "figure", "target", "measured", "verdict"], [...rows, ...memoryRows]));
  out.push("");
  for (const [name, message] of Object.entries(r.errors)) {
    out.push(`**${name} failed:**`);
    out.push("");
    out.push("```");
    out.push(message);
    out.push("```");
    out.push("");
  }

  if (o) out.push(renderOverhead(o));
  if (e) out.push(renderEngine(e));
  if (r.quota) out.push(renderQuota(r.quota));
  if (e) out.push(renderMemory(e));
  if (st) out.push(renderSettings(st));
  return `${out.join("\n").trimEnd()}\n`;
}

function describeCalls(calls: Record<string, number>): string {
  const entries = Object.entries(calls).filter(([, v]) => v > 0);
  return entries.length === 0 ? "none" : entries.map(([k, v]) => `${k} ${v}`).join(", ");
}

function medianTable(tables: Array<Record<string, number>>): Record<string, number> {
  const keys = [...new Set(tables.flatMap((t) => Object.keys(t)))];
  return Object.fromEntries(keys.map((k) => [k, median(tables.map((t) => t[k] ?? 0))]));
}

function renderOverhead(o: OverheadResult): string {
  const out: string[] = ["## 1. Provider overhead", ""];
  const c = o.costs;
  out.push(
    `One call on an idle event loop (median of ${c.samples}): check's constant-time password comparison **${formatMs(c.compareMs)}**; ` +
      `a no-change \`diff\` (check's verdict, no password work) **${formatMs(c.diffMs)}**. (The password fingerprint these once measured was removed.)`,
  );
  out.push("");
  for (const cmp of o.comparisons) {
    const what = cmp.kind === "target" ? "the target comparison" : "where the time goes";
    out.push(
      `### ${cmp.emulator}, ${what}: ${cmp.n} operations per side, ${cmp.concurrency} in flight, ${cmp.reps} repetition(s), pool of ${cmp.poolSize} users`,
    );
    out.push("");
    out.push(
      table(
        ["side", "median batch time", "per operation", `ratio to baseline (median)`],
        cmp.sides.map((s) => [
          s.label,
          formatMs(median(s.ms)),
          formatMs(median(s.ms) / cmp.n),
          formatRatio(median(s.ratio)),
        ]),
      ),
    );
    out.push("");
    const provider = sideMs(cmp, "provider");
    const getSet = sideMs(cmp, "bareGetSet");
    const notes: string[] = [];
    if (getSet) {
      notes.push(
        `the reconstruction AdminGetUser + AdminSetUserPassword (no provider code) costs ${formatRatio(median(getSet.ratio))}× the baseline, against the provider's ${formatRatio(median(provider?.ratio ?? []))}`,
      );
    }
    if (notes.length > 0) {
      out.push(`Where the time goes (${cmp.emulator}): ${notes.join("; ")}.`);
      out.push("");
    }
  }
  out.push("### API calls per provider operation");
  out.push("");
  out.push(
    "Counted by the fault proxy (requests that reached it) with the exported provider driven directly, one fresh pool and user. " +
      "Cognito meters AdminSetUserPassword in the UserUpdate category (25 RPS per account and region), AdminGetUser in UserRead " +
      "(120 RPS), DescribeUserPool in a pool-read category; the extra AdminGetUser of create/update does not use the 25 RPS budget.",
  );
  out.push("");
  const ops = [...new Set(o.callCounts.flatMap((s) => Object.keys(s.calls)))].sort();
  out.push(
    table(
      ["operation", ...ops, "total"],
      o.callCounts.map((s) => [
        s.step,
        ...ops.map((op) => String(s.calls[op] ?? 0)),
        String(Object.values(s.calls).reduce((a, b) => a + b, 0)),
      ]),
    ),
  );
  out.push("");
  return out.join("\n");
}

function renderEngine(e: EngineResult): string {
  const out: string[] = ["## 2. Through the engine", ""];
  out.push(
    `Same engine, file backend, passphrase secrets and parallelism (${e.parallel}); fresh stacks every repetition (repetitions per N: ${e.sizes.map((s) => `${s.n}: ${s.reps}${s.skippedForTime ? ` (${s.skippedForTime} skipped for the time budget)` : ""}`).join(", ")}); ` +
      `a run of N uses the first N users of one cognito-local pool of ${e.poolSize} (so the emulator's cost per call is the same at every N). ` +
      "The no-op resource has the same inputs (pool, username, secret password, endpoint, name) and outputs that echo them, and a provider that does nothing; " +
      "it is installed into node_modules like the library, so Pulumi stores it by reference (`__provider` of the same size class).",
  );
  out.push("");
  const rows: string[][] = [];
  for (const s of e.sizes) {
    for (const phase of PHASES) {
      const p = s.phases[phase];
      rows.push([
        String(s.n),
        PHASE_LABEL[phase],
        formatMs(median(p.ms.userPassword)),
        formatMs(median(p.ms.noop)),
        formatRatio(phaseRatio(s, phase)),
        formatMs((median(p.ms.userPassword) - median(p.ms.noop)) / s.n),
        `${median(p.providerCpuSeconds.userPassword).toFixed(1)} s / ${median(p.providerCpuSeconds.noop).toFixed(1)} s`,
      ]);
    }
  }
  out.push(
    table(
      [
        "N",
        "operation",
        "UserPassword",
        "no-op",
        "ratio (median)",
        "extra per resource",
        "provider process CPU (UserPassword / no-op)",
      ],
      rows,
    ),
  );
  out.push("");
  const scaleRows: string[][] = [];
  for (const phase of PHASES) {
    for (const side of ["userPassword", "noop"] as const) {
      const s = scaling(e, phase, side);
      if (s)
        scaleRows.push([
          PHASE_LABEL[phase],
          side === "userPassword" ? "UserPassword" : "no-op",
          `time(${s.pair[1]}) / time(${s.pair[0]})`,
          formatRatio(s.ratio),
          targetText(T.engineScaling, s.linear),
        ]);
    }
  }
  if (scaleRows.length > 0) {
    const margin = `linear + ${Math.round((T.engineScaling.target - 1) * 100)} %`;
    out.push(table(["operation", "resources", "figure", "measured", margin], scaleRows));
    out.push("");
  }
  out.push("![time and ratio against N](scaling.svg)");
  out.push("");
  out.push("## 3. State size");
  out.push("");
  const stateRows: string[][] = [];
  for (const s of e.sizes) {
    for (const side of ["userPassword", "noop"] as const) {
      const st = s.state[side];
      if (st) {
        stateRows.push([
          String(s.n),
          side === "userPassword" ? "UserPassword" : "no-op",
          formatBytes(st.perResourceBytes),
          formatBytes(st.inputsBytes),
          formatBytes(st.outputsBytes),
          formatBytes(st.engineBytes),
          formatBytes(st.providerBytes),
          formatBytes(st.exportBytes),
        ]);
      }
    }
  }
  out.push(
    table(
      [
        "N",
        "resource",
        "bytes per resource (median, compact JSON)",
        "of which `inputs`",
        "`outputs`",
        "engine fields",
        "`__provider` (one copy; in inputs and in outputs)",
        "whole `stack export`",
      ],
      stateRows,
    ),
  );
  out.push("");
  out.push(
    "Engine fields: urn, type, id, parent, provider reference, created/modified timestamps, sourcePosition and stackTrace (where the program " +
      "registered the resource; their size depends on the program's file paths, not on the provider).",
  );
  out.push("");
  const first = e.sizes[0];
  const last = e.sizes[e.sizes.length - 1];
  if (first && last && last.n > first.n) {
    const marginal = (side: EngineSide) => {
      const a = first.state[side],
        b = last.state[side];
      return a && b ? (b.exportBytes - a.exportBytes) / (last.n - first.n) : NaN;
    };
    out.push(
      `Marginal bytes of \`pulumi stack export\` (pretty-printed) per added resource, N=${first.n} → ${last.n}: UserPassword ${formatBytes(marginal("userPassword"))}, no-op ${formatBytes(marginal("noop"))}.`,
    );
    out.push("");
  }
  if (e.naive.ok && e.naive.state) {
    out.push(
      `Naive provider (captures a \`CognitoIdentityProviderClient\`): ${formatBytes(e.naive.state.perResourceBytes)} per resource, of which \`__provider\` ${formatBytes(e.naive.state.providerBytes)} (${e.naive.count} resources).`,
    );
  } else {
    out.push(
      `Naive provider (captures a \`CognitoIdentityProviderClient\`): \`pulumi up\` of ${e.naive.count} resources fails, Pulumi cannot serialize the provider:`,
    );
    out.push("");
    out.push("```");
    out.push(e.naive.error ?? "(no message)");
    out.push("```");
  }
  out.push("");

  const probe = e.probe;
  if (probe.operations.length > 0) {
    out.push(`### What each engine operation asks of a dynamic provider`);
    out.push("");
    out.push(
      `Counted by a probe provider that logs its method calls (${probe.resources} resources; calls per resource). ` +
        "UserPassword's `check` compares the old and new passwords (two SHA-256 digests in memory, constant time) and `diff` follows its verdict; no password work is left for `diff` or `refresh`.",
    );
    out.push("");
    const methods = ["check", "diff", "create", "read", "update", "delete"];
    out.push(
      table(
        ["operation", ...methods.map((m) => `\`${m}\``)],
        probe.operations.map((op) => [
          op.operation,
          ...methods.map((m) => formatRatio((op.calls[m] ?? 0) / probe.resources).replace(/\.00$/, "")),
        ]),
      ),
    );
    out.push("");
  }

  return out.join("\n");
}

function renderMemory(e: EngineResult): string {
  const out: string[] = [];
  out.push("## 5. Memory of the dynamic provider process");
  out.push("");
  out.push(
    "Peak resident set (VmHWM from /proc) of the `pulumi-resource-pulumi-nodejs` node process, median over repetitions.",
  );
  out.push("");
  const memRows: string[][] = [];
  for (const s of e.sizes) {
    for (const phase of PHASES) {
      const p = s.phases[phase].providerPeakKiB;
      const up = median(p.userPassword),
        noop = median(p.noop);
      memRows.push([
        String(s.n),
        PHASE_LABEL[phase],
        `${(up / 1024).toFixed(0)} MiB`,
        `${(noop / 1024).toFixed(0)} MiB`,
        formatRatio(up / noop),
      ]);
    }
  }
  out.push(table(["N", "operation", "UserPassword provider", "no-op provider", "ratio"], memRows));
  out.push("");
  const mb = e.memory;
  if (mb && Number.isFinite(mb.pulumiKiB)) {
    const mib = (k: number) => `${(k / 1024).toFixed(0)} MiB`;
    out.push(
      `Where it goes (peak RSS of a fresh node process, measured in this run): \`require("@pulumi/pulumi")\` ${mib(mb.pulumiKiB)}; ` +
        `plus the AWS SDK's Cognito client +${mib(mb.pulumiSdkKiB - mb.pulumiKiB)}.`,
    );
    out.push("");
  }
  return out.join("\n");
}

const SIDE_LABEL: Record<QuotaSide, string> = {
  engine: "`pulumi up`, UserPassword",
  bare: "bare SDK (the library's client: standard retry, paced)",
  bareStandard: "what-if: bare SDK, standard retry",
  barePaced: "what-if: the library's client paced at the quota",
  noop: "`pulumi up`, no-op (floor)",
};

function renderQuota(result: QuotaResult): string {
  const out: string[] = ["## 4. Under the quota", ""];
  out.push(
    "The fault proxy admits AdminSetUserPassword at the UserUpdate rate and AdminGetUser at the UserRead rate (token buckets of one second's worth) and answers " +
      "TooManyRequestsException beyond. Each side starts with full buckets. \"bare\" is the SDK alone with the library's client (standard retry, paced by the library's pacer) at the " +
      "engine's parallelism; the what-ifs are the same loop with the SDK's standard retry mode and no pacer, and with the library's SDK client unpaced " +
      'behind a fixed pacer that starts one set every 1/quota seconds (neither is what the library does); "no-op" is the engine\'s floor for the same number of resources, without proxy. Throughput while seeding = admitted sets per ' +
      "second from the end of the bucket's initial burst (one second's worth) to the last admitted set (sampled every 50 ms). The scaled-down scenario keeps Cognito's proportions at a rate this machine's engine can exceed.",
  );
  out.push("");
  for (const q of result.scenarios) out.push(renderQuotaScenario(q));
  if (result.pacing && result.pacing.length > 0) out.push(renderPacing(result.pacing));
  return out.join("\n");
}

function renderQuotaScenario(q: QuotaScenarioResult): string {
  const out: string[] = [];
  out.push(
    `### ${q.name}: ${q.users} users, AdminSetUserPassword ${q.setRatePerSecond} RPS, AdminGetUser ${q.readRatePerSecond} RPS, ${q.reps} repetition(s)`,
  );
  out.push("");
  const rows: string[][] = [];
  const several = quotaSettings(q).length > 1;
  const groups: Array<{ side: QuotaSide; setting?: EngineSettingId }> = [
    { side: "bare" },
    { side: "bareStandard" },
    { side: "barePaced" },
    ...quotaSettings(q).flatMap((id) => (["engine", "noop"] as const).map((side) => ({ side, setting: id }))),
  ];
  for (const { side, setting } of groups) {
    const runs = runsOf(q, side, setting);
    if (runs.length === 0) continue;
    const arrivals = medianTable(runs.map((x) => x.arrivals));
    const perResource = Object.fromEntries(
      Object.entries(arrivals).map(([k, v]) => [k, Math.round((v / q.users) * 100) / 100]),
    );
    const name = SIDE_LABEL[side];
    rows.push([
      several && setting ? `${name}, ${settingLabel(setting)}` : name,
      formatMs(median(runs.map((x) => x.ms))),
      String(median(runs.map((x) => x.succeeded))),
      String(Math.max(...runs.map((x) => x.failed))),
      side === "noop" ? "–" : formatRatio(median(runs.map((x) => x.windowRps / q.setRatePerSecond))),
      formatRatio(median(runs.map((x) => x.endToEndRps / q.setRatePerSecond))),
      side === "noop" ? "–" : describeCalls(medianTable(runs.map((x) => x.throttled))),
      side === "noop" ? "–" : describeCalls(perResource),
    ]);
  }
  out.push(
    table(
      [
        "side",
        "time",
        "succeeded",
        "failed",
        "throughput while seeding / quota",
        "end to end / quota",
        "throttled (median)",
        "requests per user",
      ],
      rows,
    ),
  );
  out.push("");
  const best = several ? bestQuotaSetting(q) : undefined;
  if (best) {
    out.push(
      `Best engine setting here (highest throughput while seeding with no failed resource): ${settingLabel(best)}.`,
    );
    out.push("");
  }
  const follow = q.runs.filter((x) => x.side === "engine" && x.followUps);
  if (follow.length > 0) {
    out.push(
      `Then, on each seeded stack of ${q.users} users (full buckets, counters zeroed before each): a no-change \`up\` and a \`refresh\`. ` +
        "Requests that reached the proxy (retries included):",
    );
    out.push("");
    const followRows: string[][] = [];
    for (const run of follow) {
      const f = run.followUps;
      if (!f) continue;
      for (const [op, label] of [
        ["noChange", "`up` (no change)"],
        ["refresh", "`refresh`"],
      ] as const) {
        const x = f[op];
        followRows.push([
          settingLabel(run.setting ?? "default"),
          label,
          formatMs(x.ms),
          String(x.arrivals[SET_OP] ?? 0),
          describeCalls(x.arrivals),
          describeCalls(x.throttled),
          String(x.changed),
          x.error ? `failed: ${x.error.split("\n")[0]}` : "succeeded",
        ]);
      }
    }
    out.push(
      table(
        [
          "setting",
          "operation",
          "time",
          "AdminSetUserPassword requests",
          "all requests",
          "throttled",
          "resources changed",
          "result",
        ],
        followRows,
      ),
    );
    out.push("");
  }
  const errors = q.runs.filter((x) => x.error);
  for (const x of errors) {
    out.push(`${x.side} error:`);
    out.push("```");
    out.push(x.error ?? "");
    out.push("```");
  }
  return out.join("\n");
}

function renderSettings(st: SettingsResult): string {
  const out: string[] = ["## 6. Engine settings side by side", ""];
  out.push(
    `\`pulumi up\` (create) and a no-change \`up\` of N UserPasswords and of N no-op dynamic resources, against cognito-local, under each engine setting: ` +
      `${st.settings.map((x) => x.label).join("; ")} (\`PULUMI_SKIP_CHECKPOINTS\` in the CLI's environment, \`--parallel\` on the command). ` +
      `Same engine, file backend and passphrase secrets; every (setting, resource) pair is a side, the sides alternate in an order that rotates every repetition, ` +
      `fresh stacks every repetition (repetitions per N: ${st.sizes.map((x) => `${x.n}: ${x.reps}${x.skippedForTime ? ` (${x.skippedForTime} skipped for the time budget)` : ""}`).join(", ")}); ` +
      `a run of N uses the first N users of one pool of ${st.poolSize}. "/ default" and "/ no-op" are medians of ratios taken within one repetition.`,
  );
  out.push("");
  const rows: string[][] = [];
  for (const size of st.sizes) {
    for (const setting of st.settings) {
      const t = (phase: SettingsPhase, side: EngineSide) => median(size.ms[phase][setting.id]?.[side] ?? []);
      rows.push([
        String(size.n),
        setting.label,
        formatMs(t("create", "userPassword")),
        formatMs(t("create", "userPassword") / size.n),
        formatMs(t("create", "noop")),
        setting.id === "default"
          ? "1.00"
          : formatRatio(settingsRatio(size, "create", [setting.id, "userPassword"], ["default", "userPassword"])),
        formatRatio(settingsRatio(size, "create", [setting.id, "userPassword"], [setting.id, "noop"])),
        formatMs(t("noChange", "userPassword")),
        formatMs(t("noChange", "noop")),
        setting.id === "default"
          ? "1.00"
          : formatRatio(settingsRatio(size, "noChange", [setting.id, "userPassword"], ["default", "userPassword"])),
      ]);
    }
  }
  out.push(
    table(
      [
        "N",
        "setting",
        "`up` (create), UserPassword",
        "per user",
        "no-op",
        "UserPassword / default",
        "UserPassword / no-op",
        "`up` (no change), UserPassword",
        "no-op",
        "UserPassword / default",
      ],
      rows,
    ),
  );
  out.push("");
  const scaleRows: string[][] = [];
  for (const setting of st.settings) {
    for (const side of ["userPassword", "noop"] as const) {
      const c = settingsScaling(st, "create", setting.id, side);
      const u = settingsScaling(st, "noChange", setting.id, side);
      if (!c || !u) continue;
      scaleRows.push([
        setting.label,
        side === "userPassword" ? "UserPassword" : "no-op",
        formatRatio(c.ratio),
        formatRatio(u.ratio),
        formatRatio(c.linear),
      ]);
    }
  }
  if (scaleRows.length > 0) {
    const pair = settingsScaling(st, "create", st.settings[0]?.id ?? "default", "userPassword")?.pair;
    out.push(
      table(
        [
          "setting",
          "resources",
          `\`up\` (create) time(${pair?.[1]}) / time(${pair?.[0]})`,
          "`up` (no change), same",
          "linear",
        ],
        scaleRows,
      ),
    );
    out.push("");
  }
  return out.join("\n");
}

export function renderScalingSvg(e: EngineResult): string {
  const sizes = e.sizes.map((s) => s.n);
  const timeSeries: Series[] = [];
  const ratioSeries: Series[] = [];
  for (const phase of PHASES) {
    for (const side of ["userPassword", "noop"] as const) {
      timeSeries.push({
        name: `${PHASE_PLAIN[phase]}, ${side === "userPassword" ? "UserPassword" : "no-op"}`,
        color: PHASE_COLOR[phase],
        dashed: side === "noop",
        points: e.sizes.map((s) => [s.n, median(s.phases[phase].ms[side]) / 1000]),
      });
    }
    ratioSeries.push({
      name: PHASE_PLAIN[phase],
      color: PHASE_COLOR[phase],
      points: e.sizes.map((s) => [s.n, phaseRatio(s, phase)]),
    });
  }
  const pair = scalingPair(sizes);
  const references = [];
  if (pair) {
    const base = e.sizes.find((s) => s.n === pair[0]);
    const t = base ? median(base.phases.create.ms.userPassword) / 1000 : NaN;
    if (Number.isFinite(t)) {
      references.push({
        label: `linear from N=${pair[0]} (UserPassword up)`,
        color: "#888",
        points: sizes.map((n): [number, number] => [n, (t * n) / pair[0]]),
      });
    }
  }
  const panels: Panel[] = [
    {
      title: "Wall time against N (median)",
      xLabel: "resources (N)",
      yLabel: "seconds",
      series: timeSeries,
      references,
    },
    {
      title: "UserPassword / no-op (median ratio)",
      xLabel: "resources (N)",
      yLabel: "ratio",
      series: ratioSeries,
      references: [
        { label: `target ${targetText(T.engineOverhead)}`, color: "#888", y: T.engineOverhead.target },
        { label: "1.0 (engine floor)", color: "#bbb", y: 1 },
      ],
    },
  ];
  return renderPlot(panels, {
    caption:
      "Solid: UserPassword; dashed: no-op dynamic resources with the same inputs. Same engine, backend and parallelism, interleaved.",
  });
}
