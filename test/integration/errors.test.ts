/**
 * Errors through the exported provider, against each emulator (some behind the fault
 * proxy): every message names the resource, the pool and the user and the Cognito error,
 * and never contains the password in any encoding, not even when the service echoes it.
 * Throttling and 5xx answers are retried by the SDK.
 */
import { userPasswordProvider, type UserPasswordInputs } from "pulumi-cognito-user-password";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createPool,
  createUser,
  declaredInputs,
  expectNoSecret,
  expectRejection,
  getUserStatus,
  leakChecked,
  outputsOf,
  signIn,
  strongPassword,
  useDummyAwsEnvironment,
} from "../support/cognito-fixtures";
import { EMULATOR_NAMES, startEmulator, type Emulator } from "../support/emulators";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy";

useDummyAwsEnvironment();

describe.each(EMULATOR_NAMES)("errors against %s", (emulatorName) => {
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
    proxy.clearRules();
    proxy.resetCounts();
  });

  const password = () => {
    const p = strongPassword();
    secrets.push(p);
    return p;
  };

  function expectNames(err: Error, news: UserPasswordInputs, code: string): void {
    expect(err.message).toContain(`UserPassword "${news.resourceName}"`);
    expect(err.message).toContain(news.userPoolId);
    expect(err.message).toContain(`"${news.username}"`);
    expect(err.message).toContain(`(${code})`);
  }

  it("create for a user that does not exist", async () => {
    const pool = await createPool(emulator.endpoint);
    const news = declaredInputs(emulator.endpoint, pool.userPoolId, "nobody-here", password());
    const err = await expectRejection(provider().create(news), secrets);
    expect(err.name).toBe("UserNotFoundError");
    expect(err.message).toBe(`UserPassword "${news.resourceName}": user "nobody-here" not found in user pool ${pool.userPoolId} (UserNotFoundException)`);
  });

  it("create in a user pool that does not exist", async () => {
    const missing = emulatorName === "moto" ? "us-east-1_Gone0" : "local_Gone0";
    const news = declaredInputs(emulator.endpoint, missing, "alice", password());
    const err = await expectRejection(provider().create(news), secrets);
    expect(err.name).toBe("UserPoolNotFoundError");
    expectNames(err, news, "ResourceNotFoundException");
    expect(err.message).toMatch(/user pool \S+ not found/);
  });

  it("a password the pool's policy refuses at set time (where the emulator enforces it)", async () => {
    const pool = await createPool(emulator.endpoint, {
      passwordPolicy: { MinimumLength: 16, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true },
    });
    const user = await createUser(pool);
    const weak = "Weak1!pass";
    secrets.push(weak);
    const news = declaredInputs(emulator.endpoint, pool.userPoolId, user.username, weak);
    if (!emulator.traits.enforcesPasswordPolicy) {
      // cognito-local sets anything: only check (tested in check.test.ts) stands in the way.
      expect(outputsOf(await provider().create(news)).status).toBe("CONFIRMED");
      return;
    }
    const err = await expectRejection(provider().create(news), secrets);
    expect(err.name).toBe("PasswordPolicyError");
    expectNames(err, news, "InvalidPasswordException");
    expect(await getUserStatus(pool, user.username)).toBe("FORCE_CHANGE_PASSWORD");
  });

  it("never repeats a password the service echoes in its error, in plain text or base64", async () => {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool);
    const pw = password();
    const echo = `Value '${pw}' at 'password' failed to satisfy constraint (${Buffer.from(pw).toString("base64")}, ${encodeURIComponent(pw)})`;
    proxy.failWith("AdminSetUserPassword", { status: 400, type: "InvalidParameterException", message: echo });
    const news = declaredInputs(proxy.endpoint, pool.userPoolId, user.username, pw);
    const err = await expectRejection(provider().create(news), secrets);
    expectNames(err, news, "InvalidParameterException");
    // The rest of the service's message is kept; the password is masked.
    expect(err.message).toContain("failed to satisfy constraint");
    expect(proxy.count("AdminSetUserPassword")).toBe(1);
  });

  it("a delete whose scramble fails names the user and leaks neither password", async () => {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool);
    const pw = password();
    const news = declaredInputs(proxy.endpoint, pool.userPoolId, user.username, pw);
    const created = await provider().create(news);
    proxy.resetCounts();
    proxy.failWith("AdminSetUserPassword", { status: 400, type: "NotAuthorizedException", message: "not allowed" });
    const err = await provider().delete(created.id, outputsOf(created)).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    const scramble = (JSON.parse(proxy.requests("AdminSetUserPassword")[0]?.body ?? "{}") as { Password?: string }).Password;
    expect(scramble).toBeTruthy();
    expectNoSecret(err, [pw, scramble as string]);
    expect(err?.name).toBe("AccessDeniedError");
    expectNames(err as Error, news, "NotAuthorizedException");
    expect(err?.message).toContain("AdminSetUserPassword");
    // Nothing changed: the declared password still works.
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
  });

  it("a refresh refused by Cognito names the user and the operation", async () => {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool);
    const news = declaredInputs(proxy.endpoint, pool.userPoolId, user.username, password());
    const created = await provider().create(news);
    proxy.failWith("AdminGetUser", { status: 400, type: "NotAuthorizedException", message: "denied" });
    const err = await expectRejection(provider().read(created.id, outputsOf(created)), secrets);
    expect(err.name).toBe("AccessDeniedError");
    expectNames(err, news, "NotAuthorizedException");
    expect(err.message).toContain("AdminGetUser");
  });

  it("retries throttling (TooManyRequestsException) and 5xx answers, then succeeds", async () => {
    const pool = await createPool(emulator.endpoint);
    const user = await createUser(pool);
    const pw = password();
    proxy.failWith("AdminSetUserPassword", { status: 400, type: "TooManyRequestsException", message: "Rate exceeded", times: 2 });
    proxy.failWith("AdminGetUser", { status: 500, type: "InternalErrorException", times: 1 });
    const result = await provider().create(declaredInputs(proxy.endpoint, pool.userPoolId, user.username, pw));
    expect(outputsOf(result).status).toBe("CONFIRMED");
    expect(proxy.count("AdminGetUser")).toBe(2);
    expect(proxy.count("AdminSetUserPassword")).toBe(3);
    expect(proxy.forwarded.AdminSetUserPassword).toBe(1);
    expect(await signIn(pool, user.username, pw)).toBe("tokens");
  });
});
