/**
 * The per-file harness of the provider's integration tests, in one place. Called inside a
 * `describe` (typically `describe.each(EMULATOR_NAMES)`), `useProviderHarness` registers the
 * vitest hooks that
 *  - start the emulator (and, unless `{ proxy: false }`, a fault proxy in front of it) once
 *    for the block, and stop both after it;
 *  - before each test: start a fresh `secrets` list, clear the proxy's fault rules and zero
 *    its counters;
 * and returns a context to use inside tests and hooks: the emulator and proxy, `provider()`
 * (the exported provider, or a given one, wrapped by `leakChecked` over `secrets`),
 * `password()` (a strong password, recorded as a secret), `declaredUser` /
 * `createdUser` for the usual pool + user + declared inputs (+ check and create) sequence, and
 * `checked` for the inputs check hands diff and update.
 *
 * The functions are plain closures, so they may be destructured at describe time:
 * `const { provider, password } = h`. `emulator`, `proxy` and `secrets` are getters that
 * only answer inside tests and hooks (the emulator starts in beforeAll).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import {
  createUserPasswordProvider,
  userPasswordProvider,
  type DynamicInputs,
  type DynamicOutputs,
} from "pulumi-cognito-user-password";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import {
  createPool,
  createUser,
  declaredInputs,
  expectNoSecret,
  leakChecked,
  outputsOf,
  strongPassword,
  useDummyAwsEnvironment,
  type CreatedUser,
  type Pool,
  type PoolOptions,
  type Provider,
  type SignInOutcome,
} from "./cognito-fixtures";
import { EMULATOR_NAMES, startEmulator, type Emulator, type EmulatorName } from "../harness/emulators";
import { startFaultProxy, type FaultProxy } from "../harness/fault-proxy";
import { startPluginDriver, type PluginDriver } from "./plugin-driver";

/** Any implementation of the provider (the exported object, or `createUserPasswordProvider(...)`). */
export type ProviderImplementation = dynamic.ResourceProvider<DynamicInputs, DynamicOutputs>;

/**
 * The face a scenario drives: the dynamic provider object, or the provider plugin over gRPC
 * (a running plugin process, see plugin-driver). One scenario table, both faces.
 */
export type Driver = "dynamic" | "plugin";
export const DRIVERS: readonly Driver[] = ["dynamic", "plugin"];

/** Every emulator through every face: `describe.each(FACES)("... against %s, %s face", (emulator, driver) => ...)`. */
export const FACES: ReadonlyArray<readonly [EmulatorName, Driver]> = EMULATOR_NAMES.flatMap((emulator) =>
  DRIVERS.map((driver) => [emulator, driver] as const),
);

export interface HarnessOptions {
  /** Start a fault proxy in front of the emulator (default true). */
  proxy?: boolean;
  /** The face `provider()` drives (default "dynamic"). */
  driver?: Driver;
}

/** How `declaredUser` / `createdUser` set things up. */
export interface UserSetUp {
  /** The pool's options (password policy, username attributes); default: a pool accepting `strongPassword()`. */
  pool?: PoolOptions;
  /** The username given to AdminCreateUser; default a random one. */
  username?: string;
  /** Attributes given to AdminCreateUser. */
  attributes?: Record<string, string>;
  /**
   * The endpoint the declared inputs name: "proxy" (the default where the harness has one)
   * or "emulator". The pool and the user are always created on the emulator directly.
   */
  endpoint?: "proxy" | "emulator";
  /** The provider that creates the resource (`createdUser` only); default `provider()`. */
  via?: Provider;
}

/** A pool with one user, and the inputs of a resource declaring a fresh password for that user. */
export interface DeclaredUser {
  pool: Pool;
  user: CreatedUser;
  /** The declared password: `extra.password` if given, else a fresh strong one; in `secrets` either way. */
  pw: string;
  news: DynamicInputs;
}

/**
 * A `DeclaredUser` whose resource was created as the engine creates it (check, then create
 * with the checked inputs): its id and outputs; `news` are the checked inputs, what the
 * engine stores as the resource's inputs (with check's `passwordRevision`, which the outputs
 * record too).
 */
export interface CreatedResource extends DeclaredUser {
  id: string;
  outs: DynamicOutputs;
}

export interface ProviderHarness {
  readonly emulatorName: EmulatorName;
  readonly driver: Driver;
  /** The running emulator (inside tests and hooks only). */
  readonly emulator: Emulator;
  /** This test's secrets: every password the test uses goes here; outputs and errors are checked against them. */
  readonly secrets: string[];
  /**
   * `implementation` wrapped by `leakChecked` over this test's `secrets`; by default the
   * driver's face (the exported `userPasswordProvider`, or the plugin process's gRPC surface).
   */
  readonly provider: (implementation?: ProviderImplementation) => Provider;
  /**
   * The driver's face as a later deployment sees it: a provider process of its own, with none
   * of this one's memory (a fresh core, or a fresh plugin process).
   */
  readonly nextDeployment: () => Promise<Provider>;
  /**
   * Expects `err` to be of the error class `name`. Only the dynamic face hands the program the
   * typed error; the plugin's reach the engine as their message alone (the same text, from the
   * same class), which the scenario's message assertions check for both faces.
   */
  readonly expectErrorClass: (err: Error | undefined, name: string) => void;
  /** A fresh strong password, recorded in `secrets`. */
  readonly password: () => string;
  /** What signing in with a correct temporary password answers on this emulator. */
  readonly temporarySignIn: () => SignInOutcome;
  /** A new pool and user, and the declared inputs (with `extra`) for a fresh password (or `extra.password`): nothing created yet. */
  readonly declaredUser: (extra?: Partial<DynamicInputs>, setUp?: UserSetUp) => Promise<DeclaredUser>;
  /** `declaredUser`, then `check` and `create` with the checked inputs (through `setUp.via`, default `provider()`). */
  readonly createdUser: (extra?: Partial<DynamicInputs>, setUp?: UserSetUp) => Promise<CreatedResource>;
  /**
   * `check(olds, news)` as the engine calls it before diff and update (through `via`, default
   * `provider()`): the checked inputs, with check's `passwordRevision` (the previous inputs' one
   * for an unchanged password, a fresh random one for a changed password). Throws on failures.
   */
  readonly checked: (olds: DynamicInputs | undefined, news: DynamicInputs, via?: Provider) => Promise<DynamicInputs>;
}

export interface ProxiedProviderHarness extends ProviderHarness {
  /** The fault proxy in front of the emulator (inside tests and hooks only). */
  readonly proxy: FaultProxy;
}

export function useProviderHarness(
  emulatorName: EmulatorName,
  options: HarnessOptions & { proxy: false },
): ProviderHarness;
export function useProviderHarness(
  emulatorName: EmulatorName,
  options?: HarnessOptions & { proxy?: true },
): ProxiedProviderHarness;
export function useProviderHarness(
  emulatorName: EmulatorName,
  options: HarnessOptions = {},
): ProviderHarness | ProxiedProviderHarness {
  const withProxy = options.proxy ?? true;
  const driver = options.driver ?? "dynamic";
  let emulator: Emulator | undefined;
  let proxy: FaultProxy | undefined;
  let secrets: string[] = [];
  /** Every password of every test of the block, for the plugin processes' stderr. */
  const allSecrets: string[] = [];
  const plugins: PluginDriver[] = [];

  useDummyAwsEnvironment();

  beforeAll(async () => {
    emulator = await startEmulator(emulatorName);
    if (withProxy) proxy = await startFaultProxy(emulator.endpoint);
    if (driver === "plugin") plugins.push(await startPluginDriver());
  });
  afterAll(async () => {
    await Promise.all(plugins.map((p) => p.stop()));
    for (const p of plugins) expectNoSecret(p.stderr(), allSecrets);
    await proxy?.stop();
    await emulator?.stop();
  });
  beforeEach(() => {
    secrets = [];
    proxy?.clearRules();
    proxy?.resetCounts();
  });

  const running = (): Emulator => {
    if (!emulator) throw new Error(`${emulatorName} is not running: use the harness inside tests and hooks`);
    return emulator;
  };
  const proxied = (): FaultProxy => {
    if (!withProxy) throw new Error("this harness has no fault proxy (it was made with { proxy: false })");
    if (!proxy) throw new Error("the fault proxy is not running: use the harness inside tests and hooks");
    return proxy;
  };
  const face = (): ProviderImplementation => {
    if (driver === "dynamic") return userPasswordProvider;
    const plugin = plugins[0];
    if (!plugin) throw new Error("the plugin is not running: use the harness inside tests and hooks");
    return plugin.provider;
  };
  const provider = (implementation: ProviderImplementation = face()): Provider => leakChecked(implementation, secrets);
  const nextDeployment = async (): Promise<Provider> => {
    if (driver === "dynamic") return provider(createUserPasswordProvider());
    const plugin = await startPluginDriver();
    plugins.push(plugin);
    return provider(plugin.provider);
  };
  const password = (): string => {
    const p = strongPassword();
    secrets.push(p);
    allSecrets.push(p);
    return p;
  };
  const declaredUser = async (extra: Partial<DynamicInputs> = {}, setUp: UserSetUp = {}): Promise<DeclaredUser> => {
    const endpoint =
      (setUp.endpoint ?? (withProxy ? "proxy" : "emulator")) === "proxy" ? proxied().endpoint : running().endpoint;
    const pool = await createPool(running().endpoint, setUp.pool);
    const user = await createUser(pool, setUp.username, setUp.attributes);
    const pw = extra.password ?? password();
    if (extra.password !== undefined) {
      secrets.push(pw);
      allSecrets.push(pw);
    }
    const news = declaredInputs(endpoint, pool.userPoolId, user.username, pw, extra);
    return { pool, user, pw, news };
  };
  const createdUser = async (extra: Partial<DynamicInputs> = {}, setUp: UserSetUp = {}): Promise<CreatedResource> => {
    const declared = await declaredUser(extra, setUp);
    const via = setUp.via ?? provider();
    const news = await checked(undefined, declared.news, via);
    const result = await via.create(news);
    return { ...declared, news, id: result.id, outs: outputsOf(result) };
  };

  const checked = async (
    olds: DynamicInputs | undefined,
    news: DynamicInputs,
    via: Provider = provider(),
  ): Promise<DynamicInputs> => {
    const result = await via.check(olds as DynamicInputs, news);
    if (result.failures?.length) throw new Error(`check failed: ${JSON.stringify(result.failures)}`);
    if (!result.inputs) throw new Error("check returned no inputs");
    return result.inputs;
  };

  const expectErrorClass = (err: Error | undefined, name: string): void => {
    expect(err, `expected a ${name}`).toBeInstanceOf(Error);
    if (driver === "dynamic") expect(err?.name).toBe(name);
  };

  return {
    emulatorName,
    driver,
    expectErrorClass,
    get emulator() {
      return running();
    },
    get proxy() {
      return proxied();
    },
    get secrets() {
      return secrets;
    },
    provider,
    nextDeployment,
    password,
    temporarySignIn: () => (running().traits.challengesTemporaryPassword ? "NEW_PASSWORD_REQUIRED" : "tokens"),
    declaredUser,
    createdUser,
    checked,
  };
}
