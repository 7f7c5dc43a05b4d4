/**
 * `read` (what `pulumi refresh` runs) through the provider against each emulator:
 *  - user or pool gone -> empty result (the engine drops the resource);
 *  - permanent declared, user later in FORCE_CHANGE_PASSWORD or RESET_REQUIRED -> drift;
 *  - temporary declared, user answered NEW_PASSWORD_REQUIRED (now CONFIRMED) -> no drift;
 *  - temporary declared, still FORCE_CHANGE_PASSWORD past the pool's
 *    TemporaryPasswordValidityDays -> drift (clock moved with `createUserPasswordProvider({ now })`),
 *    unless reissueExpiredTemporaryPassword is false.
 */
import { createUserPasswordProvider, type DynamicOutputs } from "pulumi-cognito-user-password";
import { describe, expect, it } from "vitest";
import {
  adminResetPassword,
  adminSetPassword,
  answerNewPasswordRequired,
  deletePool,
  deleteUser,
  getUserStatus,
  signIn,
  type Provider,
} from "../support/cognito-fixtures";
import { TRAITS } from "../harness/emulators";
import { FACES, useProviderHarness } from "../support/integration-harness";
import { omit } from "../support/omit";

const DAY = 24 * 60 * 60 * 1000;

describe.each(FACES)("read (refresh) against %s, %s face", (emulatorName, driver) => {
  const h = useProviderHarness(emulatorName, { proxy: false, driver });
  const { provider, password, temporarySignIn } = h;
  const traits = TRAITS[emulatorName];

  function setUp(
    options: { permanent?: boolean; validityDays?: number; email?: boolean; via?: Provider; reissue?: boolean } = {},
  ) {
    const policy = {
      MinimumLength: 8,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    };
    return h.createdUser(
      {
        permanent: options.permanent ?? true,
        ...(options.reissue !== undefined ? { reissueExpiredTemporaryPassword: options.reissue } : {}),
      },
      {
        pool:
          options.validityDays !== undefined
            ? { passwordPolicy: { ...policy, TemporaryPasswordValidityDays: options.validityDays } }
            : {},
        attributes: options.email ? { email: `${Date.now()}@example.com`, email_verified: "true" } : {},
        via: options.via,
      },
    );
  }

  it("finds a user in the declared state: same id, status, no drift", async () => {
    const { id, outs } = await setUp();
    const result = await provider().read(id, outs);
    expect(result.id).toBe(id);
    expect(result.props).toMatchObject({ status: "CONFIRMED", permanent: true, setId: outs.setId });
    // Refresh returns the stored outputs as they were, but for status and drift: nothing else, nothing new.
    expect(result.props).toEqual(outs);
    expect(result.props?.drift).toBeUndefined();
  });

  it("refreshes a state written by the fingerprint version: drops passwordFingerprint, keeps the rest; the next check and diff find no change", async () => {
    const { id, outs, news } = await setUp();
    const rest = omit(outs, "setId", "passwordRevision");
    const legacy = {
      ...rest,
      passwordFingerprint: "hmac-sha256$c2FsdHNhbHRzYWx0c2FsdA==$bWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWFjbWE=",
    } as DynamicOutputs;
    const result = await provider().read(id, legacy);
    expect(result.props).not.toHaveProperty("passwordFingerprint");
    expect(result.props).toEqual(rest);
    // The stored inputs of that version had no passwordRevision: check keeps "" ("set before
    // revisions were recorded"), which matches outputs without one.
    const legacyInputs = omit(news, "passwordRevision");
    const next = await h.checked(legacyInputs, news);
    expect(next.passwordRevision).toBe("");
    expect((await provider().diff(id, result.props as DynamicOutputs, next)).changes).toBe(false);
    // A refresh after that up (the refreshed outputs against the inputs it stored): no change.
    const refreshedAgain = await provider().read(id, result.props);
    expect((await provider().diff(id, refreshedAgain.props as DynamicOutputs, next)).changes).toBe(false);
  });

  it("reads a resource from its id alone (import), with the endpoint from AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", async () => {
    const { pool, id, user } = await setUp();
    const saved = process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
    process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = h.emulator.endpoint;
    try {
      // A fresh provider: SDK clients are cached per (region, endpoint, profile) per process.
      const result = await (await h.nextDeployment()).read(id);
      expect(result.id).toBe(id);
      expect(result.props).toMatchObject({
        userPoolId: pool.userPoolId,
        username: user.username,
        cognitoUsername: user.username,
        status: "CONFIRMED",
      });
      expect(result.props?.drift).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
      else process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = saved;
    }
  });

  it("reports the resource gone when the user was deleted", async () => {
    const { pool, user, id, outs } = await setUp();
    await deleteUser(pool, user.username);
    const result = await provider().read(id, outs);
    expect(result.id).toBeUndefined();
    expect(result.props).toBeUndefined();
  });

  it("reports the resource gone when the user pool was deleted", async () => {
    const { pool, id, outs } = await setUp();
    await deletePool(pool);
    const result = await provider().read(id, outs);
    expect(result.id).toBeUndefined();
    expect(result.props).toBeUndefined();
  });

  it("finds drift when a permanent password was made temporary behind the stack's back; update repairs it", async () => {
    const { pool, user, pw, news, id, outs } = await setUp();
    await adminSetPassword(pool, user.username, password(), false);
    const result = await provider().read(id, outs);
    expect(result.id).toBe(id);
    expect(result.props?.status).toBe("FORCE_CHANGE_PASSWORD");
    expect(result.props?.drift).toBe("password-not-permanent");

    const props = result.props as DynamicOutputs;
    expect((await provider().diff(id, props, news)).changes).toBe(true);
    const updated = await provider().update(id, props, news);
    expect(updated.outs?.status).toBe("CONFIRMED");
    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
    expect(updated.outs?.drift).toBeUndefined();
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
    expect((await provider().read(id, updated.outs as DynamicOutputs)).props?.drift).toBeUndefined();
  });

  it.runIf(!traits.supportsAdminResetUserPassword)(
    "AdminResetUserPassword is not supported here (cognito-local): it fails, the user stays CONFIRMED with the declared password, refresh finds no drift",
    async () => {
      const { pool, user, pw, id, outs } = await setUp({ email: true });
      // If the emulator learns to reset, this fails and the trait must be turned on.
      await expect(adminResetPassword(pool, user.username)).rejects.toThrow();
      expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
      expect(await signIn(pool, user.username, pw)).toBe("tokens");
      const result = await provider().read(id, outs);
      expect(result.props?.status).toBe("CONFIRMED");
      expect(result.props?.drift).toBeUndefined();
    },
  );

  it.runIf(traits.supportsAdminResetUserPassword)(
    "finds drift after an admin reset (RESET_REQUIRED); update repairs it",
    async () => {
      const { pool, user, pw, news, id, outs } = await setUp({ email: true });
      await adminResetPassword(pool, user.username);
      expect(await getUserStatus(pool, user.username)).toBe("RESET_REQUIRED");
      const result = await provider().read(id, outs);
      expect(result.props?.status).toBe("RESET_REQUIRED");
      expect(result.props?.drift).toBe("reset-required");
      const props = result.props as DynamicOutputs;
      expect((await provider().diff(id, props, news)).changes).toBe(true);
      const updated = await provider().update(id, props, news);
      expect(updated.outs?.status).toBe("CONFIRMED");
      expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
      expect(await signIn(pool, user.username, pw)).toBe("tokens");
    },
  );

  it("finds no drift when a temporary password was used as intended (user chose a new one)", async () => {
    const { pool, user, pw, news, id, outs } = await setUp({ permanent: false });
    const chosen = password();
    expect(await answerNewPasswordRequired(pool, user.username, pw, chosen)).toBe(true);
    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");

    const result = await provider().read(id, outs);
    expect(result.id).toBe(id);
    expect(result.props?.status).toBe("CONFIRMED");
    expect(result.props?.drift).toBeUndefined();
    expect((await provider().diff(id, result.props as DynamicOutputs, await h.checked(news, news))).changes).toBe(
      false,
    );
    // The user's own password still works: nothing was set again.
    expect(await signIn(pool, user.username, chosen)).toBe("tokens");
  });

  // An injected clock: only the dynamic face takes one (a plugin process keeps the real clock).
  it.runIf(driver === "dynamic")(
    "finds a temporary password expired after the pool's TemporaryPasswordValidityDays, and re-issues it",
    async () => {
      let now = new Date();
      const clocked = provider(createUserPasswordProvider({ now: () => now }));
      const { pool, user, pw, news, id, outs } = await setUp({ permanent: false, validityDays: 3, via: clocked });
      const setAt = now.getTime();
      expect(outs.passwordSetAt).toBe(new Date(setAt).toISOString());

      // Within the pool's 3 days (the 7-day default would not matter): still valid.
      now = new Date(setAt + 3 * DAY - 60_000);
      const early = await clocked.read(id, outs);
      expect(early.props?.status).toBe("FORCE_CHANGE_PASSWORD");
      expect(early.props?.drift).toBeUndefined();

      // Past them: expired, so the next up sets the same temporary password again.
      now = new Date(setAt + 3 * DAY + 60_000);
      const late = await clocked.read(id, outs);
      expect(late.props?.drift).toBe("temporary-password-expired");
      const props = late.props as DynamicOutputs;
      expect((await clocked.diff(id, props, news)).changes).toBe(true);
      const reissued = await clocked.update(id, props, news);
      expect(reissued.outs?.status).toBe("FORCE_CHANGE_PASSWORD");
      expect(await getUserStatus(pool, user.username)).toBe("FORCE_CHANGE_PASSWORD");
      expect(reissued.outs?.passwordSetAt).toBe(now.toISOString());
      expect(reissued.outs?.drift).toBeUndefined();
      expect(await signIn(pool, user.username, pw)).toBe(temporarySignIn());

      // The re-issued password has a fresh validity period.
      now = new Date(now.getTime() + 2 * DAY);
      expect((await clocked.read(id, reissued.outs as DynamicOutputs)).props?.drift).toBeUndefined();
    },
  );

  // An injected clock: only the dynamic face takes one (a plugin process keeps the real clock).
  it.runIf(driver === "dynamic")("uses Cognito's 7-day default when the pool sets no validity", async () => {
    let now = new Date();
    const clocked = provider(createUserPasswordProvider({ now: () => now }));
    const { id, outs } = await setUp({ permanent: false, via: clocked });
    const setAt = now.getTime();
    now = new Date(setAt + 6 * DAY);
    expect((await clocked.read(id, outs)).props?.drift).toBeUndefined();
    now = new Date(setAt + 7 * DAY + 60_000);
    expect((await clocked.read(id, outs)).props?.drift).toBe("temporary-password-expired");
  });

  // An injected clock: only the dynamic face takes one (a plugin process keeps the real clock).
  it.runIf(driver === "dynamic")(
    "leaves an expired temporary password alone when reissueExpiredTemporaryPassword is false",
    async () => {
      let now = new Date();
      const clocked = provider(createUserPasswordProvider({ now: () => now }));
      const { id, outs, news } = await setUp({ permanent: false, validityDays: 1, via: clocked, reissue: false });
      expect(outs.reissueExpiredTemporaryPassword).toBe(false);
      now = new Date(now.getTime() + 30 * DAY);
      const result = await clocked.read(id, outs);
      expect(result.props?.status).toBe("FORCE_CHANGE_PASSWORD");
      expect(result.props?.drift).toBeUndefined();
      expect(
        (await clocked.diff(id, result.props as DynamicOutputs, await h.checked(news, news, clocked))).changes,
      ).toBe(false);
    },
  );
});
