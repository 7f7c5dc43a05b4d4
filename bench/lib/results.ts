/** Everything one run measured, as written to bench/results/raw/*.json and rendered by report.ts. */
import { execFileSync } from "node:child_process";
import os from "node:os";
import type { EngineResult } from "../engine-scaling";
import type { SettingsResult } from "../engine-settings";
import type { OverheadResult } from "../provider-overhead";
import type { QuotaResult } from "../quota";
import type { BenchConfig, BenchName } from "./config";

export interface MachineInfo {
  node: string;
  pulumiCli: string;
  pulumiSdk: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  loadAverageAtStart: number[];
  commit: string;
}

export interface BenchResults {
  config: BenchConfig;
  machine: MachineInfo;
  startedAt: string;
  durationMs: number;
  overhead?: OverheadResult;
  engine?: EngineResult;
  /** Benchmark 6: the engine's settings side by side. */
  settings?: SettingsResult;
  quota?: QuotaResult;
  /** Benchmarks that threw, with the reason. */
  errors: Partial<Record<BenchName, string>>;
}

function run(file: string, args: string[], cwd: string): string {
  try {
    return execFileSync(file, args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 30_000,
    }).trim();
  } catch {
    return "unknown";
  }
}

export function machineInfo(root: string, pulumiPath: string, pulumiSdkVersion: string): MachineInfo {
  const status = run("git", ["status", "--porcelain", "--untracked-files=no"], root);
  return {
    node: process.version,
    pulumiCli: run(pulumiPath, ["version"], root),
    pulumiSdk: pulumiSdkVersion,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    commit: `${run("git", ["rev-parse", "--short", "HEAD"], root)}${status && status !== "unknown" ? " (with uncommitted changes)" : ""}`,
  };
}
