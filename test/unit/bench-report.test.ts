// The benchmark report (bench/lib/report.ts, targets.ts) on a fixture of raw results: the raw
// JSON a real `npm run bench -- --quick` wrote (test/unit/fixtures/bench-quick-raw.json), and
// variants of it made here. The expected figures were worked out by hand from the fixture's
// numbers (e.g. create via the provider 73.8 ms / bare set 37.7 ms = 1.96 against ≤ 1.20).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { BenchResults } from "../../bench/lib/results";
import { renderMarkdown } from "../../bench/lib/report";
import { renderScalingSvg } from "../../bench/lib/scaling-plot";
import { targetRows } from "../../bench/lib/targets";
import { benchTargetsTable } from "../../scripts/doc-tables";

const FIXTURE = path.join(__dirname, "fixtures", "bench-quick-raw.json");
const raw = (): BenchResults => JSON.parse(readFileSync(FIXTURE, "utf8")) as BenchResults;

/** The targets table's row whose figure column starts with `figure`. */
function rowOf(r: BenchResults, figure: string): string[] {
  const rows = targetRows(r).filter((row) => row[1].startsWith(figure));
  expect(rows, figure).toHaveLength(1);
  return rows[0] as string[];
}

describe("the benchmark report of a quick run's raw results", () => {
  const r = raw();

  it("judges each figure against its target", () => {
    expect(rowOf(r, "`create` via `userPasswordProvider` / bare AdminSetUserPassword, cognito-local")).toEqual([
      "1",
      "`create` via `userPasswordProvider` / bare AdminSetUserPassword, cognito-local, N=16, 8 in flight",
      "≤ 1.20",
      "1.96",
      "**missed** by 0.76 (63.1 % over)",
    ]);
    expect(rowOf(r, "API calls per `create`").slice(3)).toEqual([
      "2 (AdminGetUser 1, AdminSetUserPassword 1)",
      "**missed**: 1 extra",
    ]);
    // No change: 4169.4 / 4660.0 at N=3 and 5915.6 / 4333.1 at N=6: the worse one is judged.
    expect(rowOf(r, "`up` (no change), UserPassword / no-op").slice(2)).toEqual([
      "≤ 1.30 at every N",
      "0.89 / 1.37",
      "**missed** by 0.07 (5.0 % over)",
    ]);
    // Create: 2851.6 / 3065.5 at N=3 and 4347.6 / 5461.3 at N=6, both under the bound.
    expect(rowOf(r, "`up` (create), UserPassword / no-op").slice(2)).toEqual([
      "≤ 1.30 at every N",
      "0.93 / 0.80",
      "met",
    ]);
    // time(6) / time(3) = 4347.6 / 2851.6, against linear (2) + 10 %.
    expect(rowOf(r, "`up` (create) time(6) / time(3)").slice(2)).toEqual(["≤ 2.20", "1.52", "met"]);
    expect(rowOf(r, "state per UserPassword resource").slice(2)).toEqual([
      "≤ 2 KB",
      "2.49 KB",
      "**missed** by 500 B (24.4 % over)",
    ]);
    // 13.38 admitted sets per second against a quota of 25.
    expect(
      rowOf(r, "Cognito's quota: `up` of 40 users, AdminSetUserPassword ≤ 25 RPS, default engine setting: throughput"),
    ).toEqual([
      "4",
      "Cognito's quota: `up` of 40 users, AdminSetUserPassword ≤ 25 RPS, default engine setting: throughput while seeding / quota",
      "≥ 0.90",
      "0.54",
      "**missed** by 0.36 (40.5 % short)",
    ]);
    expect(rowOf(r, "Cognito's quota: after seeding 40 users").slice(2)).toEqual([
      "0",
      "0 / 0 (all requests, median: DescribeUserPool 1 / AdminGetUser 40)",
      "met",
    ]);
  });

  it("picks the best engine setting among those with no failed resource", () => {
    const best = "Cognito's quota: `up` of 40 users, AdminSetUserPassword ≤ 25 RPS, the best setting";
    // Default 13.38 and both settings 12.57 admitted sets per second: default is the best.
    expect(rowOf(r, `${best} (default): throughput`).slice(3)).toEqual(["0.54", "**missed** by 0.41 (43.7 % short)"]);
    expect(rowOf(r, "Cognito's quota: `up` of 40 users, AdminSetUserPassword ≤ 25 RPS, `PULUMI")[3]).toBe(
      "0 / 0.50 / 0.31",
    );
    const failing = raw();
    const byDefault = failing.quota?.scenarios[0]?.runs.find((x) => x.side === "engine" && x.setting === "default");
    if (!byDefault) throw new Error("the fixture has no engine run under the default setting");
    byDefault.failed = 2;
    const both = `${best} (\`PULUMI_SKIP_CHECKPOINTS=true\` + \`--parallel 32\`)`;
    expect(rowOf(failing, `${both}: failed resources`).slice(3)).toEqual(["0", "met"]);
    expect(rowOf(failing, `${both}: throughput`).slice(3)).toEqual(["0.50", "**missed** by 0.45 (47.1 % short)"]);
    expect(
      rowOf(
        failing,
        "Cognito's quota: `up` of 40 users, AdminSetUserPassword ≤ 25 RPS, default engine setting: failed",
      ).slice(3),
    ).toEqual(["2", "**missed**"]);
  });

  it("judges the pacing scenarios (issue 17), each stack's failures and the raised quota beside its floor", () => {
    const pace = "(40 users, quota 25 sets/s, `PULUMI_SKIP_CHECKPOINTS=true`)";
    // 25.20 admitted sets per second against 25.
    expect(rowOf(r, "one stack, `PULUMI_SKIP_CHECKPOINTS=true`: sets per second").slice(1)).toEqual([
      `one stack, \`PULUMI_SKIP_CHECKPOINTS=true\`: sets per second while seeding / quota ${pace}`,
      "≥ 0.97",
      "1.01",
      "met",
    ]);
    expect(rowOf(r, `failed resources (every stack) ${pace}`).slice(2)).toEqual(["0", "0", "met"]);
    expect(rowOf(r, `throttled requests per user (AdminSetUserPassword + AdminGetUser) ${pace}`).slice(2)).toEqual([
      "(report)",
      "0.000",
      "",
    ]);
    // Two stacks: 46.56 admitted sets per second together against one quota of 25.
    expect(rowOf(r, "two stacks at once, one quota").slice(3)).toEqual(["1.86", "met"]);
    // The raised quota: 60 users at 100 per second, fewer than the first second's burst, so no
    // window to measure in quick mode; the no-op floor 9.06 users/s end to end.
    expect(rowOf(r, "raised quota of 100 per second").slice(2)).toEqual([
      "(report)",
      "n/a",
      "engine's own pace (nothing throttling, pacer out of the way): n/a; engine floor (no-op users/s, end to end) / quota: 0.09",
    ]);
    // 2,000 users are full mode only.
    expect(targetRows(r).filter((row) => row[1].includes("2,000 users"))).toEqual([]);
    const errored = raw();
    const stack = errored.quota?.pacing?.find((q) => q.id === "twoStacks")?.runs[0]?.stacks[1];
    if (!stack) throw new Error("the fixture has no second stack");
    stack.error = "error: update failed";
    expect(rowOf(errored, "failed resources (every stack) (2 stacks").slice(3)).toEqual(["1", "**missed**"]);
    expect(renderMarkdown(errored)).toContain("**2 stacks × 20 users, quota 25 sets/s");
  });

  it("judges the default setting's pacing at 0.90, or within 0.05 of the engine's own pace beside it", () => {
    const figure = "one stack, default engine setting: sets per second";
    // Paced 13.23, the engine's own pace 12.24 sets per second: the paced run is at or above it.
    expect(rowOf(r, figure).slice(2)).toEqual([
      "≥ 0.90, or within 0.05 of the engine's own pace, nothing throttling, pacer out of the way",
      "0.53 (engine's own pace: 0.49)",
      "met: at or above 0.49",
    ]);
    const withOwnPace = (setsPerSecond: number) => {
      const x = raw();
      const own = x.quota?.pacing?.find((q) => q.id === "default")?.runs.find((run) => run.side === "unthrottled");
      if (!own) throw new Error("the fixture has no unthrottled run");
      own.windowRps = setsPerSecond;
      return rowOf(x, figure).slice(3);
    };
    expect(withOwnPace(14)).toEqual(["0.53 (engine's own pace: 0.56)", "met: within 0.05 of 0.56"]);
    expect(withOwnPace(16)).toEqual(["0.53 (engine's own pace: 0.64)", "**missed** by 0.06 (below 0.64 − 0.05)"]);
    // The engine's own pace at 0.96 of the quota: judged against 0.90 alone.
    expect(withOwnPace(24)).toEqual(["0.53 (engine's own pace: 0.96)", "**missed** by 0.37 (41.2 % short)"]);
  });

  it("judges each engine setting's scaling against linear when there are two sizes", () => {
    const two = raw();
    const settings = two.settings;
    const small = settings?.sizes[0];
    if (!settings || !small) throw new Error("the fixture has no settings result");
    // N=12: four times N=3's times under the default (linear), six times under --parallel 32.
    const times = (k: (id: string) => number) => ({
      create: Object.fromEntries(
        Object.entries(small.ms.create).map(([id, sides]) => [
          id,
          {
            userPassword: (sides?.userPassword ?? []).map((t) => t * k(id)),
            noop: (sides?.noop ?? []).map((t) => t * 4),
          },
        ]),
      ),
      noChange: small.ms.noChange,
    });
    settings.sizes.push({ ...small, n: 12, ms: times((id) => (id === "parallel32" ? 6 : 4)) });
    expect(rowOf(two, "`up` (create) time(12) / time(3), UserPassword, default ").slice(1)).toEqual([
      "`up` (create) time(12) / time(3), UserPassword, default (no-op: 4.00; linear 4.00)",
      "≤ 4.40",
      "4.00",
      "met",
    ]);
    expect(rowOf(two, "`up` (create) time(12) / time(3), UserPassword, `--parallel 32` ").slice(3)).toEqual([
      "6.00",
      "**missed** by 1.60 (36.4 % over)",
    ]);
    expect(renderMarkdown(two)).toContain("| default | UserPassword | 4.00 | 1.00 | 4.00 |");
  });

  it("emits headings, tables, the plot and nothing else", () => {
    const md = renderMarkdown(r);
    const lines = md.split("\n").filter((line) => line !== "");
    const prose = lines.filter((line) => !/^(#{1,4} |\| |!\[)/.test(line));
    expect(prose).toEqual([]);
    expect(md).toContain("![time and ratio against N](scaling.svg)");
    expect(md).toMatch(/^## 6\. Engine settings side by side$/m);
    expect(benchTargetsTable(md).split("\n")).toHaveLength(targetRows(r).length + 2);
  });

  it("shows a benchmark's failure, and the run's errors, verbatim", () => {
    const failed = raw();
    failed.errors.quota = "Error: cognito-local did not start";
    const md = renderMarkdown(failed);
    expect(md).toContain("## Errors\n\n**quota failed:**\n\n```\nError: cognito-local did not start\n```");
  });

  it("draws the time and the ratio of every phase against N", () => {
    const svg = renderScalingSvg(r.engine ?? ({} as never));
    for (const name of ["up (create), UserPassword", "refresh, no-op", "target ≤ 1.30 at every N", "linear from N=3"]) {
      expect(svg).toContain(name);
    }
  });
});
