/**
 * Benchmark 1: what the provider costs per `create`, against a bare AdminSetUserPassword.
 *
 * Every side runs `n` operations with the same concurrency and an SDK client made by the
 * library's own factory (same retry mode, attempts, timeouts), against the same pool; the sides
 * alternate within each repetition (interleavedOrder) and the figure is the median of the
 * per-repetition ratios. Besides the two sides the target compares, a reconstruction isolates
 * where the difference goes: the extra AdminGetUser. (The password fingerprint, and the
 * sides that measured it, were removed: `check` now compares the old and new passwords in
 * memory and keeps nothing derived from them.)
 *
 * Also: the API calls of each provider operation, counted by the fault proxy in front of the
 * emulator, and the single-call cost of check's password comparison and of a no-change diff.
 */
import {
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import type {
  DynamicInputs as UserPasswordInputs,
  DynamicOutputs as UserPasswordOutputs,
} from "../src/dynamic/provider";
import { createPool, createUser } from "../test/harness/cognito";
import type { Emulator, EmulatorName } from "../test/harness/emulators";
import { startFaultProxy } from "../test/harness/fault-proxy";
import type { OverheadConfig } from "./lib/config";
import { cognitoModule, library, passwordChangeModule, passwordFactory } from "./lib/library";
import { seedPool } from "./lib/seed";
import { interleavedOrder, log, median, nowMs, ratios, runPool, timed } from "./lib/stats";

export interface SideResult {
  id: string;
  label: string;
  /** Wall time of the whole batch, per repetition. */
  ms: number[];
  /** ms[i] / baseline.ms[i]. */
  ratio: number[];
}

export interface OverheadComparison {
  /** "target": provider vs baseline at the target's N; "decomposition": where the time goes. */
  kind: "target" | "decomposition";
  emulator: EmulatorName;
  /** Users in the pool the calls go to (cognito-local rewrites the whole pool file per write). */
  poolSize: number;
  n: number;
  concurrency: number;
  reps: number;
  baseline: string;
  sides: SideResult[];
}

export interface CallCountStep {
  step: string;
  /** Requests that reached the proxy, per Cognito operation. */
  calls: Record<string, number>;
}

export interface UnitCosts {
  samples: number;
  /** One constant-time comparison of an old and a new password (what check adds), sequential, median ms. */
  compareMs: number;
  /** One provider `diff` with an unchanged password (check's verdict, no password work), median ms. */
  diffMs: number;
}

export interface OverheadResult {
  comparisons: OverheadComparison[];
  callCounts: CallCountStep[];
  costs: UnitCosts;
}

interface Side {
  id: string;
  label: string;
  op: (index: number) => Promise<unknown>;
}

function sidesFor(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  endpoint: string,
  usernames: readonly string[],
  password: (i: number) => string,
  detailed: boolean,
): Side[] {
  // The provider as exported, but with unpaced clients from the same factory and settings: this
  // benchmark measures what the provider costs per call against an emulator that meters
  // nothing; the library's pacing at Cognito's quotas is benchmark 4's subject.
  const { SdkCognitoGateway } = cognitoModule();
  const provider = library().createUserPasswordProvider({
    gatewayFor: (c) => new SdkCognitoGateway(cognitoModule().createCognitoClient(c, cognitoModule().DEFAULT_TUNING)),
  });
  const get = (i: number) => client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: usernames[i] }));
  const set = (i: number) =>
    client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: usernames[i],
        Password: password(i),
        Permanent: true,
      }),
    );
  const create = provider.create;
  if (!create) throw new Error("userPasswordProvider has no create");
  const sides: Side[] = [
    {
      id: "provider",
      label: "`userPasswordProvider.create`",
      op: (i) =>
        create({
          resourceName: `bench-${i}`,
          userPoolId,
          username: usernames[i] as string,
          password: password(i),
          endpoint,
        }),
    },
    { id: "bareSet", label: "bare AdminSetUserPassword (baseline)", op: (i) => set(i) },
  ];
  if (detailed) {
    sides.push({
      id: "bareGetSet",
      label: "reconstruction: bare AdminGetUser + AdminSetUserPassword",
      op: async (i) => (await get(i), await set(i)),
    });
  }
  return sides;
}

async function compare(
  kind: OverheadComparison["kind"],
  emulator: Emulator,
  n: number,
  concurrency: number,
  reps: number,
): Promise<OverheadComparison> {
  const detailed = kind === "decomposition";
  const { createCognitoClient, DEFAULT_TUNING } = cognitoModule();
  const { pool, usernames, poolSize } = await seedPool(emulator.endpoint, n);
  const password = passwordFactory();
  // The provider makes its client from (region, endpoint) with DEFAULT_TUNING; so does this side.
  const client = createCognitoClient(
    { region: process.env.AWS_REGION ?? "us-east-1", endpoint: emulator.endpoint },
    DEFAULT_TUNING,
  );
  const sides = sidesFor(client, pool.userPoolId, emulator.endpoint, usernames, password, detailed);

  // Warm-up: connections, JIT, the provider's lazy load and client, cognito-local's file cache.
  const warm = Math.min(n, 20);
  for (const side of sides) await runPool(warm, concurrency, side.op);

  const ms = new Map<string, number[]>(sides.map((s) => [s.id, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const side of interleavedOrder(sides, rep)) {
      const { ms: took } = await timed(() => runPool(n, concurrency, side.op));
      ms.get(side.id)?.push(took);
      log(`overhead/${emulator.name}/${kind} rep ${rep + 1}/${reps}: ${side.id} ${n} ops in ${took.toFixed(0)} ms`);
    }
  }
  client.destroy();
  const baseline = ms.get("bareSet") ?? [];
  return {
    kind,
    emulator: emulator.name,
    poolSize,
    n,
    concurrency,
    reps,
    baseline: "bareSet",
    sides: sides.map((s) => {
      const own = ms.get(s.id) ?? [];
      return { id: s.id, label: s.label, ms: own, ratio: ratios(own, baseline) };
    }),
  };
}

/** Each provider operation once, through a counting proxy, on a fresh pool and user. */
async function countCalls(emulator: Emulator): Promise<CallCountStep[]> {
  const provider = library().userPasswordProvider;
  const proxy = await startFaultProxy(emulator.endpoint, { recordBodies: false });
  try {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool, "counted-user");
    const password = passwordFactory();
    const inputs = (pw: string): UserPasswordInputs => ({
      resourceName: "counted",
      userPoolId: pool.userPoolId,
      username: user.username,
      password: pw,
      endpoint: proxy.endpoint,
    });
    const steps: CallCountStep[] = [];
    const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      proxy.resetCounts();
      const value = await fn();
      steps.push({ step: name, calls: { ...proxy.counts } });
      return value;
    };
    const need = <K extends keyof typeof provider>(k: K) => {
      const fn = provider[k];
      if (!fn) throw new Error(`userPasswordProvider has no ${String(k)}`);
      return fn;
    };
    const check = need("check"),
      create = need("create"),
      diff = need("diff"),
      update = need("update"),
      read = need("read"),
      remove = need("delete");
    const first = inputs(password(1));
    const checkedFirst = await step("check (first for this pool in the process)", () => check({}, first));
    // The engine hands check the stored (checked) inputs as olds: the revision carries over.
    const unchanged = await step("check (pool settings cached)", () => check(checkedFirst.inputs ?? first, first));
    const created = await step("create", () => create(checkedFirst.inputs ?? first));
    const outs = created.outs as UserPasswordOutputs;
    await step("diff (password unchanged)", () => diff(created.id, outs, unchanged.inputs ?? first));
    const changed = (await check(checkedFirst.inputs ?? first, inputs(password(2)))).inputs ?? inputs(password(2));
    await step("diff (password changed)", () => diff(created.id, outs, changed));
    const updated = await step("update (new password)", () => update(created.id, outs, changed));
    const updatedOuts = updated.outs as UserPasswordOutputs;
    await step("read (refresh)", () => read(created.id, updatedOuts));
    await step("delete (scramble, the default)", () => remove(created.id, updatedOuts));
    return steps;
  } finally {
    await proxy.stop();
  }
}

async function unitCosts(samples: number): Promise<UnitCosts> {
  const { passwordChanged } = passwordChangeModule();
  const provider = library().userPasswordProvider;
  const diff = provider.diff;
  if (!diff) throw new Error("userPasswordProvider has no diff");
  const pw = "Bench#unit-aZ9-cost";
  const olds = {
    userPoolId: "us-east-1_Bench",
    username: "unit",
    cognitoUsername: "unit",
    permanent: true,
    status: "CONFIRMED",
    setId: "0123456789abcdef0123456789abcdef",
    passwordRevision: "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    passwordSetAt: new Date().toISOString(),
    region: "us-east-1",
    onDelete: "scramble",
    reissueExpiredTemporaryPassword: true,
    allowFederatedUser: false,
  } satisfies UserPasswordOutputs;
  // As check returns them for an unchanged password: the revision the outputs recorded.
  const news: UserPasswordInputs = {
    userPoolId: "us-east-1_Bench",
    username: "unit",
    password: pw,
    passwordRevision: olds.passwordRevision,
  };
  const c: number[] = [],
    d: number[] = [];
  for (let i = 0; i < samples; i++) {
    // Interleaved, one at a time: the cost of one call on an otherwise idle event loop.
    let t = nowMs();
    if (passwordChanged(pw, `${pw}`)) throw new Error("unit-cost compare: equal passwords compared unequal");
    c.push(nowMs() - t);
    t = nowMs();
    const result = await diff("us-east-1_Bench/unit", olds, news);
    d.push(nowMs() - t);
    if (result.changes) throw new Error("unit-cost diff: an unchanged password was reported as a change");
  }
  return { samples, compareMs: median(c), diffMs: median(d) };
}

export async function runProviderOverhead(
  config: OverheadConfig,
  emulators: { cognitoLocal: Emulator; moto?: Emulator },
  full: boolean,
): Promise<OverheadResult> {
  const costs = await unitCosts(full ? 15 : 3);
  log(`overhead: password comparison ${costs.compareMs.toFixed(3)} ms, diff ${costs.diffMs.toFixed(2)} ms`);
  const callCounts = await countCalls(emulators.cognitoLocal);
  const comparisons = [await compare("target", emulators.cognitoLocal, config.n, config.concurrency, config.reps)];
  if (emulators.moto && config.motoN > 0) {
    comparisons.push(await compare("target", emulators.moto, config.motoN, config.concurrency, config.motoReps));
  }
  comparisons.push(
    await compare(
      "decomposition",
      emulators.cognitoLocal,
      config.decompositionN,
      config.concurrency,
      config.decompositionReps,
    ),
  );
  return { comparisons, callCounts, costs };
}
