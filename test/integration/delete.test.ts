/**
 * `delete` through the exported provider against each emulator: by default the declared
 * password stops working (a long random permanent password is set); onDelete "keep" leaves
 * it; a missing user or pool counts as deleted; a rename without an alias (the new resource
 * created, then the old one deleted, in one provider process) does not clobber the password
 * the new resource just set. Sign-in checks work on both emulators here: both compare the
 * password (cognito-local answers a wrong one with InvalidPasswordException). Every "refused
 * after the delete" follows a sign-in that shows the declared password worked right before it
 * (for a temporary password: tokens on cognito-local, NEW_PASSWORD_REQUIRED on moto, both
 * only for the right password).
 */
import { createUserPasswordProvider } from "pulumi-cognito-user-password";
import { describe, expect, it } from "vitest";
import { deletePool, deleteUser, getUserStatus, outputsOf, resourceName, signIn } from "../support/cognito-fixtures";
import { EMULATOR_NAMES } from "../harness/emulators";
import { useProviderHarness } from "../support/integration-harness";
import { omit } from "../support/omit";

describe.each(EMULATOR_NAMES)("delete against %s", (emulatorName) => {
  const h = useProviderHarness(emulatorName);
  const { provider, password, temporarySignIn, declaredUser, createdUser } = h;

  it("makes the declared password unusable by default (a long random permanent password)", async () => {
    const { pool, user, pw, id, outs } = await createdUser();
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
    h.proxy.resetCounts();
    await provider().delete(id, outs);

    expect(h.proxy.count("AdminSetUserPassword")).toBe(1);
    const sent = JSON.parse(h.proxy.requests("AdminSetUserPassword")[0]?.body ?? "{}") as {
      Password?: string;
      Permanent?: boolean;
      Username?: string;
    };
    expect(sent.Username).toBe(user.username);
    expect(sent.Permanent).toBe(true);
    expect(sent.Password).not.toBe(pw);
    expect(sent.Password?.length).toBeGreaterThanOrEqual(64);
    expect(await signIn(pool, user.username, pw)).toBe("refused");
    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
  });

  it("scrambles a temporary password too", async () => {
    const { pool, user, pw, id, outs } = await createdUser({ permanent: false });
    expect(await signIn(pool, user.username, pw)).toBe(temporarySignIn());
    await provider().delete(id, outs);
    expect(await signIn(pool, user.username, pw)).toBe("refused");
  });

  it('keeps the password as it is with onDelete "keep"', async () => {
    const { pool, user, pw, id, outs } = await createdUser({ onDelete: "keep" });
    h.proxy.resetCounts();
    await provider().delete(id, outs);
    expect(h.proxy.count()).toBe(0);
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
  });

  it("counts a user that no longer exists as deleted", async () => {
    const { pool, user, id, outs } = await createdUser();
    await deleteUser(pool, user.username);
    await expect(provider().delete(id, outs)).resolves.toBeUndefined();
  });

  it("counts a user pool that no longer exists as deleted", async () => {
    const { pool, id, outs } = await createdUser();
    await deletePool(pool);
    await expect(provider().delete(id, outs)).resolves.toBeUndefined();
  });

  it("does not clobber the password when a rename creates the new resource, then deletes the old one", async () => {
    const {
      pool,
      user,
      pw,
      news: oldInputs,
    } = await declaredUser({ resourceName: resourceName("old") }, { endpoint: "emulator" });
    // The previous `pulumi up` (another provider process) created the resource under its old name.
    const previousRun = provider(createUserPasswordProvider());
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

  it("a rename of a resource the fingerprint version wrote (no setId in its outputs) does not clobber either", async () => {
    const {
      pool,
      user,
      pw,
      news: oldInputs,
    } = await declaredUser({ resourceName: resourceName("old") }, { endpoint: "emulator" });
    const old = outputsOf(await provider(createUserPasswordProvider()).create(oldInputs));
    const rest = omit(old, "setId");
    const legacy = {
      ...rest,
      passwordFingerprint: "hmac-sha256$c2FsdHNhbHRzYWx0c2FsdA==$bWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWE=",
    } as typeof old;

    const thisRun = provider(createUserPasswordProvider());
    const newInputs = { ...oldInputs, resourceName: resourceName("new") };
    const checked = await thisRun.check(undefined as never, newInputs);
    const renamed = await thisRun.create(checked.inputs ?? newInputs);
    expect(outputsOf(renamed).setId).toMatch(/^[0-9a-f]{32}$/);
    await thisRun.delete(`${old.userPoolId}/${old.username}`, legacy);
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
  });

  it("a rename that also changes the password keeps the new password", async () => {
    const {
      pool,
      user,
      pw: oldPw,
      news: oldInputs,
    } = await declaredUser({ resourceName: resourceName("old") }, { endpoint: "emulator" });
    const previousRun = provider(createUserPasswordProvider());
    const old = await previousRun.create(oldInputs);

    const newPw = password();
    const newInputs = { ...oldInputs, resourceName: resourceName("new"), password: newPw };
    await provider().create(newInputs);
    expect(await signIn(pool, user.username, newPw)).toBe("tokens");
    expect(await signIn(pool, user.username, oldPw)).toBe("refused");
    await provider().delete(old.id, outputsOf(old));
    expect(await signIn(pool, user.username, newPw)).toBe("tokens");
    expect(await signIn(pool, user.username, oldPw)).toBe("refused");
  });

  it("still scrambles when nothing in this process set the password since (a plain destroy)", async () => {
    const { pool, user, pw, news } = await declaredUser({}, { endpoint: "emulator" });
    const previousRun = provider(createUserPasswordProvider());
    const created = await previousRun.create(news);
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
    // `pulumi destroy` in a new process.
    await provider(createUserPasswordProvider()).delete(created.id, outputsOf(created));
    expect(await signIn(pool, user.username, pw)).toBe("refused");
  });
});
