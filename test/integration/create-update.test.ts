/**
 * `create` and `update` through the exported provider against each emulator: the declared
 * password and permanence are set with AdminSetUserPassword; the id is `<pool>/<username>`;
 * the status output matches the user's real status; the user can sign in with a permanent
 * password at once, and meets NEW_PASSWORD_REQUIRED with a temporary one (checked on moto:
 * cognito-local issues tokens for FORCE_CHANGE_PASSWORD users).
 */
import { createUserPasswordProvider, type DynamicOutputs } from "pulumi-cognito-user-password";
import { describe, expect, it } from "vitest";
import { adminSetPassword, expectRejection, getUserStatus, outputsOf, signIn } from "../support/cognito-fixtures";
import { EMULATOR_NAMES } from "../harness/emulators";
import { expectedOutputs, FINGERPRINT_LIKE } from "../support/documented-outputs";
import { useProviderHarness } from "../support/integration-harness";
import { omit } from "../support/omit";

describe.each(EMULATOR_NAMES)("create and update against %s", (emulatorName) => {
  const h = useProviderHarness(emulatorName);
  const { provider, password, temporarySignIn, declaredUser, createdUser, checked } = h;

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
    // The status output is what the set made of the user in Cognito, not only the input repeated.
    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
    // Exactly the documented outputs; none derived from the password (the nonce is random).
    expect(Object.keys(outs).sort()).toEqual(expectedOutputs(["setId", "passwordRevision", "endpoint"]));
    expect(Object.keys(outs).filter((k) => FINGERPRINT_LIKE.test(k))).toEqual([]);
    expect(outs.setId).toMatch(/^[0-9a-f]{32}$/);
    expect(Date.parse(outs.passwordSetAt)).not.toBeNaN();
    expect(h.proxy.count("AdminSetUserPassword")).toBe(1);
    const [sent] = h.proxy.requests("AdminSetUserPassword");
    expect(JSON.parse(sent?.body ?? "{}")).toEqual({
      UserPoolId: pool.userPoolId,
      Username: user.username,
      Password: pw,
      Permanent: true,
    });

    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
    expect(await signIn(pool, user.username, `${pw}x`)).toBe("refused");
  });

  it("defaults permanent to true when it is not given", async () => {
    const { pool, user, pw, news: declared } = await declaredUser({}, { endpoint: "emulator" });
    const news = omit(declared, "permanent");
    const outs = outputsOf(await provider().create(news));
    expect(outs.permanent).toBe(true);
    expect(outs.status).toBe("CONFIRMED");
    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
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
    expect(await getUserStatus(pool, user.username)).toBe("FORCE_CHANGE_PASSWORD");
    expect(outs.reissueExpiredTemporaryPassword).toBe(true);
    expect(await signIn(pool, user.username, temporary)).toBe(temporarySignIn());
    expect(await signIn(pool, user.username, `${temporary}x`)).toBe("refused");
  });

  it("update with a new password sets it: the old one stops working", async () => {
    const { pool, user, pw: oldPw, news, id, outs: olds } = await createdUser();
    const newPw = password();
    const next = await checked(news, { ...news, password: newPw });
    expect(next.passwordRevision).toMatch(/^[0-9a-f]{32}$/);
    expect(next.passwordRevision).not.toBe(olds.passwordRevision);
    h.proxy.resetCounts();
    const updated = await provider().update(id, olds, next);
    const outs = updated.outs as DynamicOutputs;
    expect(h.proxy.count("AdminSetUserPassword")).toBe(1);
    expect(outs.status).toBe("CONFIRMED");
    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
    expect(outs.setId).not.toBe(olds.setId);
    expect(outs.passwordRevision).toBe(next.passwordRevision);
    expect(await signIn(pool, user.username, newPw)).toBe("tokens");
    expect(await signIn(pool, user.username, oldPw)).toBe("refused");
    // The next deployment's check compares with the inputs just stored: no further change.
    expect((await provider().diff(id, outs, await checked(next, { ...news, password: newPw }))).changes).toBe(false);
  });

  it("update of the permanence switches between CONFIRMED and FORCE_CHANGE_PASSWORD", async () => {
    const { pool, user, pw, news, id, outs } = await createdUser({}, { endpoint: "emulator" });
    const toTemporary = await provider().update(id, outs, { ...news, permanent: false });
    expect(toTemporary.outs?.status).toBe("FORCE_CHANGE_PASSWORD");
    expect(toTemporary.outs?.permanent).toBe(false);
    expect(await getUserStatus(pool, user.username)).toBe("FORCE_CHANGE_PASSWORD");
    expect(await signIn(pool, user.username, pw)).toBe(temporarySignIn());

    const toPermanent = await provider().update(id, toTemporary.outs as DynamicOutputs, {
      ...news,
      permanent: true,
    });
    expect(toPermanent.outs?.status).toBe("CONFIRMED");
    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
  });

  it("update of options alone (onDelete) calls no Cognito write", async () => {
    const { news, id, outs } = await createdUser();
    const next = await checked(news, { ...news, onDelete: "keep" });
    expect(next.passwordRevision).toBe(outs.passwordRevision);
    h.proxy.resetCounts();
    const diff = await provider().diff(id, outs, next);
    expect(diff.changes).toBe(true);
    expect(diff.replaces ?? []).toEqual([]);
    const updated = await provider().update(id, outs, next);
    expect(updated.outs?.onDelete).toBe("keep");
    expect(updated.outs?.setId).toBe(outs.setId);
    expect(updated.outs?.passwordRevision).toBe(outs.passwordRevision);
    expect(h.proxy.count("AdminSetUserPassword")).toBe(0);
    expect(h.proxy.count()).toBe(0);
  });

  it("no output depends on the password: the same user set twice with two passwords gives the same outputs but for passwordSetAt and the random setId and passwordRevision", async () => {
    const { pool, user, news } = await declaredUser({}, { endpoint: "emulator" });
    const [first, second] = [password(), password()];
    const viaCreate = outputsOf(await provider().create({ ...news, password: first }));
    await new Promise((r) => setTimeout(r, 5)); // a later passwordSetAt
    const viaUpdate = outputsOf(
      await provider().update(
        `${news.userPoolId}/${news.username}`,
        viaCreate,
        await checked({ ...news, password: first }, { ...news, password: second }),
      ),
    );
    // A second resource's create (a new deployment process) of the same user, with the second password.
    const viaOtherCreate = outputsOf(
      await provider(createUserPasswordProvider()).create({ ...news, password: second }),
    );
    const strip = (outs: DynamicOutputs) => omit(outs, "passwordSetAt", "setId", "passwordRevision");
    expect(strip(viaUpdate)).toEqual(strip(viaCreate));
    expect(strip(viaOtherCreate)).toEqual(strip(viaCreate));
    // Their status (CONFIRMED) is the user's in Cognito after the last set.
    expect(viaOtherCreate.status).toBe("CONFIRMED");
    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
    expect(new Set([viaCreate.setId, viaUpdate.setId, viaOtherCreate.setId]).size).toBe(3);
    expect(
      new Set([viaCreate.passwordRevision, viaUpdate.passwordRevision, viaOtherCreate.passwordRevision]).size,
    ).toBe(3);
    expect(viaUpdate.passwordSetAt).not.toBe(viaCreate.passwordSetAt);
    expect(Object.keys(viaUpdate).sort()).toEqual(expectedOutputs(["setId", "passwordRevision", "endpoint"]));
    // The passwords did change.
    expect(await signIn(pool, user.username, second)).toBe("tokens");
    expect(await signIn(pool, user.username, first)).toBe("refused");
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
    const updateErr = await expectRejection(
      provider().update(created.id, outputsOf(created), { ...news, permanent: "no" as unknown as boolean }),
      h.secrets,
    );
    expect(updateErr.message).toMatch(/permanent: must be a boolean/);
    expect(h.proxy.count()).toBe(0);
  });
});
