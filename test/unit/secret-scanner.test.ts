/**
 * The secret scanner every test relies on must itself be able to fail: each form it claims to
 * find is planted and found, at the right place, and nothing is found where nothing is.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import {
  awsCredentialSecrets,
  base64Core,
  describeLeaks,
  findSecrets,
  SecretScanner,
  secretForms,
} from "../harness/secret-scanner";

// Characters every escaping treats differently: quote, backslash, HTML, non-ASCII, symbols.
const SECRET = 'Pw1!"q\\<a>&b€é/+x=Z9#';
const LABEL = "alice's password";

function formsFound(text: string | Buffer): string[] {
  return new SecretScanner([{ label: LABEL, value: SECRET }]).scanText(text, "t").map((l) => l.form);
}

describe("secret scanner", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("finds the plain, URL-, JSON-escaped and hex forms", () => {
    const samples: Array<[string, string]> = [
      ["plain", `before ${SECRET} after`],
      ["url", `https://x/?p=${encodeURIComponent(SECRET)}&q=1`],
      ["url-lowercase", encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
      ["form-url", new URLSearchParams({ password: SECRET }).toString()],
      ["json", JSON.stringify({ password: SECRET })],
      ["json-go", JSON.stringify(SECRET).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026")],
      [
        "json-ascii",
        JSON.stringify(SECRET).replace(
          /[\u0080-\uffff]/g,
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
        ),
      ],
      ["json-in-json", JSON.stringify({ plaintext: JSON.stringify(SECRET) })],
      ["hex", Buffer.from(SECRET).toString("hex")],
      ["HEX", Buffer.from(SECRET).toString("hex").toUpperCase()],
    ];
    for (const [form, text] of samples) expect(formsFound(text), form).toContain(form);
  });

  it("finds base64 of the secret inside any longer base64 string, at each of the 3 byte offsets", () => {
    for (let prefix = 0; prefix < 6; prefix++) {
      const blob = Buffer.concat([Buffer.from("x".repeat(prefix)), Buffer.from(SECRET), Buffer.from("-tail")]);
      const b64 = blob.toString("base64");
      // The encoded secret alone is NOT a substring once the offset is not 0 mod 3.
      const alone = Buffer.from(SECRET).toString("base64").replace(/=+$/, "");
      if (prefix % 3 !== 0) expect(b64.includes(alone), `prefix ${prefix}`).toBe(false);
      const found = formsFound(`{"blob":"${b64}"}`);
      expect(found, `prefix ${prefix}`).toContain(`base64@${prefix % 3}`);
      expect(formsFound(blob.toString("base64url")), `url alphabet, prefix ${prefix}`).toEqual(
        expect.arrayContaining([expect.stringMatching(new RegExp(`^base64(url)?@${prefix % 3}$`))]),
      );
    }
  });

  it("base64Core keeps only the characters the secret's bytes determine", () => {
    const bytes = Buffer.from("abcdef");
    expect(base64Core(bytes, 0)).toBe("YWJjZGVm");
    // "?abcdef" -> "P2FiY2RlZg==": the first 2 characters depend on "?".
    expect(base64Core(bytes, 1)).toBe(Buffer.from("?abcdef").toString("base64").slice(2, 9));
  });

  it("reports where: line, offset, label; never the secret itself", () => {
    const text = `line one\nline two ${SECRET}\n`;
    const leaks = new SecretScanner([{ label: LABEL, value: SECRET }]).scanText(text, "some.log");
    expect(leaks).toEqual([
      { secret: LABEL, form: "plain", where: "some.log", offset: Buffer.byteLength("line one\nline two "), line: 2 },
    ]);
    expect(describeLeaks(leaks)).toContain("some.log (line 2");
    expect(describeLeaks(leaks)).not.toContain(SECRET);
  });

  it("walks objects and errors, naming the path, and never puts a secret key in a path", () => {
    const err = new Error(`failed for ${encodeURIComponent(SECRET)}`);
    (err as Error & { cause?: unknown }).cause = { detail: [1, { deep: SECRET }] };
    const scanner = new SecretScanner([SECRET]);
    const where = scanner.scanValue({ ok: "fine", err }, "result").map((l) => `${l.where}:${l.form}`);
    expect(where).toContain("result.err.message:url");
    expect(where).toContain("result.err.cause.detail[1].deep:plain");
    const keyed = scanner.scanValue({ [SECRET]: "value" }, "obj");
    expect(keyed.length).toBeGreaterThan(0);
    for (const leak of keyed) expect(leak.where).not.toContain(SECRET);
  });

  it("scans files (gzip inflated) and directory trees; symbolic links are not followed", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "scanner-"));
    dirs.push(dir);
    mkdirSync(path.join(dir, "a", "b"), { recursive: true });
    writeFileSync(path.join(dir, "a", "clean.json"), JSON.stringify({ nothing: "here" }));
    writeFileSync(
      path.join(dir, "a", "b", "state.json.gz"),
      gzipSync(JSON.stringify({ plaintext: JSON.stringify(SECRET) })),
    );
    writeFileSync(path.join(dir, "a", "b", "log.txt"), `x\n${Buffer.from(`k=${SECRET}`).toString("base64")}\n`);
    const outside = mkdtempSync(path.join(tmpdir(), "scanner-outside-"));
    dirs.push(outside);
    writeFileSync(path.join(outside, "leak.txt"), SECRET);
    symlinkSync(outside, path.join(dir, "link"));
    const leaks = new SecretScanner([SECRET]).scanDirectory(dir);
    const files = [...new Set(leaks.map((l) => path.relative(dir, l.where)))].sort();
    expect(files).toEqual([path.join("a", "b", "log.txt"), path.join("a", "b", "state.json.gz")]);
  });

  it("finds nothing in clean text, also with many secrets", () => {
    const secrets = Array.from({ length: 300 }, (_, i) => `Pw${i}!${"k".repeat(10)}${i * 7919}`);
    const clean = JSON.stringify({
      a: "nothing to see",
      b: Buffer.from("unrelated bytes").toString("base64"),
      c: "k".repeat(5000),
    });
    expect(findSecrets([{ where: "clean", text: clean }], secrets)).toEqual([]);
    expect(findSecrets([{ where: "dirty", text: `${clean}${secrets[299]}` }], secrets).map((l) => l.form)).toEqual([
      "plain",
    ]);
  });

  it("labels AWS credentials from an environment; skips short derived forms", () => {
    const creds = awsCredentialSecrets({
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE123",
      AWS_SECRET_ACCESS_KEY: "s3cr3t/key+value",
      AWS_REGION: "us-east-1",
    });
    expect(creds.map((c) => c.label)).toEqual(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
    const leaks = new SecretScanner(creds).scanText(`key=${encodeURIComponent("s3cr3t/key+value")}`, "env");
    expect(leaks.map((l) => `${l.secret}:${l.form}`)).toEqual(["AWS_SECRET_ACCESS_KEY:url"]);
    // A short secret is searched in plain form only (derived forms this short match by chance).
    expect(secretForms("abc").map((f) => f.name)).toEqual(["plain"]);
  });
});
