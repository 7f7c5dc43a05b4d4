import { describe, expect, it } from "vitest";
import { fingerprintPassword, matchesFingerprint } from "../../src/fingerprint";

const PASSWORD = "Correct-Horse-9";

describe("fingerprint", () => {
  it("matches the password it was made from, and no other", async () => {
    const fp = await fingerprintPassword(PASSWORD);
    expect(await matchesFingerprint(PASSWORD, fp)).toBe(true);
    expect(await matchesFingerprint("Correct-Horse-8", fp)).toBe(false);
    expect(await matchesFingerprint("", fp)).toBe(false);
  });

  it("is salted: two fingerprints of one password differ", async () => {
    const [a, b] = await Promise.all([fingerprintPassword(PASSWORD), fingerprintPassword(PASSWORD)]);
    expect(a).not.toBe(b);
  });

  it("holds the password in no encoding", async () => {
    const fp = await fingerprintPassword(PASSWORD);
    for (const form of [PASSWORD, Buffer.from(PASSWORD).toString("base64"), Buffer.from(PASSWORD).toString("hex")]) {
      expect(fp).not.toContain(form);
    }
    expect(fp).toMatch(/^hmac-sha256\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
  });

  it("does not match a fingerprint whose salt or MAC was altered", async () => {
    const fp = await fingerprintPassword(PASSWORD);
    const [scheme, salt, digest] = fp.split("$") as [string, string, string];
    const flip = (b64: string) => (b64[0] === "A" ? "B" : "A") + b64.slice(1);
    expect(await matchesFingerprint(PASSWORD, [scheme, flip(salt), digest].join("$"))).toBe(false);
    expect(await matchesFingerprint(PASSWORD, [scheme, salt, flip(digest)].join("$"))).toBe(false);
  });

  it.each([undefined, "", "garbage", "hmac-sha256$c2FsdA==", "hmac-sha256$c2FsdA==$aGFzaA==", "scrypt$14$8$1$c2FsdA==$aGFzaA=="])(
    "treats the malformed fingerprint %j as no match",
    async (fp) => {
      expect(await matchesFingerprint(PASSWORD, fp)).toBe(false);
    },
  );
});
