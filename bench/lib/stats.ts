/**
 * Timing and statistics helpers. Every figure the benchmarks report is a ratio of two sides
 * measured in the same run, interleaved (the order of the sides rotates from one repetition to
 * the next), repeated, and summarised by the median.
 */

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs `fn` and returns its duration in ms along with its value. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = nowMs();
  const value = await fn();
  return { ms: nowMs() - start, value };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function min(values: readonly number[]): number {
  return values.length === 0 ? NaN : Math.min(...values);
}

export function max(values: readonly number[]): number {
  return values.length === 0 ? NaN : Math.max(...values);
}

/** Element-wise ratios a[i] / b[i] (one per repetition, so both sides share the machine's state). */
export function ratios(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) out.push((a[i] as number) / (b[i] as number));
  return out;
}

/**
 * Runs `count` tasks with at most `concurrency` in flight (the engine's `--parallel` works
 * the same way). Rejects with the first error after every started task has settled.
 */
export async function runPool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  let firstError: unknown;
  let failed = false;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      try {
        await task(index);
      } catch (err) {
        if (!failed) {
          failed = true;
          firstError = err;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failed) throw firstError;
}

/**
 * The order of the sides in repetition `rep`: rotated by `rep`, and reversed on odd
 * repetitions, so no side always runs first (warm caches) or last (a tired machine).
 */
export function interleavedOrder<T>(sides: readonly T[], rep: number): T[] {
  const n = sides.length;
  const rotated = sides.map((_, i) => sides[(i + rep) % n] as T);
  return rep % 2 === 1 ? rotated.reverse() : rotated;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `12.3 s`, `840 ms`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  return ms >= 10_000
    ? `${(ms / 1000).toFixed(1)} s`
    : ms >= 1000
      ? `${(ms / 1000).toFixed(2)} s`
      : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;
}

export function formatRatio(r: number): string {
  return Number.isFinite(r) ? r.toFixed(2) : "n/a";
}

/** `1.2 KB` style, 1 KB = 1024 bytes. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "n/a";
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(2)} KB`;
  return `${Math.round(bytes)} B`;
}

/** Progress for the person watching; goes to stderr so it never mixes with results. */
export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
