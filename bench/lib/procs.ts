/**
 * Peak memory of the dynamic provider process (`pulumi-resource-pulumi-nodejs`, a shell
 * script that runs `node .../@pulumi/pulumi/cmd/dynamic-provider/index.js`) while an engine
 * operation runs. Only descendants of this process are looked at (other sessions on the
 * machine run their own engines): the tree is walked through
 * /proc/<pid>/task/<tid>/children, and each provider's /proc/<pid>/status is read for
 * VmHWM (the kernel's own peak RSS) until the process exits. Linux only; elsewhere the
 * monitor reports nothing.
 */
import { readdir, readFile } from "node:fs/promises";

export interface ProviderMemory {
  /** Provider processes seen. */
  processes: number;
  /** Largest VmHWM (peak resident set) of any of them, in KiB; NaN when none was seen. */
  peakKiB: number;
  /** CPU time (user + system) of all of them, as last seen before they exited, in seconds. */
  cpuSeconds: number;
}

async function childrenOf(pid: number): Promise<number[]> {
  let tasks: string[];
  try {
    tasks = await readdir(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tasks) {
    try {
      const text = await readFile(`/proc/${pid}/task/${tid}/children`, "utf8");
      for (const part of text.split(/\s+/)) if (part) out.push(Number(part));
    } catch {
      // thread or process gone
    }
  }
  return out;
}

async function descendants(root: number): Promise<number[]> {
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const child of await childrenOf(pid)) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

async function isDynamicProvider(pid: number): Promise<boolean> {
  try {
    const argv = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0");
    return argv.some((a) => /[\\/]cmd[\\/]dynamic-provider([\\/]index(\.js)?)?$/.test(a));
  } catch {
    return false;
  }
}

/** utime + stime of a process, in seconds (fields 14 and 15 of /proc/<pid>/stat, in clock ticks). */
async function cpuSecondsOf(pid: number): Promise<number | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces: split after its closing parenthesis.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]),
      stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

/** USER_HZ; 100 on every Linux this runs on (sysconf is not reachable from Node). */
const CLOCK_TICKS = 100;

async function statusKiB(pid: number, field: "VmHWM" | "VmRSS"): Promise<number | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Polls until `stop()`; `stop()` resolves the peak seen. */
export class ProviderMemoryMonitor {
  private readonly peaks = new Map<number, number>();
  private readonly cpu = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();

  constructor(private readonly intervalMs = 100) {}

  start(): this {
    if (process.platform !== "linux") return this;
    const tick = () => {
      this.polling = this.poll().finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(tick, this.intervalMs);
      });
    };
    this.timer = setTimeout(tick, 0);
    return this;
  }

  private async poll(): Promise<void> {
    for (const pid of await descendants(process.pid)) {
      // Not cached when negative: a child between fork and exec still shows its parent's command line.
      if (!this.peaks.has(pid)) {
        if (!(await isDynamicProvider(pid))) continue;
        this.peaks.set(pid, 0);
      }
      const hwm = (await statusKiB(pid, "VmHWM")) ?? (await statusKiB(pid, "VmRSS"));
      if (hwm !== undefined) this.peaks.set(pid, Math.max(this.peaks.get(pid) ?? 0, hwm));
      const cpu = await cpuSecondsOf(pid);
      if (cpu !== undefined) this.cpu.set(pid, Math.max(this.cpu.get(pid) ?? 0, cpu));
    }
  }

  async stop(): Promise<ProviderMemory> {
    const timer = this.timer;
    this.timer = undefined;
    if (timer) clearTimeout(timer);
    await this.polling;
    const seen = [...this.peaks.values()].filter((v) => v > 0);
    const cpuSeconds = [...this.cpu.values()].reduce((a, b) => a + b, 0);
    return {
      processes: seen.length,
      peakKiB: seen.length > 0 ? Math.max(...seen) : NaN,
      cpuSeconds: seen.length > 0 ? cpuSeconds : NaN,
    };
  }
}
