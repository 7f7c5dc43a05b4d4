/**
 * `check` through the exported provider, against both emulators behind a counting proxy:
 * shape failures name the property and make no API call; unknown values pass; the known
 * password is validated against the pool's password policy with one DescribeUserPool per
 * pool per process; a missing pool is reported on userPoolId.
 */
import type { DynamicInputs } from "pulumi-cognito-user-password";
import { describe, expect, it } from "vitest";
import {
  adminSetPassword,
  createPool,
  createUser,
  declaredInputs,
  expectNoSecret,
  getUserStatus,
  resourceName,
} from "../support/cognito-fixtures";
import { TRAITS } from "../harness/emulators";
import { FACES, useProviderHarness } from "../support/integration-harness";

// The engine's placeholder for a value not known during preview, as the library names it.
import { UNKNOWN } from "../../src/core/types";

const STRICT_POLICY = {
  MinimumLength: 12,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

describe.each(FACES)("check against %s, %s face", (emulatorName, driver) => {
  const h = useProviderHarness(emulatorName, { driver });
  const { provider, declaredUser } = h;
  const traits = TRAITS[emulatorName];

  const describeCalls = (userPoolId: string) =>
    h.proxy
      .requests("DescribeUserPool")
      .filter((r) => (JSON.parse(r.body) as { UserPoolId?: string }).UserPoolId === userPoolId).length;

  it("refuses malformed inputs with a failure naming the property, without any API call", async () => {
    const password = h.password();
    h.secrets.push("has space1A!", "x".repeat(257));
    const base = declaredInputs(
      h.proxy.endpoint,
      `${emulatorName === "moto" ? "us-east-1" : "local"}_Abc123`,
      "alice",
      password,
    );
    const cases: Array<[string, Record<string, unknown>]> = [
      ["userPoolId", { userPoolId: "no-underscore" }],
      ["userPoolId", { userPoolId: undefined }],
      ["userPoolId", { userPoolId: 42 }],
      ["username", { username: "" }],
      ["username", { username: "u".repeat(129) }],
      ["username", { username: "has space" }],
      ["password", { password: "" }],
      ["password", { password: "x".repeat(257) }],
      ["password", { password: "has space1A!" }],
      ["password", { password: undefined }],
      ["permanent", { permanent: "yes" }],
      ["region", { region: "narnia" }],
      ["endpoint", { endpoint: "ftp://example" }],
      ["onDelete", { onDelete: "shred" }],
      ["passwrd", { passwrd: "typo" }],
    ];
    for (const [property, change] of cases) {
      const news = { ...base, ...change };
      const result = await provider().check(news, news);
      expect(result.inputs, `${property} ${JSON.stringify(change)}`).toBeUndefined();
      expect(
        result.failures?.map((f) => f.property),
        JSON.stringify(change),
      ).toContain(property);
      for (const failure of result.failures ?? []) expect(failure.reason.length).toBeGreaterThan(0);
    }
    // The boundaries pass: 128-character username, 256-character password (shape only).
    const longest = { ...base, username: "u".repeat(128), password: "P1!a".repeat(64), checkPasswordPolicy: false };
    h.secrets.push(longest.password);
    expect((await provider().check(longest, longest)).failures).toBeUndefined();
    expect(h.proxy.count()).toBe(0);
  });

  it("passes unknown values (preview) untouched, without validating them or calling the API", async () => {
    const pool = await createPool(h.proxy.endpoint, { passwordPolicy: STRICT_POLICY });
    h.proxy.resetCounts();
    const user = await createUser(pool);
    const news = declaredInputs(h.proxy.endpoint, pool.userPoolId, user.username, UNKNOWN);
    const result = await provider().check(news, news);
    expect(result.failures).toBeUndefined();
    expect(result.inputs?.password).toBe(UNKNOWN);
    expect(describeCalls(pool.userPoolId)).toBe(0);

    const allUnknown = declaredInputs(h.proxy.endpoint, UNKNOWN, UNKNOWN, UNKNOWN, {
      permanent: UNKNOWN as unknown as boolean,
    });
    const unknownResult = await provider().check(allUnknown, allUnknown);
    expect(unknownResult.failures).toBeUndefined();
    expect(unknownResult.inputs).toMatchObject({
      userPoolId: UNKNOWN,
      username: UNKNOWN,
      password: UNKNOWN,
      permanent: UNKNOWN,
    });
    expect(h.proxy.count("DescribeUserPool")).toBe(0);
  });

  it("refuses a known password that breaks the pool's policy, naming the rules but not the password", async () => {
    const pool = await createPool(h.proxy.endpoint, { passwordPolicy: STRICT_POLICY });
    const user = await createUser(pool);
    const statusBefore = await getUserStatus(pool, user.username);

    const tooShort = "Sh0rt!pw";
    const noClasses = "alllowercaseletters";
    h.secrets.push(tooShort, noClasses);
    const short = await provider().check(
      {} as DynamicInputs,
      declaredInputs(h.proxy.endpoint, pool.userPoolId, user.username, tooShort),
    );
    expect(short.inputs).toBeUndefined();
    expect(short.failures).toHaveLength(1);
    expect(short.failures?.[0]?.property).toBe("password");
    expect(short.failures?.[0]?.reason).toContain(pool.userPoolId);
    expect(short.failures?.[0]?.reason).toMatch(/at least 12 characters/);

    const weak = await provider().check(
      {} as DynamicInputs,
      declaredInputs(h.proxy.endpoint, pool.userPoolId, user.username, noClasses),
    );
    expect(weak.failures?.[0]?.property).toBe("password");
    expect(weak.failures?.[0]?.reason).toMatch(/uppercase/);
    expect(weak.failures?.[0]?.reason).toMatch(/number/);
    expect(weak.failures?.[0]?.reason).toMatch(/symbol/);
    expect(weak.failures?.[0]?.reason).not.toMatch(/lowercase/);

    const good = h.password();
    const ok = await provider().check(
      {} as DynamicInputs,
      declaredInputs(h.proxy.endpoint, pool.userPoolId, user.username, good),
    );
    expect(ok.failures).toBeUndefined();
    expect(ok.inputs).toMatchObject({ password: good, permanent: true, onDelete: "scramble" });

    // One DescribeUserPool for the three checks of this pool: the policy is cached per process.
    expect(describeCalls(pool.userPoolId)).toBe(1);
    // check changed nothing.
    expect(h.proxy.count("AdminSetUserPassword")).toBe(0);
    expect(await getUserStatus(pool, user.username)).toBe(statusBefore);

    // A second pool is described once too: its policy asks for more characters than `good` has.
    const longer = good.length + 4;
    const other = await createPool(h.proxy.endpoint, { passwordPolicy: { ...STRICT_POLICY, MinimumLength: longer } });
    const otherUser = await createUser(other);
    const otherCheck = await provider().check(
      {} as DynamicInputs,
      declaredInputs(h.proxy.endpoint, other.userPoolId, otherUser.username, good),
    );
    expect(otherCheck.failures?.[0]?.reason).toContain(`at least ${longer} characters`);
    await provider().check(
      {} as DynamicInputs,
      declaredInputs(h.proxy.endpoint, other.userPoolId, otherUser.username, good),
    );
    expect(describeCalls(other.userPoolId)).toBe(1);
    expect(describeCalls(pool.userPoolId)).toBe(1);
  });

  /** check of a password the strict policy refuses: a failure on `password`. */
  async function checkRefusesShortPassword() {
    const bad = "Sh0rt!pw";
    const { pool, user, news } = await declaredUser(
      { password: bad },
      { endpoint: "emulator", pool: { passwordPolicy: STRICT_POLICY } },
    );
    const result = await provider().check({} as DynamicInputs, news);
    expect(result.failures?.[0]?.property).toBe("password");
    return { pool, user, bad };
  }

  it.runIf(!traits.enforcesPasswordPolicy)(
    "is the only guard here (cognito-local accepts anything): check refuses a password the emulator's own AdminSetUserPassword accepts",
    async () => {
      const { pool, user, bad } = await checkRefusesShortPassword();
      // What the emulator itself does with the same password.
      await expect(adminSetPassword(pool, user.username, bad, true)).resolves.toBeUndefined();
    },
  );

  it.runIf(traits.enforcesPasswordPolicy)(
    "refuses a password the emulator's own AdminSetUserPassword refuses too (InvalidPasswordException), before any set",
    async () => {
      const { pool, user, bad } = await checkRefusesShortPassword();
      // What the emulator itself does with the same password.
      await expect(adminSetPassword(pool, user.username, bad, true)).rejects.toMatchObject({
        name: "InvalidPasswordException",
      });
    },
  );

  it("skips the policy look-up when checkPasswordPolicy is false", async () => {
    const { pool, news } = await declaredUser(
      { password: "Sh0rt!pw", checkPasswordPolicy: false },
      { pool: { passwordPolicy: STRICT_POLICY } },
    );
    const result = await provider().check({} as DynamicInputs, news);
    expect(result.failures).toBeUndefined();
    expect(describeCalls(pool.userPoolId)).toBe(0);
  });

  it("reports a user pool that does not exist on userPoolId, and does not cache the miss", async () => {
    const missing = emulatorName === "moto" ? "us-east-1_Missing0" : "local_Missing0";
    const password = h.password();
    const news = declaredInputs(h.proxy.endpoint, missing, "bob", password);
    for (let i = 0; i < 2; i++) {
      const result = await provider().check(news, news);
      expect(result.inputs).toBeUndefined();
      expect(result.failures).toHaveLength(1);
      expect(result.failures?.[0]?.property).toBe("userPoolId");
      expect(result.failures?.[0]?.reason).toContain(missing);
      expect(result.failures?.[0]?.reason).toMatch(/not found/);
    }
    expect(describeCalls(missing)).toBe(2);
  });

  it("refuses a pool id naming another region than the one in use", async () => {
    const password = h.password();
    const news = declaredInputs(h.proxy.endpoint, "eu-west-1_Abc123", "carol", password);
    const result = await provider().check(news, news);
    expect(result.failures?.map((f) => f.property)).toEqual(["userPoolId"]);
    expect(result.failures?.[0]?.reason).toMatch(/eu-west-1.*us-east-1/);
    expect(h.proxy.count()).toBe(0);
  });

  it("refuses a second resource declaring the same user in the same deployment", async () => {
    const { pw, news: first } = await declaredUser({ resourceName: resourceName("first") }, { endpoint: "emulator" });
    const second = { ...first, resourceName: resourceName("second") };
    expect((await provider().check(first, first)).failures).toBeUndefined();
    const result = await provider().check(second, second);
    expect(result.failures?.[0]?.property).toBe("username");
    expect(result.failures?.[0]?.reason).toContain(first.resourceName);
    expectNoSecret(result, [pw]);
  });
});
