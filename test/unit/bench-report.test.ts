// The benchmark report (bench/lib/report.ts, targets.ts) on a fixture of raw results: the raw
// JSON a real `npm run bench -- --quick` wrote (test/unit/fixtures/bench-quick-raw.json), and
// variants of it made here. The expected figures were worked out by hand from the fixture's
// numbers (e.g. create via the provider 135.6 ms / bare set 81.7 ms = 1.66 against ≤ 1.20).
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
      "1.66",
      "**missed** by 0.46 (38.2 % over)",
    ]);
    expect(rowOf(r, "API calls per `create`").slice(3)).toEqual([
      "2 (AdminGetUser 1, AdminSetUserPassword 1)",
      "**missed**: 1 extra",
    ]);
    // 3635.8 / 2762.3 at N=3 and 3982.1 / 3792.0 at N=6: the worse one is judged.
    expect(rowOf(r, "`up` (create), UserPassword / no-op").slice(2)).toEqual([
      "≤ 1.30 at every N",
      "1.32 / 1.05",
      "**missed** by 0.02 (1.2 % over)",
    ]);
    // time(6) / time(3) = 3982.1 / 3635.8, against linear (2) + 10 %.
    expect(rowOf(r, "`up` (create) time(6) / time(3)").slice(2)).toEqual(["≤ 2.20", "1.10", "met"]);
    expect(rowOf(r, "state per UserPassword resource").slice(2)).toEqual([
      "≤ 2 KB",
      "2.49 KB",
      "**missed** by 500 B (24.4 % over)",
    ]);
    // 12.65 admitted sets per second against a quota of 25.
    expect(
      rowOf(r, "Cognito's quota: `up` of 40 users, AdminSetUserPassword ≤ 25 RPS, default engine setting: throughput"),
    ).toEqual([
      "4",
      "Cognito's quota: `up` of 40 users, AdminSetUserPassword ≤ 25 RPS, default engine setting: throughput while seeding / quota",
      "≥ 0.90",
      "0.51",
      "**missed** by 0.39 (43.8 % short)",
    ]);
    expect(rowOf(r, "Cognito's quota: after seeding 40 users").slice(2)).toEqual([
      "0",
      "0 / 0 (all requests, median: DescribeUserPool 1 / AdminGetUser 40)",
      "met",
    ]);
  });

  it("picks the best engine setting among those with no failed resource", () => {
    const best = "Cognito's quota: `up` of 40 users, AdminSetUserPassword ≤ 25 RPS, the best setting";
    expect(rowOf(r, `${best} (\`PULUMI_SKIP_CHECKPOINTS=true\` + \`--parallel 32\`): throughput`).slice(3)).toEqual([
      "1.98",
      "met",
    ]);
    const failing = raw();
    const both = failing.quota?.scenarios[0]?.runs.find((x) => x.side === "engine" && x.setting === "both");
    if (!both) throw new Error("the fixture has no engine run under both settings");
    both.failed = 2;
    expect(rowOf(failing, `${best} (default): failed resources`).slice(3)).toEqual(["0", "met"]);
    expect(rowOf(failing, `${best} (default): throughput`).slice(3)).toEqual([
      "0.51",
      "**missed** by 0.44 (46.7 % short)",
    ]);
    expect(rowOf(failing, "Cognito's quota: `up` of 40 users, AdminSetUserPassword ≤ 25 RPS, `PULUMI")[3]).toBe(
      "2 / 1.98 / 0.16",
    );
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
