// The proxy and CA settings as the AWS CLI reads them (pure rules: no network).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tls from "node:tls";
import { afterAll, describe, expect, it } from "vitest";
import { awsRetrySettings } from "../../src/cognito/connections";
import { durationSeconds } from "../../src/cognito/credentials";
import { bypassesProxy, describeProxy, networkSettings, trustedRoots } from "../../src/cognito/network";
import { profileSettings } from "../../src/cognito/shared-config";

const dir = mkdtempSync(path.join(tmpdir(), "cup-network-unit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("NO_PROXY, with the AWS CLI's rules", () => {
  it.each([
    ["*", "cognito-idp.us-east-1.amazonaws.com", 443, true],
    ["amazonaws.com", "cognito-idp.us-east-1.amazonaws.com", 443, true],
    [".amazonaws.com", "cognito-idp.us-east-1.amazonaws.com", 443, true],
    ["*.amazonaws.com", "cognito-idp.us-east-1.amazonaws.com", 443, true],
    ["amazonaws.com", "amazonaws.com", 443, true],
    ["zonaws.com", "cognito-idp.us-east-1.amazonaws.com", 443, false],
    ["localhost:8443", "localhost", 8443, true],
    ["localhost:8443", "localhost", 443, false],
    ["127.0.0.1", "127.0.0.1", 4566, true],
    ["127.0.0.1", "127.0.0.10", 4566, false],
    ["Example.COM", "api.example.com", 443, true],
  ])("%s exempts %s:%d: %s", (entry, host, port, exempt) => {
    expect(bypassesProxy(host, port, [entry.toLowerCase()])).toBe(exempt);
  });

  it("reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY, upper case before lower, lists split on commas and spaces", () => {
    const s = networkSettings(
      {
        HTTPS_PROXY: "http://a:3128",
        https_proxy: "http://b:3128",
        http_proxy: "http://c:3128",
        no_proxy: "x.com, y.com ,,z",
      },
      undefined,
    );
    expect(s).toMatchObject({
      httpsProxy: "http://a:3128",
      httpProxy: "http://c:3128",
      noProxy: ["x.com", "y.com", "z"],
    });
  });

  it("names a proxy without its credentials", () => {
    expect(describeProxy("http://user:p%40ss@proxy.corp:3128")).toBe("http://proxy.corp:3128");
    expect(describeProxy("proxy.corp:3128")).toBe("http://proxy.corp:3128");
  });
});

describe("the CA bundle", () => {
  const pem = path.join(dir, "corp.pem");
  writeFileSync(pem, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");

  it("AWS_CA_BUNDLE before the profile's ca_bundle; none when neither is set", () => {
    const config = path.join(dir, "config");
    writeFileSync(config, "[default]\nca_bundle = /from/default.pem\n[profile corp]\n  ca_bundle = /from/corp.pem\n");
    expect(networkSettings({ AWS_CONFIG_FILE: config, AWS_CA_BUNDLE: pem }, "corp").caBundle).toEqual({
      setting: "AWS_CA_BUNDLE",
      path: pem,
    });
    expect(networkSettings({ AWS_CONFIG_FILE: config }, undefined).caBundle).toEqual({
      setting: 'ca_bundle (profile "default")',
      path: "/from/default.pem",
    });
    expect(networkSettings({ AWS_CONFIG_FILE: path.join(dir, "none") }, undefined).caBundle).toBeUndefined();
  });

  it("adds to Node's default roots (with NODE_EXTRA_CA_CERTS), never replaces them", () => {
    const roots = trustedRoots({ setting: "AWS_CA_BUNDLE", path: pem }) ?? [];
    const defaults =
      typeof tls.getCACertificates === "function" ? tls.getCACertificates("default") : tls.rootCertificates;
    expect(roots.length).toBe(defaults.length + 1);
    for (const root of tls.rootCertificates) expect(roots).toContain(root);
    expect(roots.at(-1)).toContain("MIIB");
  });

  it("a bundle that cannot be read names the setting", () => {
    expect(() => trustedRoots({ setting: "AWS_CA_BUNDLE", path: path.join(dir, "missing.pem") })).toThrow(
      /AWS_CA_BUNDLE names .*missing\.pem, which cannot be read/,
    );
  });
});

describe("the shared config file", () => {
  it("reads a profile's top-level keys, lower-cased, and skips nested sub-sections and other profiles", () => {
    const config = path.join(dir, "config2");
    writeFileSync(
      config,
      "[profile a]\nMax_Attempts = 3\nretry_mode=standard\ns3 =\n  max_attempts = 9\n[profile b]\nmax_attempts = 7\n",
    );
    expect(profileSettings("a", { AWS_CONFIG_FILE: config })).toEqual({
      max_attempts: "3",
      retry_mode: "standard",
      s3: "",
    });
    expect(profileSettings("c", { AWS_CONFIG_FILE: config })).toEqual({});
  });
});

describe("durations in @pulumi/aws's form", () => {
  it.each([
    ["1h", 3600],
    ["15m", 900],
    ["1h30m", 5400],
    ["900s", 900],
    ["1.5h", 5400],
  ])("%s is %d seconds", (text, seconds) => expect(durationSeconds(text)).toBe(seconds));
  it.each(["", "1 h", "1d", "3600"])("%j is not a duration", (text) => expect(durationSeconds(text)).toBeUndefined());
});

describe("the standard AWS retry settings", () => {
  it("AWS_MAX_ATTEMPTS / AWS_RETRY_MODE, else the profile's max_attempts / retry_mode; invalid values ignored", () => {
    const config = path.join(dir, "config-retry");
    writeFileSync(config, "[profile ci]\nmax_attempts = 5\nretry_mode = standard\n");
    const env = { AWS_CONFIG_FILE: config };
    expect(awsRetrySettings(env, "ci")).toEqual({ maxAttempts: 5, retryMode: "standard" });
    expect(awsRetrySettings({ ...env, AWS_MAX_ATTEMPTS: "2", AWS_RETRY_MODE: "legacy" }, "ci")).toEqual({
      maxAttempts: 2,
      retryMode: "legacy",
    });
    expect(awsRetrySettings({ ...env, AWS_MAX_ATTEMPTS: "zero", AWS_RETRY_MODE: "eager" }, "ci")).toEqual({
      maxAttempts: 5,
      retryMode: "standard",
    });
    expect(awsRetrySettings(env, "other")).toEqual({});
  });
});
