/**
 * `create` and `update` through the exported provider against each emulator: the declared
 * password and permanence are set with AdminSetUserPassword; the id is `<pool>/<username>`;
 * the status output matches the user's real status; the user can sign in with a permanent
 * password at once, and meets NEW_PASSWORD_REQUIRED with a temporary one (checked on moto:
 * cognito-local issues tokens for FORCE_CHANGE_PASSWORD users).
 */
import type { UserPasswordOutputs } from "pulumi-cognito-user-password";
import { describe, expect, it } from "vitest";
import { adminSetPassword, expectRejection, getUserStatus, outputsOf, signIn } from "../support/cognito-fixtures";
import { EMULATOR_NAMES } from "../support/emulators";
import { useProviderHarness } from "../support/integration-harness";

describe.each(EMULATOR_NAMES)("create and update against %s", (emulatorName) => {
  const h = useProviderHarness(emulatorName);
  const { provider, password, temporarySignIn, declaredUser, createdUser } = h;

  it("sets a permanent password: id <pool>/<username>, status CONFIRMED, the user signs in with it", async () => {
    const { pool, user, pw, news } = await declaredUser();
    expect(await getUserStatus(pool, user.username)).toBe("FORCE_CHANGE_PASSWORD");
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
      endpoint: h.proxy.endpoint,
      onDelete: "scramble",
    });
    expect(outs).not.toHaveProperty("password");
    expect(outs.passwordFingerprint).toMatch(/^hmac-sha256\$/);
    expect(Date.parse(outs.passwordSetAt)).not.toBeNaN();
    expect(h.proxy.count("AdminSetUserPassword")).toBe(1);
    const [sent] = h.proxy.requests("AdminSetUserPassword");
    expect(JSON.parse(sent?.body ?? "{}")).toEqual({ UserPoolId: pool.userPoolId, Username: user.username, Password: pw, Permanent: true });

    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
    expect(await signIn(pool, user.username, `${pw}x`)).toBe("refused");
  });

  it("defaults permanent to true when it is not given", async () => {
    const { pool, user, pw, news: declared } = await declaredUser({}, { endpoint: "emulator" });
    const { permanent: _omitted, ...news } = declared;
    const outs = outputsOf(await provider().create(news));
    expect(outs.permanent).toBe(true);
    expect(outs.status).toBe("CONFIRMED");
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
  });

  it("sets a temporary password: status FORCE_CHANGE_PASSWORD, the next sign-in must choose a new one", async () => {
    const { pool, user, pw: temporary, news } = await declaredUser({ permanent: false }, { endpoint: "emulator" });
    // Make the user CONFIRMED first (as an administrator would), so the set visibly changes the status.
    await adminSetPassword(pool, user.username, password(), true);
    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");

    const result = await provider().create(news);
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
    const { pool, user, pw: oldPw, news, id, outs: olds } = await createdUser();
    const newPw = password();
    h.proxy.resetCounts();
    const updated = await provider().update(id, olds, { ...news, password: newPw });
    const outs = updated.outs as UserPasswordOutputs;
    expect(h.proxy.count("AdminSetUserPassword")).toBe(1);
    expect(outs.status).toBe("CONFIRMED");
    expect(outs.passwordFingerprint).not.toBe(olds.passwordFingerprint);
    expect(await signIn(pool, user.username, newPw)).toBe("tokens");
    expect(await signIn(pool, user.username, oldPw)).toBe("refused");
    // The stored fingerprint now matches the new password: no further change.
    expect((await provider().diff(id, outs, { ...news, password: newPw })).changes).toBe(false);
  });

  it("update of the permanence switches between CONFIRMED and FORCE_CHANGE_PASSWORD", async () => {
    const { pool, user, pw, news, id, outs } = await createdUser({}, { endpoint: "emulator" });
    const toTemporary = await provider().update(id, outs, { ...news, permanent: false });
    expect(toTemporary.outs?.status).toBe("FORCE_CHANGE_PASSWORD");
    expect(toTemporary.outs?.permanent).toBe(false);
    expect(await getUserStatus(pool, user.username)).toBe("FORCE_CHANGE_PASSWORD");
    expect(await signIn(pool, user.username, pw)).toBe(temporarySignIn());

    const toPermanent = await provider().update(id, toTemporary.outs as UserPasswordOutputs, { ...news, permanent: true });
    expect(toPermanent.outs?.status).toBe("CONFIRMED");
    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
  });

  it("update of options alone (onDelete) calls no Cognito write", async () => {
    const { news, id, outs } = await createdUser();
    h.proxy.resetCounts();
    const diff = await provider().diff(id, outs, { ...news, onDelete: "keep" });
    expect(diff.changes).toBe(true);
    expect(diff.replaces ?? []).toEqual([]);
    const updated = await provider().update(id, outs, { ...news, onDelete: "keep" });
    expect(updated.outs?.onDelete).toBe("keep");
    expect(updated.outs?.passwordFingerprint).toBe(outs.passwordFingerprint);
    expect(h.proxy.count("AdminSetUserPassword")).toBe(0);
  });

  it("create and update refuse invalid inputs before any API call, naming the property", async () => {
    const { news } = await declaredUser();
    h.proxy.resetCounts();
    const bad = "has space1A!";
    h.secrets.push(bad);
    const createErr = await expectRejection(provider().create({ ...news, password: bad }), h.secrets);
    expect(createErr.name).toBe("InvalidInputError");
    expect(createErr.message).toContain(`UserPassword "${news.resourceName}"`);
    expect(createErr.message).toMatch(/password: must not contain whitespace/);

    const created = await provider().create(news);
    h.proxy.resetCounts();
    const updateErr = await expectRejection(provider().update(created.id, outputsOf(created), { ...news, permanent: "no" as unknown as boolean }), h.secrets);
    expect(updateErr.message).toMatch(/permanent: must be a boolean/);
    expect(h.proxy.count()).toBe(0);
  });
});
