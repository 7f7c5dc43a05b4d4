/**
 * Finding and killing processes this test process started (directly or further down): the
 * pulumi CLI the Automation API runs, and the dynamic provider plugin the CLI starts
 * (`pulumi-resource-pulumi-nodejs`, a shell script that runs
 * `node .../@pulumi/pulumi/cmd/dynamic-provider/index.js`). Linux /proc only. Only
 * descendants of this process are ever returned, so other test runs on the machine are safe.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The command line, arguments joined by spaces. */
  cmdline: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // pid (comm) state ppid ...: comm may hold spaces and parentheses; the last ")" ends it.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(rest[1]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
    return { pid, ppid, cmdline };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** Every live descendant of `root` (default: this process), parents before children. */
export function descendants(root: number = process.pid): ProcessInfo[] {
  const all: ProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProcess(Number(entry));
    if (info) all.push(info);
  }
  const byParent = new Map<number, ProcessInfo[]>();
  for (const p of all) {
    const list = byParent.get(p.ppid);
    if (list) list.push(p);
    else byParent.set(p.ppid, [p]);
  }
  const out: ProcessInfo[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const child of byParent.get(pid) ?? []) {
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

/** The dynamic provider processes (node running @pulumi/pulumi's cmd/dynamic-provider) below this process. */
export function dynamicProviderProcesses(root: number = process.pid): ProcessInfo[] {
  return descendants(root).filter(
    (p) => /cmd[/\\]dynamic-provider/.test(p.cmdline) && !p.cmdline.startsWith("/bin/sh"),
  );
}

/** The pulumi CLI processes (`pulumi up|preview|...`) below this process. */
export function pulumiCliProcesses(root: number = process.pid): ProcessInfo[] {
  return descendants(root).filter((p) => /(^|\/)pulumi$/.test(p.cmdline.split(" ")[0] ?? ""));
}

/** Sends `signal` to each pid; returns those it reached. */
export function killAll(pids: readonly number[], signal: NodeJS.Signals = "SIGKILL"): number[] {
  const reached: number[] = [];
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      reached.push(pid);
    } catch {
      // already gone
    }
  }
  return reached;
}

/** Polls `predicate` every `intervalMs` until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(predicate: () => boolean, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return predicate();
}
