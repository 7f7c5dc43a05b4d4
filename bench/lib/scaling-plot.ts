/** The scaling plot of results.md: wall time against N, and UserPassword / no-op against N. */
import type { EngineResult, SizeResult } from "../engine-scaling";
import * as m from "./measures";
import { median } from "./stats";
import { renderPlot, type Series } from "./svg";
import { ENGINE_OVERHEAD, targetText } from "./targets";

const SIDES = ["userPassword", "noop"] as const;
const SIDE_NAME = { userPassword: "UserPassword", noop: "no-op" } as const;
const PHASE_COLOR = { create: "#1f77b4", noChange: "#2ca02c", refresh: "#d62728" } as const;
const PHASE_PLAIN = { create: "up (create)", noChange: "up (no change)", refresh: "refresh" } as const;

export function renderScalingSvg(e: EngineResult): string {
  const sizes = e.sizes.map((s) => s.n);
  const points = (f: (s: SizeResult) => number) => e.sizes.map((s): [number, number] => [s.n, f(s)]);
  const timeSeries: Series[] = m.PHASES.flatMap((phase) =>
    SIDES.map((side) => ({
      name: `${PHASE_PLAIN[phase]}, ${SIDE_NAME[side]}`,
      color: PHASE_COLOR[phase],
      dashed: side === "noop",
      points: points((s) => median(s.phases[phase].ms[side]) / 1000),
    })),
  );
  const ratioSeries: Series[] = m.PHASES.map((phase) => ({
    name: PHASE_PLAIN[phase],
    color: PHASE_COLOR[phase],
    points: points((s) => m.phaseRatio(s, phase)),
  }));
  const pair = m.scalingPair(sizes);
  const base = pair && e.sizes.find((s) => s.n === pair[0]);
  const t0 = base ? median(base.phases.create.ms.userPassword) / 1000 : NaN;
  const label = `linear from N=${pair?.[0]} (UserPassword up)`;
  const linear =
    pair && Number.isFinite(t0)
      ? [{ label, color: "#888", points: sizes.map((n): [number, number] => [n, (t0 * n) / pair[0]]) }]
      : [];
  const target = { label: `target ${targetText(ENGINE_OVERHEAD)}`, color: "#888", y: ENGINE_OVERHEAD.target };
  return renderPlot(
    [
      {
        title: "Wall time against N (median)",
        xLabel: "resources (N)",
        yLabel: "seconds",
        series: timeSeries,
        references: linear,
      },
      {
        title: "UserPassword / no-op (median ratio)",
        xLabel: "resources (N)",
        yLabel: "ratio",
        series: ratioSeries,
        references: [target, { label: "1.0 (engine floor)", color: "#bbb", y: 1 }],
      },
    ],
    {
      caption:
        "Solid: UserPassword; dashed: no-op dynamic resources with the same inputs. Same engine, backend and parallelism, interleaved.",
    },
  );
}
