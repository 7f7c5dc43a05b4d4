/**
 * `create` and `update` through the exported provider against each emulator: the declared
 * password and permanence are set with AdminSetUserPassword; the id is `<pool>/<username>`;
 * the status output matches the user's real status; the user can sign in with a permanent
 * password at once, and meets NEW_PASSWORD_REQUIRED with a temporary one (checked on moto:
 * cognito-local issues tokens for FORCE_CHANGE_PASSWORD users).
 */
import { userPasswordProvider, type UserPasswordOutputs } from "pulumi-cognito-user-password";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  adminSetPassword,
  createPool,
  createUser,
  declaredInputs,
  expectRejection,
  getUserStatus,
  leakChecked,
  outputsOf,
  signIn,
  strongPassword,
  useDummyAwsEnvironment,
  type SignInOutcome,
} from "../support/cognito-fixtures";
import { EMULATOR_NAMES, startEmulator, type Emulator } from "../support/emulators";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy";

useDummyAwsEnvironment();

describe.each(EMULATOR_NAMES)("create and update against %s", (emulatorName) => {
  let emulator: Emulator;
  let proxy: FaultProxy;
  let secrets: string[];
  const provider = () => leakChecked(userPasswordProvider, secrets);
  /** What signing in with a correct temporary password answers on this emulator. */
  const temporarySignIn = (): SignInOutcome => (emulator.traits.challengesTemporaryPassword ? "NEW_PASSWORD_REQUIRED" : "tokens");

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

  it("sets a permanent password: id <pool>/<username>, status CONFIRMED, the user signs in with it", async () => {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool);
    expect(await getUserStatus(pool, user.username)).toBe("FORCE_CHANGE_PASSWORD");
    const pw = password();
    const news = declaredInputs(proxy.endpoint, pool.userPoolId, user.username, pw);
    const result = await provider().create(news);
    const outs = outputsOf(result);

    expect(result.id).toBe(`${pool.userPoolId}/${user.username}`);
    expect(outs).toMatchObject({
      resourceName: news.resourceName,
      userPoolId: pool.userPoolId,
      username: user.username,
      cognitoUsername: user.username,
      permanent: true,
      status: "CONFIRMED",
      region: "us-east-1",
      endpoint: proxy.endpoint,
      onDelete: "scramble",
    });
    expect(outs).not.toHaveProperty("password");
    expect(outs.passwordFingerprint).toMatch(/^scrypt\$/);
    expect(Date.parse(outs.passwordSetAt)).not.toBeNaN();
    expect(proxy.count("AdminSetUserPassword")).toBe(1);
    const [sent] = proxy.requests("AdminSetUserPassword");
    expect(JSON.parse(sent?.body ?? "{}")).toEqual({ UserPoolId: pool.userPoolId, Username: user.username, Password: pw, Permanent: true });

    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
    expect(await signIn(pool, user.username, `${pw}x`)).toBe("refused");
  });

  it("defaults permanent to true when it is not given", async () => {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool);
    const pw = password();
    const { permanent: _omitted, ...news } = declaredInputs(emulator.endpoint, pool.userPoolId, user.username, pw);
    const outs = outputsOf(await provider().create(news));
    expect(outs.permanent).toBe(true);
    expect(outs.status).toBe("CONFIRMED");
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
  });

  it("sets a temporary password: status FORCE_CHANGE_PASSWORD, the next sign-in must choose a new one", async () => {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool);
    // Make the user CONFIRMED first (as an administrator would), so the set visibly changes the status.
    await adminSetPassword(pool, user.username, password(), true);
    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");

    const temporary = password();
    const result = await provider().create(declaredInputs(emulator.endpoint, pool.userPoolId, user.username, temporary, { permanent: false }));
    const outs = outputsOf(result);
    expect(result.id).toBe(`${pool.userPoolId}/${user.username}`);
    expect(outs.permanent).toBe(false);
    expect(outs.status).toBe("FORCE_CHANGE_PASSWORD");
    expect(outs.reissueExpiredTemporaryPassword).toBe(true);
    expect(await getUserStatus(pool, user.username)).toBe("FORCE_CHANGE_PASSWORD");
    expect(await signIn(pool, user.username, temporary)).toBe(temporarySignIn());
    expect(await signIn(pool, user.username, `${temporary}x`)).toBe("refused");
  });

  it("update with a new password sets it: the old one stops working", async () => {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool);
    const oldPw = password();
    const news = declaredInputs(proxy.endpoint, pool.userPoolId, user.username, oldPw);
    const created = await provider().create(news);
    const olds = outputsOf(created);
    const newPw = password();
    proxy.resetCounts();
    const updated = await provider().update(created.id, olds, { ...news, password: newPw });
    const outs = updated.outs as UserPasswordOutputs;
    expect(proxy.count("AdminSetUserPassword")).toBe(1);
    expect(outs.status).toBe("CONFIRMED");
    expect(outs.passwordFingerprint).not.toBe(olds.passwordFingerprint);
    expect(await signIn(pool, user.username, newPw)).toBe("tokens");
    expect(await signIn(pool, user.username, oldPw)).toBe("refused");
    // The stored fingerprint now matches the new password: no further change.
    expect((await provider().diff(created.id, outs, { ...news, password: newPw })).changes).toBe(false);
  });

  it("update of the permanence switches between CONFIRMED and FORCE_CHANGE_PASSWORD", async () => {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool);
    const pw = password();
    const news = declaredInputs(emulator.endpoint, pool.userPoolId, user.username, pw);
    const created = await provider().create(news);
    const toTemporary = await provider().update(created.id, outputsOf(created), { ...news, permanent: false });
    expect(toTemporary.outs?.status).toBe("FORCE_CHANGE_PASSWORD");
    expect(toTemporary.outs?.permanent).toBe(false);
    expect(await getUserStatus(pool, user.username)).toBe("FORCE_CHANGE_PASSWORD");
    expect(await signIn(pool, user.username, pw)).toBe(temporarySignIn());

    const toPermanent = await provider().update(created.id, toTemporary.outs as UserPasswordOutputs, { ...news, permanent: true });
    expect(toPermanent.outs?.status).toBe("CONFIRMED");
    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
  });

  it("update of options alone (onDelete) calls no Cognito write", async () => {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool);
    const pw = password();
    const news = declaredInputs(proxy.endpoint, pool.userPoolId, user.username, pw);
    const created = await provider().create(news);
    proxy.resetCounts();
    const diff = await provider().diff(created.id, outputsOf(created), { ...news, onDelete: "keep" });
    expect(diff.changes).toBe(true);
    expect(diff.replaces ?? []).toEqual([]);
    const updated = await provider().update(created.id, outputsOf(created), { ...news, onDelete: "keep" });
    expect(updated.outs?.onDelete).toBe("keep");
    expect(updated.outs?.passwordFingerprint).toBe(outputsOf(created).passwordFingerprint);
    expect(proxy.count("AdminSetUserPassword")).toBe(0);
  });

  it("create and update refuse invalid inputs before any API call, naming the property", async () => {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool);
    const pw = password();
    const news = declaredInputs(proxy.endpoint, pool.userPoolId, user.username, pw);
    proxy.resetCounts();
    const bad = "has space1A!";
    secrets.push(bad);
    const createErr = await expectRejection(provider().create({ ...news, password: bad }), secrets);
    expect(createErr.name).toBe("InvalidInputError");
    expect(createErr.message).toContain(`UserPassword "${news.resourceName}"`);
    expect(createErr.message).toMatch(/password: must not contain whitespace/);

    const created = await provider().create(news);
    proxy.resetCounts();
    const updateErr = await expectRejection(provider().update(created.id, outputsOf(created), { ...news, permanent: "no" as unknown as boolean }), secrets);
    expect(updateErr.message).toMatch(/permanent: must be a boolean/);
    expect(proxy.count()).toBe(0);
  });
});
