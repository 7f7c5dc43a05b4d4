/**
 * The test harness's emulators: each starts on a free 127.0.0.1 port, answers Cognito
 * calls, logs to its file, and is gone after stop(); a missing moto is a clear error.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createPool, createUser, getUserStatus, useDummyAwsEnvironment } from "../support/cognito-fixtures";
import { EMULATOR_NAMES, startEmulator, startMoto } from "../harness/emulators";

useDummyAwsEnvironment();

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

describe.each(EMULATOR_NAMES)("emulator %s", (name) => {
  it("starts on a free loopback port, serves Cognito, logs, and stops", async () => {
    const [a, b] = await Promise.all([startEmulator(name), startEmulator(name)]);
    try {
      for (const emulator of [a, b]) {
        expect(emulator?.name).toBe(name);
        expect(emulator?.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      }
      expect(a?.endpoint).not.toBe(b?.endpoint);
      const emulator = a;
      // Plain usernames work: cognito-local's default UsernameAttributes=[email] is off.
      const pool = await createPool(emulator.endpoint);
      const user = await createUser(pool, "plain-name");
      expect(user.cognitoUsername).toBe("plain-name");
      expect(await getUserStatus(pool, "plain-name")).toBe("FORCE_CHANGE_PASSWORD");
      expect(existsSync(emulator.logFile)).toBe(true);
    } finally {
      await a?.stop();
      await b?.stop();
    }
    expect(await answers(`${a.endpoint}/`)).toBe(false);
    expect(await answers(`${b.endpoint}/`)).toBe(false);
    expect(readFileSync(a.logFile, "utf8").length).toBeGreaterThan(0);
  });
});

describe("a missing moto", () => {
  it("is a clear error, not a skip", async () => {
    const saved = process.env.MOTO_SERVER;
    process.env.MOTO_SERVER = "/nonexistent/moto_server";
    try {
      await expect(startMoto()).rejects.toThrow(
        /MOTO_SERVER=\/nonexistent\/moto_server does not exist: run `bash scripts\/ensure-moto.sh`/,
      );
    } finally {
      if (saved === undefined) delete process.env.MOTO_SERVER;
      else process.env.MOTO_SERVER = saved;
    }
  });
});
