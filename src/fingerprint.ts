/**
 * Salted one-way fingerprint of a password, so a changed password can be detected without
 * keeping the password. scrypt makes guessing a weak password from a leaked fingerprint
 * costly; the fingerprint is also stored as a secret output, so it is encrypted in the state.
 * Format: `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>`; parameters travel with it so they
 * can be raised later without invalidating old fingerprints.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

const LOG2_N = 14;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function fingerprintPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, { N: 2 ** LOG2_N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", LOG2_N, R, P, salt.toString("base64"), hash.toString("base64")].join("$");
}

/** True when `password` produced `fingerprint`; false for any malformed fingerprint. */
export async function matchesFingerprint(password: string, fingerprint: string | undefined): Promise<boolean> {
  if (!fingerprint) return false;
  const parts = fingerprint.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, logN, r, p, saltB64, hashB64] = parts as [string, string, string, string, string, string];
  const n = Number(logN), rr = Number(r), pp = Number(p);
  if (![n, rr, pp].every(Number.isInteger) || n < 1 || n > 20 || rr < 1 || rr > 32 || pp < 1 || pp > 16) return false;
  const expected = Buffer.from(hashB64, "base64");
  if (expected.length !== KEY_LENGTH) return false;
  const actual = await scrypt(password, Buffer.from(saltB64, "base64"), {
    N: 2 ** n,
    r: rr,
    p: pp,
    maxmem: 256 * 1024 * 1024,
  });
  return timingSafeEqual(actual, expected);
}
