/**
 * The per-file harness of the end-to-end and consumer layers, as `integration-harness.ts` is
 * for integration. Called at a file's top level (or inside a `describe`), `useEngineHarness`
 * registers vitest hooks that, once for the block, set AWS credentials in this process (canary
 * ones by default, scanned for as secrets), start the emulator (moto by default) and, with
 * `proxy`, a fault proxy in front of it, with `tlsFront`, an HTTPS front for it whose certificate
 * a CA made for this run issued, and make a pool; afterwards they stop all of it, kill
 * any pulumi process left below this one, and delete every engine and project folder.
 *   const h = useEngineHarness({ project: "e2e-x", proxy: true });
 *   // Automation API, inline program (one isolated engine per block, made on first use):
 *   const stack = await h.stack({ program: () => { new UserPassword(...) } });
 *   await stack.up({ onOutput: h.onOutput });
 *   // Plain CLI in a fresh project folder outside the repository (the consumer style):
 *   const project = h.project({ cell, program: indexTs }); // then project.install(tarball)
 *   // The same for another language (the provider plugin's programs): given files, given PATH.
 *   const yaml = h.project({ files: folderFiles("examples/yaml"), bin: [pulumi, yamlHost] });
 *   await project.pulumi(["up", "--yes"]);
 *   // Every password a test uses: h.password("alice") (or h.scanner.add(...)); at the end
 *   expect(h.leaks()).toBe(""); // output, engine files, projects' transcripts and folders
 * It lives in test/support, not test/harness: it registers vitest hooks, and test/harness is
 * the framework-free half that the benchmarks and the demo import too.
 */
import type * as automation from "@pulumi/pulumi/automation";
import { afterAll, beforeAll } from "vitest";
import { ConsumerProject, type ConsumerOptions, type ProgramProjectOptions } from "./consumer";
import { createPool, REGION, strongPassword, type Pool, type PoolOptions } from "../harness/cognito";
import { startEmulator, type Emulator, type EmulatorName } from "../harness/emulators";
import { canaryAwsCredentials, scanEngineFiles, setProcessEnv, startEngine, type Engine } from "../harness/engine";
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from "../harness/fault-proxy";
import { makeTestCa, type TestCa } from "../harness/test-ca";
import { startTlsFront, type TlsFront } from "../harness/tls-front";
import { descendants, killAll } from "../harness/processes";
import { awsCredentialSecrets, describeLeaks, SecretScanner } from "../harness/secret-scanner";

/** The fixed pair the emulators accept, for files that need no canary. */
export const TESTING_CREDENTIALS = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" } as const;

export interface EngineHarnessOptions {
  /** The Pulumi project's name, also the engine folder's prefix. */
  project: string;
  /** Default "moto". */
  emulator?: EmulatorName;
  /** A fault proxy in front of the emulator (with its options); default none. */
  proxy?: boolean | FaultProxyOptions;
  /** A TLS front for the emulator (https://localhost:<port>) with a certificate from a CA made for this run; default none. */
  tlsFront?: boolean;
  /** "canary" (default: fresh per run, scanned for) or "testing". */
  credentials?: "canary" | "testing";
  /** More environment for this process and the engine; `undefined` removes a variable (default AWS_REGION is us-east-1). */
  env?: Record<string, string | undefined>;
  /** Environment for the engine (CLI and provider) only, not this process. */
  engineEnv?: Record<string, string>;
  /** The pool made in beforeAll (false: none); default a pool accepting `strongPassword()`. */
  pool?: PoolOptions | false;
}

export interface EngineHarness {
  /** Inside tests and hooks only, as the other getters. */
  readonly emulator: Emulator;
  readonly proxy: FaultProxy;
  /** With `tlsFront`: the front (it records the key that signed each call) and the CA whose file makes it valid. */
  readonly front: TlsFront;
  readonly ca: TestCa;
  readonly pool: Pool;
  /** The endpoint programs give UserPassword: the proxy's, or the emulator's without one. */
  readonly endpoint: string;
  /** The AWS variables set in this process and given to the engine and projects. */
  readonly awsEnv: Record<string, string>;
  /** The engine of the block (started on first use). */
  engine(): Promise<Engine>;
  /** An inline-program stack on the engine (stack name default "dev"). */
  stack(args: {
    program: automation.PulumiFn;
    stackName?: string;
    config?: automation.ConfigMap;
  }): Promise<automation.Stack>;
  /**
   * A fresh plain-CLI project folder (ConsumerProject) with `awsEnv`, cleaned up and scanned by
   * the harness: a consumer cell's TypeScript project, or a project of given files and PATH
   * (the provider plugin's YAML, Python and Go programs).
   */
  project(options: ConsumerOptions | ProgramProjectOptions): ConsumerProject;
  /** Every secret of the block: the AWS credentials, `password()`s and whatever tests add. */
  readonly scanner: SecretScanner;
  /** A fresh strong password (with the awkward symbols), in `scanner` under `label`. */
  password(label: string): string;
  /** Collects engine output for the leak scan (pass as onOutput / onError). */
  readonly onOutput: (text: string) => void;
  /** Everything collected by `onOutput`. */
  readonly printed: string;
  /** The scanner's findings in `printed`, the engine's files and every project: "" when none. */
  leaks(): string;
}

export function useEngineHarness(options: EngineHarnessOptions): EngineHarness {
  const credentials =
    (options.credentials ?? "canary") === "canary" ? canaryAwsCredentials(options.project) : TESTING_CREDENTIALS;
  const vars: Record<string, string | undefined> = {
    ...credentials,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_REGION: REGION,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    ...options.env,
  };
  const awsEnv = Object.fromEntries(
    Object.entries(vars).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const scanner = new SecretScanner(options.credentials === "testing" ? [] : awsCredentialSecrets(awsEnv));
  let emulator: Emulator | undefined;
  let proxy: FaultProxy | undefined;
  let ca: TestCa | undefined;
  let front: TlsFront | undefined;
  let pool: Pool | undefined;
  let engine: Promise<Engine> | undefined;
  let engineValue: Engine | undefined;
  let restoreEnv: (() => void) | undefined;
  const projects: ConsumerProject[] = [];
  let printed = "";

  beforeAll(async () => {
    restoreEnv = setProcessEnv(vars);
    emulator = await startEmulator(options.emulator ?? "moto");
    if (options.proxy) proxy = await startFaultProxy(emulator.endpoint, options.proxy === true ? {} : options.proxy);
    if (options.tlsFront) {
      ca = makeTestCa();
      front = await startTlsFront(emulator.endpoint, ca);
    }
    if (options.pool !== false) pool = await createPool(emulator.endpoint, options.pool);
  });
  afterAll(async () => {
    // Whatever a failed test left running below this process (ours only).
    killAll(
      descendants()
        .filter((p) => /pulumi|dynamic-provider/.test(p.cmdline))
        .map((p) => p.pid),
    );
    await front?.stop();
    ca?.remove();
    await proxy?.stop();
    await emulator?.stop();
    await engine?.catch(() => undefined);
    if (!process.env.E2E_KEEP_ENGINE_DIR) {
      engineValue?.cleanup();
      for (const project of projects) project.cleanup();
    }
    restoreEnv?.();
  });

  const running = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready: use the harness inside tests and hooks`);
    return value;
  };
  const startedEngine = (): Promise<Engine> =>
    (engine ??= startEngine({ prefix: options.project, extraEnv: { ...awsEnv, ...options.engineEnv } }).then((e) => {
      engineValue = e;
      return e;
    }));

  return {
    get emulator() {
      return running(emulator, "the emulator");
    },
    get proxy() {
      if (!options.proxy) throw new Error("this harness has no fault proxy (give it { proxy: true })");
      return running(proxy, "the fault proxy");
    },
    get front() {
      if (!options.tlsFront) throw new Error("this harness has no TLS front (give it { tlsFront: true })");
      return running(front, "the TLS front");
    },
    get ca() {
      if (!options.tlsFront) throw new Error("this harness has no test CA (give it { tlsFront: true })");
      return running(ca, "the test CA");
    },
    get pool() {
      return running(pool, "the pool");
    },
    get endpoint() {
      return (proxy ?? running(emulator, "the emulator")).endpoint;
    },
    awsEnv,
    engine: startedEngine,
    stack: async ({ program, stackName = "dev", config }) =>
      (await startedEngine()).stack({
        projectName: options.project,
        stackName,
        program,
        ...(config ? { config } : {}),
      }),
    project: (projectOptions) => {
      const env = { ...awsEnv, ...projectOptions.env };
      const project =
        "files" in projectOptions
          ? ConsumerProject.createProgram({ ...projectOptions, env })
          : ConsumerProject.create({ ...projectOptions, env });
      projects.push(project);
      return project;
    },
    scanner,
    password: (label) => {
      const value = strongPassword();
      scanner.add({ label: `password ${label}`, value });
      return value;
    },
    onOutput: (text) => {
      printed += text;
    },
    get printed() {
      return printed;
    },
    leaks: () => {
      const leaks = scanner.scanText(printed, "the engine's output");
      if (engineValue) leaks.push(...scanEngineFiles(engineValue, scanner));
      for (const project of projects) leaks.push(...project.leaks(scanner));
      return describeLeaks(leaks);
    },
  };
}
