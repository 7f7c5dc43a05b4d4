// Types of test/harness/pulumi-engine.js (the offline Pulumi engine the tests and benchmarks share).
import type * as automation from "@pulumi/pulumi/automation";

export declare const ROOT: string;

export interface Toolchain {
  /** A Node.js >= 22 `bin/` directory. */
  nodeBin: string;
  /** The pulumi CLI binary. */
  pulumiPath: string;
}

export declare function ensureToolchain(options?: { root?: string }): Toolchain;
export declare function dynamicProviderPluginDir(root?: string): string;

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface Engine {
  dir: string;
  pulumiHome: string;
  backendDir: string;
  backendUrl: string;
  passphrase: string;
  pulumiPath: string;
  nodeBin: string;
  env: Record<string, string>;
  automation: typeof automation;
  pulumiCommand: automation.PulumiCommand;
  workDir(name?: string): string;
  stack(args: {
    projectName: string;
    stackName: string;
    program: automation.PulumiFn;
    workDir?: string;
    config?: automation.ConfigMap;
  }): Promise<automation.Stack>;
  cli(
    args: string[],
    opts?: { cwd?: string; stack?: string; env?: Record<string, string>; allowFailure?: boolean },
  ): Promise<CliResult>;
  cleanup(): void;
}

export declare function createEngine(options?: {
  root?: string;
  /** Keep the engine's folder here (PULUMI_HOME, backend, work dirs) instead of a new temporary one. */
  dir?: string;
  toolchain?: Toolchain;
  prefix?: string;
  passphrase?: string;
  extraEnv?: Record<string, string>;
}): Promise<Engine>;

/** Wraps a stack's up/preview/refresh/destroy to retry once a gRPC "14 UNAVAILABLE" failure that came before any step started. */
export declare function retryTransportFlake(
  stack: Pick<automation.Stack, "name" | "up" | "preview" | "refresh" | "destroy">,
): void;
