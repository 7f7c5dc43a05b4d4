/**
 * A small SVG line-plot writer (no dependency): panels side by side, each with linear axes,
 * tick labels, polylines with point markers, optional dashed reference lines and a legend.
 */

export interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: Array<[number, number]>;
}

export interface ReferenceLine {
  label: string;
  color: string;
  /** A horizontal line at y, or a line through the points (e.g. "linear from N=100"). */
  y?: number;
  points?: Array<[number, number]>;
}

export interface Panel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  references?: ReferenceLine[];
  /** Force the y axis to start at this value (default 0). */
  yMin?: number;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** 1, 2, 2.5, 5 x 10^k steps giving about `count` ticks. */
function niceStep(range: number, count: number): number {
  const raw = range / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 1 ? 2 : 1);
}

const LEGEND_LINE = 15;

function legendEntries(panel: Panel): number {
  return panel.series.length + (panel.references?.length ?? 0);
}

/** `height` is the plot's; the legend goes below it, one line per entry. */
function panelSvg(panel: Panel, x0: number, y0: number, width: number, height: number): string {
  const m = { left: 58, right: 14, top: 30, bottom: 46 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const allPoints = [
    ...panel.series.flatMap((s) => s.points),
    ...(panel.references ?? []).flatMap((r) => r.points ?? []),
  ];
  const finite = allPoints.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = finite.map(([x]) => x);
  const ys = [
    ...finite.map(([, y]) => y),
    ...(panel.references ?? []).map((r) => r.y).filter((y): y is number => y !== undefined),
  ];
  const xMax = Math.max(1, ...xs);
  const yMin = panel.yMin ?? 0;
  const yStep = niceStep(Math.max(1e-9, Math.max(...ys, yMin + 1e-9) - yMin), 5);
  const yMax = Math.ceil((Math.max(...ys, yMin + yStep) - yMin) / yStep) * yStep + yMin;
  const sx = (x: number) => x0 + m.left + (x / xMax) * pw;
  const sy = (y: number) => y0 + m.top + ph - ((Math.min(Math.max(y, yMin), yMax) - yMin) / (yMax - yMin)) * ph;
  const out: string[] = [];
  out.push(
    `<text x="${x0 + width / 2}" y="${y0 + 18}" text-anchor="middle" font-size="14" font-weight="bold">${esc(panel.title)}</text>`,
  );
  // Grid and y ticks.
  for (let y = yMin; y <= yMax + yStep / 1000; y += yStep) {
    out.push(`<line x1="${sx(0)}" x2="${sx(xMax)}" y1="${sy(y)}" y2="${sy(y)}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${sx(0) - 6}" y="${sy(y) + 4}" text-anchor="end" font-size="11">${fmt(y)}</text>`);
  }
  // x ticks at the data's x values.
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    out.push(`<line x1="${sx(x)}" x2="${sx(x)}" y1="${sy(yMin)}" y2="${sy(yMin) + 4}" stroke="#333"/>`);
    out.push(`<text x="${sx(x)}" y="${sy(yMin) + 16}" text-anchor="middle" font-size="11">${fmt(x)}</text>`);
  }
  out.push(`<line x1="${sx(0)}" x2="${sx(xMax)}" y1="${sy(yMin)}" y2="${sy(yMin)}" stroke="#333"/>`);
  out.push(`<line x1="${sx(0)}" x2="${sx(0)}" y1="${sy(yMin)}" y2="${sy(yMax)}" stroke="#333"/>`);
  out.push(
    `<text x="${x0 + m.left + pw / 2}" y="${y0 + height - 8}" text-anchor="middle" font-size="12">${esc(panel.xLabel)}</text>`,
  );
  out.push(
    `<text x="${x0 + 14}" y="${y0 + m.top + ph / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 ${x0 + 14} ${y0 + m.top + ph / 2})">${esc(panel.yLabel)}</text>`,
  );
  // Reference lines.
  for (const r of panel.references ?? []) {
    if (r.y !== undefined) {
      out.push(
        `<line x1="${sx(0)}" x2="${sx(xMax)}" y1="${sy(r.y)}" y2="${sy(r.y)}" stroke="${r.color}" stroke-dasharray="2 4" stroke-width="1.5"/>`,
      );
    } else if (r.points && r.points.length > 1) {
      const pts = r.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ");
      out.push(`<polyline points="${pts}" fill="none" stroke="${r.color}" stroke-dasharray="2 4" stroke-width="1.5"/>`);
    }
  }
  // Series.
  for (const s of panel.series) {
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length === 0) continue;
    const dash = s.dashed ? ` stroke-dasharray="7 4"` : "";
    out.push(
      `<polyline points="${pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ")}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`,
    );
    for (const [x, y] of pts)
      out.push(
        `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${s.dashed ? "white" : s.color}" stroke="${s.color}" stroke-width="1.5"/>`,
      );
  }
  // Legend, below the x axis label.
  const entries = [
    ...panel.series.map((s) => ({ name: s.name, color: s.color, dash: s.dashed ? "7 4" : "" })),
    ...(panel.references ?? []).map((r) => ({ name: r.label, color: r.color, dash: "2 4" })),
  ];
  entries.forEach((e, i) => {
    const ly = y0 + height + 4 + i * LEGEND_LINE;
    const lx = x0 + m.left + 10;
    out.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${e.color}" stroke-width="2"${e.dash ? ` stroke-dasharray="${e.dash}"` : ""}/>`,
    );
    out.push(`<text x="${lx + 28}" y="${ly + 4}" font-size="11">${esc(e.name)}</text>`);
  });
  return out.join("\n");
}

/** Panels in one row; returns a standalone SVG document. */
export function renderPlot(
  panels: Panel[],
  options: { panelWidth?: number; height?: number; caption?: string } = {},
): string {
  const pw = options.panelWidth ?? 480;
  const plotHeight = options.height ?? 360;
  const legendHeight = Math.max(...panels.map(legendEntries)) * LEGEND_LINE + 8;
  const h = plotHeight + legendHeight;
  const captionHeight = options.caption ? 22 : 0;
  const width = pw * panels.length;
  const body = panels.map((p, i) => panelSvg(p, i * pw, 0, pw, plotHeight)).join("\n");
  const caption = options.caption
    ? `<text x="${width / 2}" y="${h + 14}" text-anchor="middle" font-size="11" fill="#555">${esc(options.caption)}</text>`
    : "";
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h + captionHeight}" viewBox="0 0 ${width} ${h + captionHeight}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    body,
    caption,
    `</svg>`,
    "",
  ].join("\n");
}
