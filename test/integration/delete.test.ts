/**
 * `delete` through the exported provider against each emulator: by default the declared
 * password stops working (a long random permanent password is set); onDelete "keep" leaves
 * it; a missing user or pool counts as deleted; a rename without an alias (the new resource
 * created, then the old one deleted, in one provider process) does not clobber the password
 * the new resource just set. Sign-in checks work on both emulators here: both compare the
 * password (cognito-local answers a wrong one with InvalidPasswordException).
 */
import { UserPasswordProvider, userPasswordProvider } from "pulumi-cognito-user-password";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createPool,
  createUser,
  declaredInputs,
  deletePool,
  deleteUser,
  getUserStatus,
  leakChecked,
  outputsOf,
  resourceName,
  signIn,
  strongPassword,
  useDummyAwsEnvironment,
} from "../support/cognito-fixtures";
import { EMULATOR_NAMES, startEmulator, type Emulator } from "../support/emulators";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy";

useDummyAwsEnvironment();

describe.each(EMULATOR_NAMES)("delete against %s", (emulatorName) => {
  let emulator: Emulator;
  let proxy: FaultProxy;
  let secrets: string[];
  const provider = () => leakChecked(userPasswordProvider, secrets);

  beforeAll(async () => {
    emulator = await startEmulator(emulatorName);
    proxy = await startFaultProxy(emulator.endpoint);
  });
  afterAll(async () => {
    await proxy?.stop();
    await emulator?.stop();
  });
  beforeEach(() => {
    secrets = [];
    proxy.resetCounts();
  });

  const password = () => {
    const p = strongPassword();
    secrets.push(p);
    return p;
  };

  async function setUp(extra: { onDelete?: "keep" | "scramble"; permanent?: boolean } = {}) {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool);
    const pw = password();
    const news = declaredInputs(proxy.endpoint, pool.userPoolId, user.username, pw, extra);
    const result = await provider().create(news);
    return { pool, user, pw, news, id: result.id, outs: outputsOf(result) };
  }

  it("makes the declared password unusable by default (a long random permanent password)", async () => {
    const { pool, user, pw, id, outs } = await setUp();
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
    proxy.resetCounts();
    await provider().delete(id, outs);

    expect(proxy.count("AdminSetUserPassword")).toBe(1);
    const sent = JSON.parse(proxy.requests("AdminSetUserPassword")[0]?.body ?? "{}") as { Password?: string; Permanent?: boolean; Username?: string };
    expect(sent.Username).toBe(user.username);
    expect(sent.Permanent).toBe(true);
    expect(sent.Password).not.toBe(pw);
    expect(sent.Password?.length).toBeGreaterThanOrEqual(64);
    expect(await signIn(pool, user.username, pw)).toBe("refused");
    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
  });

  it("scrambles a temporary password too", async () => {
    const { pool, user, pw, id, outs } = await setUp({ permanent: false });
    await provider().delete(id, outs);
    expect(await signIn(pool, user.username, pw)).toBe("refused");
  });

  it('keeps the password as it is with onDelete "keep"', async () => {
    const { pool, user, pw, id, outs } = await setUp({ onDelete: "keep" });
    proxy.resetCounts();
    await provider().delete(id, outs);
    expect(proxy.count()).toBe(0);
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
  });

  it("counts a user that no longer exists as deleted", async () => {
    const { pool, user, id, outs } = await setUp();
    await deleteUser(pool, user.username);
    await expect(provider().delete(id, outs)).resolves.toBeUndefined();
  });

  it("counts a user pool that no longer exists as deleted", async () => {
    const { pool, id, outs } = await setUp();
    await deletePool(pool);
    await expect(provider().delete(id, outs)).resolves.toBeUndefined();
  });

  it("does not clobber the password when a rename creates the new resource, then deletes the old one", async () => {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool);
    const pw = password();
    // The previous `pulumi up` (another provider process) created the resource under its old name.
    const previousRun = leakChecked(new UserPasswordProvider(), secrets);
    const oldInputs = declaredInputs(emulator.endpoint, pool.userPoolId, user.username, pw, { resourceName: resourceName("old") });
    const old = await previousRun.create(oldInputs);

    // This run: the program renamed it (no alias). The engine checks and creates the new
    // resource, then deletes the old one, all in one provider process.
    const newInputs = { ...oldInputs, resourceName: resourceName("new") };
    const checked = await provider().check(oldInputs, newInputs);
    expect(checked.failures).toBeUndefined();
    const renamed = await provider().create(checked.inputs ?? newInputs);
    expect(renamed.id).toBe(old.id);
    await provider().delete(old.id, outputsOf(old));

    expect(await signIn(pool, user.username, pw)).toBe("tokens");
    // The new resource still owns the password: deleting it scrambles as usual.
    await provider().delete(renamed.id, outputsOf(renamed));
    expect(await signIn(pool, user.username, pw)).toBe("refused");
  });

  it("a rename that also changes the password keeps the new password", async () => {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool);
    const oldPw = password();
    const previousRun = leakChecked(new UserPasswordProvider(), secrets);
    const oldInputs = declaredInputs(emulator.endpoint, pool.userPoolId, user.username, oldPw, { resourceName: resourceName("old") });
    const old = await previousRun.create(oldInputs);

    const newPw = password();
    const newInputs = { ...oldInputs, resourceName: resourceName("new"), password: newPw };
    await provider().create(newInputs);
    await provider().delete(old.id, outputsOf(old));
    expect(await signIn(pool, user.username, newPw)).toBe("tokens");
    expect(await signIn(pool, user.username, oldPw)).toBe("refused");
  });

  it("still scrambles when nothing in this process set the password since (a plain destroy)", async () => {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool);
    const pw = password();
    const previousRun = leakChecked(new UserPasswordProvider(), secrets);
    const created = await previousRun.create(declaredInputs(emulator.endpoint, pool.userPoolId, user.username, pw));
    // `pulumi destroy` in a new process.
    await leakChecked(new UserPasswordProvider(), secrets).delete(created.id, outputsOf(created));
    expect(await signIn(pool, user.username, pw)).toBe("refused");
  });
});
