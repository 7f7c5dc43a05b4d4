/**
 * Benchmark 1: what the provider costs per `create`, against a bare AdminSetUserPassword.
 *
 * Every side runs `n` operations with the same concurrency and an SDK client made by the
 * library's own factory (same retry mode, attempts, timeouts), against the same pool; the sides
 * alternate within each repetition (interleavedOrder) and the figure is the median of the
 * per-repetition ratios. Besides the two sides the target compares, reconstructions isolate
 * where the difference goes: the extra AdminGetUser and the fingerprint (as shipped; and, for
 * comparison, the scrypt N=2^14 fingerprint the library used before commit b86e2e7).
 *
 * Also: the API calls of each provider operation, counted by the fault proxy in front of the
 * emulator, and the single-call cost of the fingerprint and of a no-change diff.
 */
import { randomBytes, scrypt as scryptCallback } from "node:crypto";
import { AdminGetUserCommand, AdminSetUserPasswordCommand, type CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { UserPasswordInputs, UserPasswordOutputs } from "../src/types";
import { createPool, createUser } from "../test/support/cognito-fixtures";
import type { Emulator, EmulatorName } from "../test/support/emulators";
import { startFaultProxy } from "../test/support/fault-proxy";
import type { OverheadConfig } from "./lib/config";
import { cognitoModule, fingerprintModule, library, passwordFactory } from "./lib/library";
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
  /** The scheme of the shipped fingerprint (its first `$` field), e.g. `hmac-sha256`. */
  fingerprintScheme: string;
  /** One fingerprintPassword as shipped, sequential, median ms. */
  fingerprintMs: number;
  /** One scrypt N=2^14, r=8, p=1 (the fingerprint before commit b86e2e7), for comparison. */
  scrypt14Ms: number;
  /** One provider `diff` with an unchanged password (one fingerprint verification), median ms. */
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

/** The fingerprint this library used before commit b86e2e7 (scrypt N=2^14, r=8, p=1), for comparison. */
function scrypt14(password: string): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, randomBytes(16), 32, { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function sidesFor(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  endpoint: string,
  usernames: readonly string[],
  password: (i: number) => string,
  detailed: boolean,
): Side[] {
  const provider = library().userPasswordProvider;
  const { fingerprintPassword } = fingerprintModule();
  const get = (i: number) => client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: usernames[i] }));
  const set = (i: number) =>
    client.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: usernames[i], Password: password(i), Permanent: true }));
  const create = provider.create;
  if (!create) throw new Error("userPasswordProvider has no create");
  const sides: Side[] = [
    {
      id: "provider",
      label: "`userPasswordProvider.create`",
      op: (i) => create({ resourceName: `bench-${i}`, userPoolId, username: usernames[i] as string, password: password(i), endpoint } as UserPasswordInputs),
    },
    { id: "bareSet", label: "bare AdminSetUserPassword (baseline)", op: (i) => set(i) },
  ];
  if (detailed) {
    sides.push(
      { id: "bareGetSet", label: "bare AdminGetUser + AdminSetUserPassword", op: async (i) => (await get(i), await set(i)) },
      {
        id: "getSetFingerprint",
        label: "reconstruction: Get + Set + fingerprint (as shipped)",
        op: async (i) => (await get(i), await set(i), await fingerprintPassword(password(i))),
      },
      {
        id: "setFingerprint",
        label: "what-if: Set + fingerprint, no AdminGetUser",
        op: async (i) => (await set(i), await fingerprintPassword(password(i))),
      },
      { id: "fingerprintOnly", label: "fingerprint alone (as shipped), no API call", op: (i) => fingerprintPassword(password(i)) },
      {
        id: "getSetScrypt14",
        label: "for comparison: Get + Set + scrypt 2^14 (the fingerprint before b86e2e7)",
        op: async (i) => (await get(i), await set(i), await scrypt14(password(i))),
      },
    );
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
  const client = createCognitoClient({ region: process.env.AWS_REGION ?? "us-east-1", endpoint: emulator.endpoint }, DEFAULT_TUNING);
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
    const check = need("check"), create = need("create"), diff = need("diff"), update = need("update"), read = need("read"), remove = need("delete");
    const first = inputs(password(1));
    await step("check (first for this pool in the process)", () => check({} as UserPasswordInputs, first));
    await step("check (pool settings cached)", () => check({} as UserPasswordInputs, first));
    const created = await step("create", () => create(first));
    const outs = created.outs as UserPasswordOutputs;
    await step("diff (password unchanged)", () => diff(created.id, outs, first));
    await step("diff (password changed)", () => diff(created.id, outs, inputs(password(2))));
    const updated = await step("update (new password)", () => update(created.id, outs, inputs(password(2))));
    const updatedOuts = updated.outs as UserPasswordOutputs;
    await step("read (refresh)", () => read(created.id, updatedOuts));
    await step("delete (scramble, the default)", () => remove(created.id, updatedOuts));
    return steps;
  } finally {
    await proxy.stop();
  }
}

async function unitCosts(samples: number): Promise<UnitCosts> {
  const { fingerprintPassword } = fingerprintModule();
  const provider = library().userPasswordProvider;
  const diff = provider.diff;
  if (!diff) throw new Error("userPasswordProvider has no diff");
  const pw = "Bench#unit-aZ9-cost";
  const fingerprint = await fingerprintPassword(pw);
  const olds = {
    userPoolId: "us-east-1_Bench",
    username: "unit",
    cognitoUsername: "unit",
    permanent: true,
    status: "CONFIRMED",
    passwordFingerprint: fingerprint,
    passwordSetAt: new Date().toISOString(),
    region: "us-east-1",
    onDelete: "scramble",
    reissueExpiredTemporaryPassword: true,
    allowFederatedUser: false,
  } satisfies UserPasswordOutputs;
  const news: UserPasswordInputs = { userPoolId: "us-east-1_Bench", username: "unit", password: pw };
  const f: number[] = [], s14: number[] = [], d: number[] = [];
  for (let i = 0; i < samples; i++) {
    // Interleaved, one at a time: the cost of one call on an otherwise idle event loop.
    let t = nowMs();
    await fingerprintPassword(pw);
    f.push(nowMs() - t);
    t = nowMs();
    await scrypt14(pw);
    s14.push(nowMs() - t);
    t = nowMs();
    const result = await diff("us-east-1_Bench/unit", olds, news);
    d.push(nowMs() - t);
    if (result.changes) throw new Error("unit-cost diff: an unchanged password was reported as a change");
  }
  return { samples, fingerprintScheme: fingerprint.split("$")[0] ?? "unknown", fingerprintMs: median(f), scrypt14Ms: median(s14), diffMs: median(d) };
}

export async function runProviderOverhead(
  config: OverheadConfig,
  emulators: { cognitoLocal: Emulator; moto?: Emulator },
  full: boolean,
): Promise<OverheadResult> {
  const costs = await unitCosts(full ? 15 : 3);
  log(`overhead: fingerprint (${costs.fingerprintScheme}) ${costs.fingerprintMs.toFixed(2)} ms, scrypt 2^14 ${costs.scrypt14Ms.toFixed(1)} ms, diff ${costs.diffMs.toFixed(2)} ms`);
  const callCounts = await countCalls(emulators.cognitoLocal);
  const comparisons = [await compare("target", emulators.cognitoLocal, config.n, config.concurrency, config.reps)];
  if (emulators.moto && config.motoN > 0) {
    comparisons.push(await compare("target", emulators.moto, config.motoN, config.concurrency, config.motoReps));
  }
  comparisons.push(await compare("decomposition", emulators.cognitoLocal, config.decompositionN, config.concurrency, config.decompositionReps));
  return { comparisons, callCounts, costs };
}
