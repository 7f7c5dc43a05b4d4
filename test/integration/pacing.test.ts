/**
 * The pacer inside the real SDK client, against cognito-local behind the fault proxy's token
 * bucket (Cognito's UserUpdate quota, 25 per second, one second's worth of burst): counts, not
 * times, are asserted.
 *  - One client seeding at the engine's parallelism stays within the quota: no set is refused.
 *  - Two clients with pacers of their own (two processes sharing one account's quota) are
 *    refused now and then, give way, and both get every set through, within the SDK's attempts.
 *  - Every retry of the SDK waits for the pacer too: a throttle without end still costs
 *    exactly maxAttempts requests and fails naming the resource, the pool and the user.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCognitoClient, DEFAULT_TUNING, SdkCognitoGateway, type Connection } from "../../src/cognito/gateway";
import { DEFAULT_RATES, Pacers, pace } from "../../src/cognito/pacer";
import { targetOf } from "../../src/core/errors";
import {
  createPool,
  createUser,
  expectNoSecret,
  expectRejection,
  strongPassword,
  useDummyAwsEnvironment,
  type Pool,
} from "../support/cognito-fixtures";
import { startCognitoLocal, type Emulator } from "../harness/emulators";
import { forUser, startFaultProxy, type FaultProxy } from "../harness/fault-proxy";

const SET = "AdminSetUserPassword";
const IN_FLIGHT = 8;

let cognitoLocal: Emulator;
let proxy: FaultProxy;
let pool: Pool;
const usernames: string[] = [];

beforeAll(async () => {
  useDummyAwsEnvironment();
  cognitoLocal = await startCognitoLocal();
  proxy = await startFaultProxy(cognitoLocal.endpoint, { recordBodies: false });
  pool = await createPool(cognitoLocal.endpoint);
  for (let i = 0; i < 60; i++) usernames.push((await createUser(pool, `paced-${i}`)).username);
});

afterAll(async () => {
  await proxy?.stop();
  await cognitoLocal?.stop();
});

/** A gateway as the provider builds it, pacing through `pacers` (one set per simulated process). */
function gateway(pacers: Pacers, maxAttempts = DEFAULT_TUNING.maxAttempts): SdkCognitoGateway {
  const connection: Connection = { region: "us-east-1", endpoint: proxy.endpoint };
  const client = createCognitoClient(connection, { ...DEFAULT_TUNING, maxAttempts });
  return new SdkCognitoGateway(pace(client, connection, () => DEFAULT_RATES, pacers));
}

/** Sets every user's password, `IN_FLIGHT` at a time; returns how many failed. */
async function seed(g: SdkCognitoGateway, users: readonly string[]): Promise<number> {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < users.length) {
      const username = users[next++] as string;
      await g.setPassword(targetOf(username, pool.userPoolId, username), strongPassword(), true).catch(() => failed++);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return failed;
}

describe("pacing at the quota (cognito-local behind a 25 per second token bucket)", () => {
  it("one client: every set goes through and none is refused", async () => {
    proxy.clearRules();
    proxy.resetCounts();
    proxy.throttle(SET, { ratePerSecond: 25 });
    expect(await seed(gateway(new Pacers()), usernames)).toBe(0);
    expect(proxy.forwarded[SET]).toBe(usernames.length);
    expect(proxy.throttledCount(SET)).toBe(0);
  });

  it("two processes sharing the quota: both give way and both get every set through", async () => {
    proxy.clearRules();
    proxy.resetCounts();
    // A small burst: two pacers at 25 each meet the quota within the first sets.
    proxy.throttle(SET, { ratePerSecond: 25, burst: 5 });
    const a = gateway(new Pacers());
    const b = gateway(new Pacers());
    const half = usernames.length / 2;
    const failed = await Promise.all([seed(a, usernames.slice(0, half)), seed(b, usernames.slice(half))]);
    expect(failed).toEqual([0, 0]);
    expect(proxy.forwarded[SET]).toBe(usernames.length);
    // Both paced at 25 at first, so the quota refused some, and those were retried.
    expect(proxy.throttledCount(SET)).toBeGreaterThan(0);
    expect(proxy.count(SET)).toBe(usernames.length + proxy.throttledCount(SET));
  });

  it("a throttle without end: exactly maxAttempts requests, then an error naming resource, pool and user", async () => {
    proxy.clearRules();
    proxy.resetCounts();
    const user = usernames[0] as string;
    proxy.failWith(SET, {
      status: 400,
      type: "TooManyRequestsException",
      message: "Rate exceeded",
      when: forUser(user),
    });
    const password = strongPassword();
    const err = await expectRejection(
      gateway(new Pacers(), 3).setPassword(targetOf("the-resource", pool.userPoolId, user), password, true),
      [password],
    );
    expect(proxy.count(SET)).toBe(3);
    expect(err.message).toContain(`UserPassword "the-resource"`);
    expect(err.message).toContain(pool.userPoolId);
    expect(err.message).toContain(`"${user}"`);
    expect(err.message).toContain("(TooManyRequestsException)");
    expectNoSecret(err.message, [password]);
  });
});
