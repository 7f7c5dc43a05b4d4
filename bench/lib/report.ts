/**
 * Renders a run's raw results as results.md: the targets table, then each benchmark's tables
 * (scaling-plot.ts draws the plot). Tables only: the method and the findings are written once,
 * in bench/README.md; the figures and their targets are defined in targets.ts.
 */
import type { EngineResult, EngineSide, Phase, SizeResult, StateSize } from "../engine-scaling";
import type { SettingsPhase, SettingsResult, SettingsSizeResult } from "../engine-settings";
import type { EngineSetting, EngineSettingId } from "./config";
import type { OverheadComparison, OverheadResult, SideResult } from "../provider-overhead";
import type { FollowUp, PacingScenarioResult, PacingSide, QuotaRun, QuotaScenarioResult, QuotaSide } from "../quota";
import * as m from "./measures";
import type { BenchResults } from "./results";
import { formatBytes, formatMs, formatRatio, median } from "./stats";
import { fenced, section, table, tabulate, type Column } from "./tables";
import { ENGINE_SCALING, targetRows, targetText } from "./targets";

const SIDES = ["userPassword", "noop"] as const;
const SIDE_NAME: Record<EngineSide, string> = { userPassword: "UserPassword", noop: "no-op" };
const QUOTA_SIDE: Record<QuotaSide, string> = {
  engine: "`pulumi up`, UserPassword",
  bare: "bare SDK (the library's client: standard retry, paced)",
  bareStandard: "what-if: bare SDK, standard retry",
  barePaced: "what-if: the library's client paced at the quota",
  noop: "`pulumi up`, no-op (floor)",
};
const PACING_SIDE: Record<PacingSide, string> = {
  engine: "`pulumi up`, UserPassword (the library's pacer)",
  unthrottled: "`pulumi up`, UserPassword, nothing throttling, pacer out of the way (the engine's own pace)",
  noop: "`pulumi up`, no-op (floor)",
};
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const sum = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

export function renderMarkdown(r: BenchResults): string {
  const parts = [
    section(`# Benchmarks (${r.config.mode} mode)`, runTable(r)),
    section("## Targets", table(["#", "figure", "target", "measured", "verdict"], targetRows(r))),
    errors(r),
    r.overhead ? overheadSection(r.overhead) : "",
    r.engine ? engineSection(r.engine) : "",
    r.engine ? stateSection(r.engine) : "",
    r.quota ? section("## 4. Under the quota", ...r.quota.scenarios.map(quotaScenario)) : "",
    ...(r.quota?.pacing ?? []).map(pacingScenario),
    r.engine ? memorySection(r.engine) : "",
    r.settings ? settingsSection(r.settings) : "",
  ];
  return `${parts.filter(Boolean).join("\n").trimEnd()}\n`;
}

function runTable(r: BenchResults): string {
  const x = r.machine;
  const machine = `${x.cpus} × ${x.cpuModel}, ${x.memoryGiB} GiB`;
  const header = ["started", "machine", "load average at start", "Node", "Pulumi CLI", "@pulumi/pulumi", "commit"];
  const row = [r.startedAt, machine, x.loadAverageAtStart.join(" / "), x.node, x.pulumiCli, x.pulumiSdk, x.commit];
  return table([...header, "total"], [[...row, formatMs(r.durationMs)]]);
}

function errors(r: BenchResults): string {
  const failed = [
    ...Object.entries(r.errors).map(([name, message]) => `**${name} failed:**\n\n${fenced(message)}`),
    ...(r.quota?.scenarios ?? []).flatMap((q) =>
      q.runs.filter((x) => x.error).map((x) => `**${q.name}, ${x.side} error:**\n\n${fenced(x.error ?? "")}`),
    ),
    ...(r.quota?.pacing ?? []).flatMap((q) =>
      q.runs.flatMap((x) =>
        x.stacks
          .filter((s) => s.error)
          .map((s) => `**${m.pacingLabel(q)}, ${x.side} error:**\n\n${fenced(s.error ?? "")}`),
      ),
    ),
  ];
  return failed.length > 0 ? section("## Errors", ...failed) : "";
}

function overheadSection(o: OverheadResult): string {
  const ops = [...new Set(o.callCounts.flatMap((s) => Object.keys(s.calls)))].sort();
  const costs = table(
    [`one call on an idle event loop (median of ${o.costs.samples})`, "time"],
    [
      ["check's constant-time password comparison", formatMs(o.costs.compareMs)],
      ["a no-change `diff` (check's verdict, no password work)", formatMs(o.costs.diffMs)],
    ],
  );
  const calls = tabulate(o.callCounts, [
    ["operation", (s) => s.step],
    ...ops.map((op): Column<(typeof o.callCounts)[number]> => [op, (s) => String(s.calls[op] ?? 0)]),
    ["total", (s) => String(sum(s.calls))],
  ]);
  const comparisons = o.comparisons.flatMap((c) => [comparisonHeading(c), comparisonTable(c)]);
  return section("## 1. Provider overhead", costs, ...comparisons, "### API calls per provider operation", calls);
}

function comparisonHeading(c: OverheadComparison): string {
  const what = c.kind === "target" ? "the target comparison" : "where the time goes";
  return `### ${c.emulator}, ${what}: ${c.n} operations per side, ${c.concurrency} in flight, ${c.reps} repetition(s), pool of ${c.poolSize} users`;
}

function comparisonTable(c: OverheadComparison): string {
  return tabulate<SideResult>(c.sides, [
    ["side", (s) => s.label],
    ["median batch time", (s) => formatMs(median(s.ms))],
    ["per operation", (s) => formatMs(median(s.ms) / c.n)],
    ["ratio to baseline (median)", (s) => formatRatio(median(s.ratio))],
  ]);
}

/** Every (size, phase) of the engine benchmark. */
const sizePhases = (e: EngineResult) =>
  e.sizes.flatMap((s) => m.PHASES.map((phase) => ({ s, phase, p: s.phases[phase] })));
/** Every (phase, side) with a scaling figure. */
const scalings = (e: EngineResult) =>
  m.PHASES.flatMap((phase) =>
    SIDES.flatMap((side) => {
      const s = m.engineScaling(e, phase, side);
      return s ? [{ phase, side, ...s }] : [];
    }),
  );

function engineSection(e: EngineResult): string {
  const reps = e.sizes.map((s) => `${s.n}: ${s.reps}${s.skippedForTime ? ` (${s.skippedForTime} skipped)` : ""}`);
  const setup = table(
    ["parallelism", "repetitions per N", "cognito-local pool"],
    [[e.parallel, reps.join(", "), `${e.poolSize} users`]],
  );
  const ms = (p: SizeResult["phases"][Phase], side: EngineSide) => median(p.ms[side]);
  const times = tabulate(sizePhases(e), [
    ["N", ({ s }) => String(s.n)],
    ["operation", ({ phase }) => m.PHASE_LABEL[phase]],
    ["UserPassword", ({ p }) => formatMs(ms(p, "userPassword"))],
    ["no-op", ({ p }) => formatMs(ms(p, "noop"))],
    ["ratio (median)", ({ s, phase }) => formatRatio(m.phaseRatio(s, phase))],
    ["extra per resource", ({ s, p }) => formatMs((ms(p, "userPassword") - ms(p, "noop")) / s.n)],
    [
      "provider process CPU (UserPassword / no-op)",
      ({ p }) => SIDES.map((side) => `${median(p.providerCpuSeconds[side]).toFixed(1)} s`).join(" / "),
    ],
  ]);
  const scaling = tabulate(scalings(e), [
    ["operation", (x) => m.PHASE_LABEL[x.phase]],
    ["resources", (x) => SIDE_NAME[x.side]],
    ["figure", (x) => `time(${x.pair[1]}) / time(${x.pair[0]})`],
    ["measured", (x) => formatRatio(x.ratio)],
    [`linear + ${Math.round((ENGINE_SCALING.target - 1) * 100)} %`, (x) => targetText(ENGINE_SCALING, x.linear)],
  ]);
  return section("## 2. Through the engine", setup, times, scaling, "![time and ratio against N](scaling.svg)");
}

function stateSection(e: EngineResult): string {
  const states = e.sizes.flatMap((s) =>
    SIDES.flatMap((side) => (s.state[side] ? [{ n: s.n, side, st: s.state[side] }] : [])),
  );
  const bytes = (f: (st: StateSize) => number) => (x: (typeof states)[number]) => formatBytes(f(x.st));
  const sizes = tabulate(states, [
    ["N", (x) => String(x.n)],
    ["resource", (x) => SIDE_NAME[x.side]],
    ["bytes per resource (median, compact JSON)", bytes((st) => st.perResourceBytes)],
    ["of which `inputs`", bytes((st) => st.inputsBytes)],
    ["`outputs`", bytes((st) => st.outputsBytes)],
    ["engine fields", bytes((st) => st.engineBytes)],
    ["`__provider` (one copy; in inputs and in outputs)", bytes((st) => st.providerBytes)],
    ["whole `stack export`", bytes((st) => st.exportBytes)],
  ]);
  const naive = tabulate(
    [e.naive],
    [
      ["naive provider (captures a `CognitoIdentityProviderClient`): resources", (x) => String(x.count)],
      ["per resource", (x) => (x.ok && x.state ? formatBytes(x.state.perResourceBytes) : "n/a")],
      ["result", (x) => (x.ok ? "`pulumi up` succeeded" : ((x.error ?? "(no message)").trim().split("\n")[0] ?? ""))],
    ],
  );
  const methods = ["check", "diff", "create", "read", "update", "delete"];
  const perResource = (calls: Record<string, number>, x: string) =>
    formatRatio((calls[x] ?? 0) / e.probe.resources).replace(/\.00$/, "");
  const probe = tabulate(e.probe.operations, [
    ["operation", (op) => op.operation],
    ...methods.map((x): Column<(typeof e.probe.operations)[number]> => [`\`${x}\``, (op) => perResource(op.calls, x)]),
  ]);
  const probeHeading = `### Provider calls per resource of each engine operation (probe provider, ${e.probe.resources} resources)`;
  return section("## 3. State size", sizes, naive, probe && probeHeading, probe);
}

function quotaScenario(q: QuotaScenarioResult): string {
  const several = q.settings.length > 1;
  const groups = [
    ...(["bare", "bareStandard", "barePaced"] as const).map((side) => ({
      side,
      name: QUOTA_SIDE[side],
      setting: undefined,
    })),
    ...q.settings.flatMap((setting) =>
      (["engine", "noop"] as const).map((side) => ({
        side,
        setting,
        name: several ? `${QUOTA_SIDE[side]}, ${m.settingLabel(setting)}` : QUOTA_SIDE[side],
      })),
    ),
  ]
    .map((g) => ({ ...g, runs: m.runsOf(q, g.side, g.setting) }))
    .filter((g) => g.runs.length > 0);
  const unlessNoop = (g: { side: QuotaSide }, text: () => string) => (g.side === "noop" ? "–" : text());
  const perUser = (runs: QuotaRun[]) =>
    Object.fromEntries(
      Object.entries(m.medianTable(runs.map((x) => x.arrivals))).map(([k, v]) => [
        k,
        Math.round((v / q.users) * 100) / 100,
      ]),
    );
  const sides = tabulate(groups, [
    ["side", (g) => g.name],
    ["time", (g) => formatMs(median(g.runs.map((x) => x.ms)))],
    ["succeeded", (g) => String(median(g.runs.map((x) => x.succeeded)))],
    ["failed", (g) => String(Math.max(...g.runs.map((x) => x.failed)))],
    [
      "throughput while seeding / quota",
      (g) => unlessNoop(g, () => formatRatio(m.perQuota(q, g.runs, (x) => x.windowRps))),
    ],
    ["end to end / quota", (g) => formatRatio(m.perQuota(q, g.runs, (x) => x.endToEndRps))],
    ["throttled (median)", (g) => unlessNoop(g, () => m.describeCalls(m.medianTable(g.runs.map((x) => x.throttled))))],
    ["requests per user", (g) => unlessNoop(g, () => m.describeCalls(perUser(g.runs)))],
  ]);
  const heading = `### ${q.name}: ${q.users} users, AdminSetUserPassword ${q.setRatePerSecond} RPS, AdminGetUser ${q.readRatePerSecond} RPS, ${q.reps} repetition(s)`;
  const follow = followUpTable(q);
  const followHeading = `#### Then, on each seeded stack of ${q.users} users: a no-change \`up\` and a \`refresh\``;
  return [heading, sides, ...(follow ? [followHeading, follow] : [])].join("\n\n");
}

function followUpTable(q: QuotaScenarioResult): string {
  const ops = m.followUpRuns(q).flatMap((run) =>
    (["noChange", "refresh"] as const).flatMap((op) => {
      const x: FollowUp | undefined = run.followUps?.[op];
      return x ? [{ setting: run.setting ?? "default", op, x }] : [];
    }),
  );
  return tabulate(ops, [
    ["setting", (f) => m.settingLabel(f.setting)],
    ["operation", (f) => m.PHASE_LABEL[f.op]],
    ["time", (f) => formatMs(f.x.ms)],
    ["AdminSetUserPassword requests", (f) => String(f.x.arrivals[m.SET_OP] ?? 0)],
    ["all requests", (f) => m.describeCalls(f.x.arrivals)],
    ["throttled", (f) => m.describeCalls(f.x.throttled)],
    ["resources changed", (f) => String(f.x.changed)],
    ["result", (f) => (f.x.error ? `failed: ${f.x.error.split("\n")[0]}` : "succeeded")],
  ]);
}

/** Issue 17: one row per side and repetition of a pacing scenario (stacks joined by "+"). */
function pacingScenario(q: PacingScenarioResult): string {
  const heading = `### Seeding with the library's pacer: ${m.pacingLabel(q)}, ${q.reps} repetition(s), pool of ${q.poolSize} users`;
  const perStack = (run: (typeof q.runs)[number], f: (s: (typeof run.stacks)[number]) => number) =>
    run.stacks.map((s) => String(f(s))).join(" + ");
  const rows = tabulate(q.runs, [
    ["side", (x) => PACING_SIDE[x.side]],
    ["time", (x) => formatMs(x.ms)],
    ["succeeded", (x) => perStack(x, (s) => s.succeeded)],
    ["failed", (x) => `${perStack(x, (s) => s.failed)}${x.stacks.some((s) => s.error) ? " (error)" : ""}`],
    ["throughput while seeding / quota", (x) => (x.side === "noop" ? "–" : formatRatio(m.pacingWindow(q, x)))],
    ["end to end / quota", (x) => formatRatio(x.endToEndRps / q.setRatePerSecond)],
    ["throttled", (x) => (x.side === "noop" ? "–" : m.describeCalls(x.throttled))],
    [
      "provider peak RSS",
      (x) => (x.providerPeakKiB !== undefined && Number.isFinite(x.providerPeakKiB) ? mib(x.providerPeakKiB) : "–"),
    ],
  ]);
  return section(heading, rows);
}

function memorySection(e: EngineResult): string {
  const peak = (p: SizeResult["phases"][Phase], side: EngineSide) => median(p.providerPeakKiB[side]);
  const rows = tabulate(sizePhases(e), [
    ["N", ({ s }) => String(s.n)],
    ["operation", ({ phase }) => m.PHASE_LABEL[phase]],
    ["UserPassword provider", ({ p }) => mib(peak(p, "userPassword"))],
    ["no-op provider", ({ p }) => mib(peak(p, "noop"))],
    ["ratio", ({ p }) => formatRatio(peak(p, "userPassword") / peak(p, "noop"))],
  ]);
  const mb = e.memory;
  const breakdown = Number.isFinite(mb.pulumiKiB)
    ? table(
        ["peak RSS of a fresh node process", '`require("@pulumi/pulumi")`', "plus the AWS SDK's Cognito client"],
        [["", mib(mb.pulumiKiB), `+${mib(mb.pulumiSdkKiB - mb.pulumiKiB)}`]],
      )
    : "";
  return section("## 5. Memory of the dynamic provider process (peak RSS, VmHWM, median)", rows, breakdown);
}

function settingsSection(st: SettingsResult): string {
  const cells = st.sizes.flatMap((size) => st.settings.map((s) => ({ size, s })));
  type Cell = { size: SettingsSizeResult; s: EngineSetting };
  const t = (phase: SettingsPhase, side: EngineSide) => (c: Cell) => median(c.size.ms[phase][c.s.id]?.[side] ?? []);
  const ratio = (phase: SettingsPhase, b: "default" | "noop") => (c: Cell) => {
    const other: [EngineSettingId, EngineSide] = b === "default" ? ["default", "userPassword"] : [c.s.id, "noop"];
    const same = b === "default" && c.s.id === "default";
    return same ? "1.00" : formatRatio(m.settingsRatio(c.size, phase, [c.s.id, "userPassword"], other));
  };
  const times = tabulate(cells, [
    ["N", (c) => String(c.size.n)],
    ["setting", (c) => c.s.label],
    ["`up` (create), UserPassword", (c) => formatMs(t("create", "userPassword")(c))],
    ["per user", (c) => formatMs(t("create", "userPassword")(c) / c.size.n)],
    ["no-op", (c) => formatMs(t("create", "noop")(c))],
    ["UserPassword / default", ratio("create", "default")],
    ["UserPassword / no-op", ratio("create", "noop")],
    ["`up` (no change), UserPassword", (c) => formatMs(t("noChange", "userPassword")(c))],
    ["no-op", (c) => formatMs(t("noChange", "noop")(c))],
    ["UserPassword / default", ratio("noChange", "default")],
  ]);
  const scalings = st.settings.flatMap((s) =>
    SIDES.flatMap((side) => {
      const [c, u] = [m.settingsScaling(st, "create", s.id, side), m.settingsScaling(st, "noChange", s.id, side)];
      return c && u ? [{ s, side, c, u }] : [];
    }),
  );
  const pair = scalings[0]?.c.pair ?? [];
  const scaling = tabulate(scalings, [
    ["setting", (x) => x.s.label],
    ["resources", (x) => SIDE_NAME[x.side]],
    [`\`up\` (create) time(${pair[1]}) / time(${pair[0]})`, (x) => formatRatio(x.c.ratio)],
    ["`up` (no change), same", (x) => formatRatio(x.u.ratio)],
    ["linear", (x) => formatRatio(x.c.linear)],
  ]);
  return section("## 6. Engine settings side by side", times, scaling);
}
