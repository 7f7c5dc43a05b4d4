/**
 * Errors through the exported provider, against each emulator (some behind the fault
 * proxy): every message names the resource, the pool and the user and the Cognito error,
 * and never contains the password in any encoding, not even when the service echoes it.
 * Throttling and 5xx answers are retried by the SDK.
 */
import type { DynamicInputs } from "pulumi-cognito-user-password";
import { describe, expect, it } from "vitest";
import {
  createPool,
  declaredInputs,
  expectNoSecret,
  expectRejection,
  getUserStatus,
  outputsOf,
  signIn,
  STRICT_PASSWORD_POLICY,
} from "../support/cognito-fixtures";
import { TRAITS } from "../harness/emulators";
import { FACES, useProviderHarness } from "../support/integration-harness";

describe.each(FACES)("errors against %s, %s face", (emulatorName, driver) => {
  const h = useProviderHarness(emulatorName, { driver });
  const { provider, password, declaredUser, createdUser } = h;
  const traits = TRAITS[emulatorName];

  function expectNames(err: Error, news: DynamicInputs, code: string): void {
    expect(err.message).toContain(`UserPassword "${news.resourceName}"`);
    expect(err.message).toContain(news.userPoolId);
    expect(err.message).toContain(`"${news.username}"`);
    expect(err.message).toContain(`(${code})`);
  }

  it("create for a user that does not exist", async () => {
    const pool = await createPool(h.emulator.endpoint);
    const news = declaredInputs(h.emulator.endpoint, pool.userPoolId, "nobody-here", password());
    const err = await expectRejection(provider().create(news), h.secrets);
    h.expectErrorClass(err, "UserNotFoundError");
    expect(err.message).toBe(
      `UserPassword "${news.resourceName}": user "nobody-here" not found in user pool ${pool.userPoolId} (UserNotFoundException)`,
    );
  });

  it("create in a user pool that does not exist", async () => {
    const missing = emulatorName === "moto" ? "us-east-1_Gone0" : "local_Gone0";
    const news = declaredInputs(h.emulator.endpoint, missing, "alice", password());
    const err = await expectRejection(provider().create(news), h.secrets);
    h.expectErrorClass(err, "UserPoolNotFoundError");
    expectNames(err, news, "ResourceNotFoundException");
    expect(err.message).toMatch(/user pool \S+ not found/);
  });

  /** A user of a pool whose policy (16 characters and more) refuses the declared "Weak1!pass". */
  const weakPasswordUser = () =>
    declaredUser(
      { password: "Weak1!pass" },
      {
        endpoint: "emulator",
        pool: {
          passwordPolicy: STRICT_PASSWORD_POLICY,
        },
      },
    );

  it.runIf(traits.enforcesPasswordPolicy)(
    "a password the pool's policy refuses is refused at set time (PasswordPolicyError, InvalidPasswordException); the user is unchanged",
    async () => {
      const { pool, user, pw, news } = await weakPasswordUser();
      const err = await expectRejection(provider().create(news), h.secrets);
      h.expectErrorClass(err, "PasswordPolicyError");
      expectNames(err, news, "InvalidPasswordException");
      expect(await getUserStatus(pool, user.username)).toBe("FORCE_CHANGE_PASSWORD");
      expect(await signIn(pool, user.username, pw)).toBe("refused");
    },
  );

  it.runIf(!traits.enforcesPasswordPolicy)(
    "AdminSetUserPassword does not enforce the pool's policy here (cognito-local; AWS does): create sets a password the policy refuses, only check stands in the way",
    async () => {
      const { pool, user, pw, news } = await weakPasswordUser();
      // check (tested in check.test.ts) is what refuses it; create alone goes through.
      expect(outputsOf(await provider().create(news)).status).toBe("CONFIRMED");
      expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
      expect(await signIn(pool, user.username, pw)).toBe("tokens");
    },
  );

  it("never repeats a password the service echoes in its error, in plain text, base64, URL-encoded or JSON-escaped", async () => {
    const { pw, news } = await declaredUser();
    // The password holds `"` and `\` (strongPassword): its JSON-escaped form (the request body echoed) is not its plain form.
    expect(JSON.stringify(pw).slice(1, -1)).not.toBe(pw);
    const echo = `Value '${pw}' at 'password' failed to satisfy constraint (${Buffer.from(pw).toString("base64")}, ${encodeURIComponent(pw)}, request ${JSON.stringify({ Password: pw })})`;
    h.proxy.failWith("AdminSetUserPassword", { status: 400, type: "InvalidParameterException", message: echo });
    const err = await expectRejection(provider().create(news), h.secrets);
    expectNames(err, news, "InvalidParameterException");
    // The rest of the service's message is kept; the password is masked.
    expect(err.message).toContain("failed to satisfy constraint");
    expect(h.proxy.count("AdminSetUserPassword")).toBe(1);
  });

  it("a delete whose scramble fails names the user and leaks neither password", async () => {
    const { pool, user, pw, news, id, outs } = await createdUser();
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
    h.proxy.resetCounts();
    h.proxy.failWith("AdminSetUserPassword", { status: 400, type: "NotAuthorizedException", message: "not allowed" });
    const err = await provider()
      .delete(id, outs)
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(err).toBeInstanceOf(Error);
    const scramble = (JSON.parse(h.proxy.requests("AdminSetUserPassword")[0]?.body ?? "{}") as { Password?: string })
      .Password;
    expect(scramble).toBeTruthy();
    expectNoSecret(err, [pw, scramble as string]);
    h.expectErrorClass(err, "AccessDeniedError");
    expectNames(err as Error, news, "NotAuthorizedException");
    expect(err?.message).toContain("AdminSetUserPassword");
    // Nothing changed: the declared password still works.
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
  });

  it("a refresh refused by Cognito names the user and the operation", async () => {
    const { news, id, outs } = await createdUser();
    h.proxy.failWith("AdminGetUser", { status: 400, type: "NotAuthorizedException", message: "denied" });
    const err = await expectRejection(provider().read(id, outs), h.secrets);
    h.expectErrorClass(err, "AccessDeniedError");
    expectNames(err, news, "NotAuthorizedException");
    expect(err.message).toContain("AdminGetUser");
  });

  it("retries throttling (TooManyRequestsException) and 5xx answers, then succeeds", async () => {
    const { pool, user, pw, news } = await declaredUser();
    h.proxy.failWith("AdminSetUserPassword", {
      status: 400,
      type: "TooManyRequestsException",
      message: "Rate exceeded",
      times: 2,
    });
    h.proxy.failWith("AdminGetUser", { status: 500, type: "InternalErrorException", times: 1 });
    const result = await provider().create(news);
    expect(outputsOf(result).status).toBe("CONFIRMED");
    expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
    expect(h.proxy.count("AdminGetUser")).toBe(2);
    expect(h.proxy.count("AdminSetUserPassword")).toBe(3);
    expect(h.proxy.forwarded.AdminSetUserPassword).toBe(1);
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
  });
});
