/**
 * Starts the two local Cognito emulators the integration tests run against, each on a free
 * 127.0.0.1 port, and waits until it answers:
 *  - cognito-local (npm dev dependency), run with this Node in a throwaway working directory
 *    whose `.cognito/config.json` turns off its default UsernameAttributes=[email];
 *  - moto server (Python), from $MOTO_SERVER or the cache `scripts/ensure-moto.sh` fills.
 * A missing emulator is an error, never a silent skip. Each emulator's output goes to a log
 * file (`logFile`, under <repo>/.tmp/emulator-logs), quoted when it fails to start. Children are killed by `stop()` and, as a
 * last resort, when the test process exits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import path from "node:path";

export type EmulatorName = "cognito-local" | "moto";

/** Where each emulator departs from AWS in ways the tests must know (docs/emulators.md). */
export interface EmulatorTraits {
  /** AdminSetUserPassword refuses a password that breaks the pool's policy (AWS does). */
  enforcesPasswordPolicy: boolean;
  /** AdminInitiateAuth answers NEW_PASSWORD_REQUIRED for a FORCE_CHANGE_PASSWORD user (AWS does). */
  challengesTemporaryPassword: boolean;
  /** AdminResetUserPassword is implemented (puts the user in RESET_REQUIRED). */
  supportsAdminResetUserPassword: boolean;
  /** Admin calls accept the user's `sub` as Username. */
  resolvesSubAsUsername: boolean;
}

export interface Emulator {
  name: EmulatorName;
  /** http://127.0.0.1:<port> */
  endpoint: string;
  traits: EmulatorTraits;
  /** The emulator's stdout and stderr. Kept after stop for debugging. */
  logFile: string;
  stop(): Promise<void>;
}

export const EMULATOR_NAMES: readonly EmulatorName[] = ["cognito-local", "moto"];

export const TRAITS: Record<EmulatorName, EmulatorTraits> = {
  "cognito-local": {
    enforcesPasswordPolicy: false,
    challengesTemporaryPassword: false,
    supportsAdminResetUserPassword: false,
    resolvesSubAsUsername: true,
  },
  moto: {
    enforcesPasswordPolicy: true,
    challengesTemporaryPassword: true,
    supportsAdminResetUserPassword: true,
    resolvesSubAsUsername: false,
  },
};

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 3_000;

export function startEmulator(name: EmulatorName): Promise<Emulator> {
  return name === "moto" ? startMoto() : startCognitoLocal();
}

export interface CognitoLocalOptions {
  /** A working directory that outlives the emulator (its `.cognito` data survives a restart); default: a throwaway one. */
  dataDir?: string;
  /** A fixed port (resources store their endpoint, so a persistent setup keeps it); default: a free one. */
  port?: number;
}

export async function startCognitoLocal(options: CognitoLocalOptions = {}): Promise<Emulator> {
  const entry = path.join(REPO_ROOT, "node_modules", "cognito-local", "lib", "bin", "start.js");
  if (!existsSync(entry)) {
    throw new Error(`cognito-local is not installed (${entry} is missing): run \`npm ci\` in ${REPO_ROOT}`);
  }
  return launch({
    name: "cognito-local",
    ...(options.dataDir ? { workDir: options.dataDir } : {}),
    ...(options.port ? { port: options.port } : {}),
    prepare: (workDir) => {
      mkdirSync(path.join(workDir, ".cognito"), { recursive: true });
      writeFileSync(
        path.join(workDir, ".cognito", "config.json"),
        JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }),
      );
    },
    command: (port) => ({
      file: process.execPath,
      args: [entry],
      env: { HOST: "127.0.0.1", PORT: String(port) },
    }),
    healthPath: "/health",
  });
}

export async function startMoto(): Promise<Emulator> {
  const server = motoServerPath();
  return launch({
    name: "moto",
    command: (port) => ({ file: server, args: ["-H", "127.0.0.1", "-p", String(port)], env: {} }),
    healthPath: "/moto-api/",
  });
}

/** $MOTO_SERVER, else the cached install of `scripts/ensure-moto.sh`; throws when neither exists. */
export function motoServerPath(): string {
  const fromEnv = process.env.MOTO_SERVER;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new Error(`MOTO_SERVER=${fromEnv} does not exist: run \`bash scripts/ensure-moto.sh\``);
    return fromEnv;
  }
  const cacheDir =
    process.env.COGNITO_PW_CACHE ||
    path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache"), "cognito-user-password");
  const cached = path.join(cacheDir, `moto-${pinnedMotoVersion()}`, "bin", "moto_server");
  if (!existsSync(cached)) {
    throw new Error(
      `moto server not found (MOTO_SERVER is unset and ${cached} does not exist): ` +
        "run `bash scripts/ensure-moto.sh` (or `npm run setup`) and export MOTO_SERVER",
    );
  }
  return cached;
}

/** The version scripts/ensure-moto.sh pins, so the cache path has one source of truth. */
function pinnedMotoVersion(): string {
  const script = readFileSync(path.join(REPO_ROOT, "scripts", "ensure-moto.sh"), "utf8");
  const match = /^MOTO_VERSION="([^"]+)"/m.exec(script);
  if (!match?.[1]) throw new Error("scripts/ensure-moto.sh does not set MOTO_VERSION");
  return match[1];
}

interface LaunchSpec {
  name: EmulatorName;
  /** Persistent working directory, kept on stop; default: a fresh temporary one, removed on stop. */
  workDir?: string;
  /** Fixed port; default: a free one. */
  port?: number;
  prepare?: (workDir: string) => void;
  command: (port: number) => { file: string; args: string[]; env: Record<string, string> };
  healthPath: string;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAll(): void {
  for (const child of running) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  running.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: a test process that ends without afterAll leaves no emulator behind.
  process.on("exit", killAll);
  // A signal would end the process without "exit": kill the children, then let the signal
  // do what it would have done (re-raised once our listener is gone).
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    const onSignal = () => {
      killAll();
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

async function launch(spec: LaunchSpec): Promise<Emulator> {
  if (spec.port) return launchOnce(spec, spec.port);
  let lastError: unknown;
  // A free port can be taken between probing and binding: try a few.
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await launchOnce(spec, await freePort());
    } catch (err) {
      lastError = err;
      if (!(err instanceof PortInUseError)) throw err;
    }
  }
  throw lastError;
}

class PortInUseError extends Error {}

async function launchOnce(spec: LaunchSpec, port: number): Promise<Emulator> {
  installExitHook();
  const workDir = spec.workDir ?? mkdtempSync(path.join(tmpdir(), `cognito-pw-${spec.name}-`));
  mkdirSync(workDir, { recursive: true });
  const logFile = path.join(logDirectory(), `${spec.name}-${port}-${process.pid}.log`);
  spec.prepare?.(workDir);

  const { file, args, env } = spec.command(port);
  const fd = openSync(logFile, "w");
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      cwd: workDir,
      env: { ...process.env, ...env, NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  running.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", () => resolve(-1));
  });
  let spawnError: Error | undefined;
  child.once("error", (err) => {
    spawnError = err;
  });
  // `exited` never rejects (an error resolves it with -1).
  void exited.then(() => running.delete(child));

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
    if (!spec.workDir) rmSync(workDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  let done = false;
  // `exited` never rejects (an error resolves it with -1).
  void exited.then(() => {
    done = true;
  });
  while (Date.now() < deadline) {
    if (done || spawnError) {
      const log = tail(logFile);
      await stop();
      if (/EADDRINUSE|Address already in use/i.test(log)) throw new PortInUseError(`${spec.name}: port ${port} in use`);
      throw new Error(
        `${spec.name} exited during start-up (${spawnError ? spawnError.message : `exit code ${child.exitCode ?? child.signalCode}`}); ` +
          `command: ${file} ${args.join(" ")}; log ${logFile}:\n${log}`,
      );
    }
    if (await healthy(`${endpoint}${spec.healthPath}`)) {
      return { name: spec.name, endpoint, traits: TRAITS[spec.name], logFile, stop };
    }
    await sleep(100);
  }
  await stop();
  throw new Error(
    `${spec.name} did not answer ${spec.healthPath} within ${START_TIMEOUT_MS} ms; log ${logFile}:\n${tail(logFile)}`,
  );
}

let logDirReady: string | undefined;

/** <repo>/.tmp/emulator-logs (git-ignored); logs older than a day are pruned once per process. */
function logDirectory(): string {
  if (logDirReady) return logDirReady;
  const dir = path.join(REPO_ROOT, ".tmp", "emulator-logs");
  mkdirSync(dir, { recursive: true });
  const cutoff = Date.now() - 24 * 60 * 60 * 1000;
  for (const entry of readdirSync(dir)) {
    const file = path.join(dir, entry);
    try {
      if (entry.endsWith(".log") && statSync(file).mtimeMs < cutoff) rmSync(file, { force: true });
    } catch {
      // another process pruned it first
    }
  }
  logDirReady = dir;
  return dir;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("could not obtain a free port"))));
    });
  });
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
