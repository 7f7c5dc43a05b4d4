// The provider's way to Cognito in an enterprise network, with the real AWS SDK against moto
// on loopback: a CONNECT proxy that logs its tunnels (harness/fault-proxy.ts), a TLS front for
// moto whose certificate a CA made for this run issued (harness/test-ca.ts, harness/tls-front.ts),
// and the proxy and CA settings as the AWS CLI reads them (HTTPS_PROXY, NO_PROXY, AWS_CA_BUNDLE,
// a profile's ca_bundle). Each test drives a provider of its own (createUserPasswordProvider,
// the core userPasswordProvider runs, given this test's environment: the process environment
// of this machine sets AWS_CA_BUNDLE and other CA variables for its own registry traffic, so
// every test states each of these variables itself), sets a password, and checks that the user
// signs in with it, or, for a failure, that the user's password is the one it had.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createUserPasswordProvider, type DynamicInputs } from "pulumi-cognito-user-password";
import {
  adminSetPassword,
  createPool,
  createUser,
  expectRejection,
  signIn,
  strongPassword,
  useDummyAwsEnvironment,
  type Pool,
} from "../support/cognito-fixtures";
import { startMoto, type Emulator } from "../../harness/emulators";
import { startFaultProxy, type FaultProxy } from "../../harness/fault-proxy";
import { makeTestCa, type TestCa } from "../../harness/test-ca";
import { startTlsFront, type TlsFront } from "../../harness/tls-front";

/** Every variable that changes how this package reaches AWS; a test sets the ones it means. */
const NETWORK_VARIABLES = [
  "HTTPS_PROXY",
  "https_proxy",
  "HTTP_PROXY",
  "http_proxy",
  "NO_PROXY",
  "no_proxy",
  "AWS_CA_BUNDLE",
  "AWS_CONFIG_FILE",
  "AWS_PROFILE",
  "AWS_MAX_ATTEMPTS",
  "AWS_RETRY_MODE",
] as const;

let moto: Emulator;
let ca: TestCa;
let otherCa: TestCa;
let front: TlsFront;
let proxy: FaultProxy;
let scratch: string;

/** The process environment without any network variable, plus `vars`. */
function envWith(vars: Partial<Record<(typeof NETWORK_VARIABLES)[number], string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, COGNITO_PW_MAX_ATTEMPTS: "2" };
  for (const name of NETWORK_VARIABLES) delete env[name];
  return { ...env, ...vars };
}

interface Prepared {
  pool: Pool;
  username: string;
  /** The password the user has before the test (set out of band). */
  before: string;
  /** The password the resource declares. */
  declared: string;
  inputs: DynamicInputs;
}

/** A pool and a user holding a known password, and the inputs of a resource declaring a new one through the TLS front. */
async function prepare(): Promise<Prepared> {
  const pool = await createPool(moto.endpoint);
  const { username } = await createUser(pool);
  const before = strongPassword();
  await adminSetPassword(pool, username, before, true);
  const declared = strongPassword();
  return {
    pool,
    username,
    before,
    declared,
    inputs: {
      userPoolId: pool.userPoolId,
      username,
      password: declared,
      endpoint: front.endpoint,
      region: "us-east-1",
      resourceName: `net-${username}`,
    },
  };
}

async function expectUnchanged(p: Prepared): Promise<void> {
  expect(await signIn(p.pool, p.username, p.before)).toBe("tokens");
  expect(await signIn(p.pool, p.username, p.declared)).toBe("refused");
}

async function create(env: NodeJS.ProcessEnv, inputs: DynamicInputs) {
  const provider = createUserPasswordProvider({ env });
  const checked = await provider.check({}, inputs);
  expect(checked.failures).toBeUndefined();
  return provider.create(checked.inputs as DynamicInputs);
}

beforeAll(async () => {
  useDummyAwsEnvironment();
  for (const name of NETWORK_VARIABLES) delete process.env[name];
  scratch = mkdtempSync(path.join(tmpdir(), "cup-networks-"));
  moto = await startMoto();
  ca = makeTestCa();
  otherCa = makeTestCa("an unrelated CA");
  front = await startTlsFront(moto.endpoint, ca);
  proxy = await startFaultProxy(moto.endpoint, { recordBodies: false });
});

afterAll(async () => {
  await front?.stop();
  await proxy?.stop();
  await moto?.stop();
  ca?.remove();
  otherCa?.remove();
  rmSync(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  proxy.clearRules();
  proxy.requireProxyAuth(undefined);
  front.reset();
});

describe("through an HTTPS proxy, to an endpoint a company CA signs", () => {
  it("HTTPS_PROXY and AWS_CA_BUNDLE: every call goes through the proxy's tunnel, and the password is set", async () => {
    const p = await prepare();
    const tunnelsBefore = proxy.tunnels.length;
    const created = await create(envWith({ HTTPS_PROXY: proxy.endpoint, AWS_CA_BUNDLE: ca.caFile }), p.inputs);
    expect(created.outs?.status).toBe("CONFIRMED");
    const tunnels = proxy.tunnels.slice(tunnelsBefore);
    expect(tunnels.length).toBeGreaterThan(0);
    expect(new Set(tunnels.map((t) => `${t.target} ${t.status}`))).toEqual(new Set([`localhost:${front.port} 200`]));
    expect(front.requests.map((r) => r.operation)).toContain("AdminSetUserPassword");
    expect(await signIn(p.pool, p.username, p.declared)).toBe("tokens");
  });

  it("lower-case https_proxy, and proxy credentials (sent as Proxy-Authorization) work too", async () => {
    const p = await prepare();
    proxy.requireProxyAuth({ user: "deployer", password: "proxy-Secret-1" });
    const tunnelsBefore = proxy.tunnels.length;
    const proxied = proxy.endpoint.replace("http://", "http://deployer:proxy-Secret-1@");
    await create(envWith({ https_proxy: proxied, AWS_CA_BUNDLE: ca.caFile }), p.inputs);
    expect(proxy.tunnels.slice(tunnelsBefore).every((t) => t.authorized && t.status === 200)).toBe(true);
    expect(await signIn(p.pool, p.username, p.declared)).toBe("tokens");
  });

  it("a profile's ca_bundle (AWS_CONFIG_FILE) makes the certificate valid as AWS_CA_BUNDLE does", async () => {
    const p = await prepare();
    const config = path.join(scratch, "config-ca");
    writeFileSync(config, `[profile corp]\nregion = us-east-1\nca_bundle = ${ca.caFile}\n`);
    const credentials = path.join(scratch, "credentials-ca");
    writeFileSync(credentials, `[corp]\naws_access_key_id = testing\naws_secret_access_key = testing\n`);
    // The SDK reads the profile's credentials from the files the process environment names.
    process.env.AWS_CONFIG_FILE = config;
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
    try {
      await create(envWith({ HTTPS_PROXY: proxy.endpoint, AWS_CONFIG_FILE: config }), { ...p.inputs, profile: "corp" });
    } finally {
      delete process.env.AWS_CONFIG_FILE;
      delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    }
    expect(await signIn(p.pool, p.username, p.declared)).toBe("tokens");
  });

  it("NO_PROXY naming the endpoint's host bypasses the proxy: no tunnel, the password is set", async () => {
    const p = await prepare();
    const tunnelsBefore = proxy.tunnels.length;
    await create(
      envWith({ HTTPS_PROXY: proxy.endpoint, NO_PROXY: "example.com,localhost", AWS_CA_BUNDLE: ca.caFile }),
      p.inputs,
    );
    expect(proxy.tunnels.length).toBe(tunnelsBefore);
    expect(front.requests.map((r) => r.operation)).toContain("AdminSetUserPassword");
    expect(await signIn(p.pool, p.username, p.declared)).toBe("tokens");
  });
});

describe("failures on the way: clear, and nothing changed", () => {
  it.each([
    [407, "refused the tunnel: HTTP 407"],
    [403, "refused the tunnel: HTTP 403"],
  ])("a proxy that answers %d fails the resource naming the proxy, without its credentials", async (status, says) => {
    const p = await prepare();
    proxy.refuseTunnels({ status });
    const host = new URL(proxy.endpoint).host;
    const err = await expectRejection(
      create(envWith({ HTTPS_PROXY: `http://deployer:proxy-Secret-2@${host}`, AWS_CA_BUNDLE: ca.caFile }), p.inputs),
      [p.declared, "proxy-Secret-2"],
    );
    expect(err.name).toBe("ProxyError");
    expect(err.message).toContain(`the proxy http://${host} ${says}`);
    expect(err.message).toContain(p.username);
    expect(err.message).not.toContain("deployer");
    expect(front.requests).toEqual([]);
    await expectUnchanged(p);
  });

  it("an unreachable proxy fails the resource naming it", async () => {
    const p = await prepare();
    const err = await expectRejection(
      create(envWith({ HTTPS_PROXY: "http://127.0.0.1:9", AWS_CA_BUNDLE: ca.caFile }), p.inputs),
      [p.declared],
    );
    expect(err.name).toBe("ProxyError");
    expect(err.message).toContain("the proxy http://127.0.0.1:9 could not be reached (ECONNREFUSED)");
    await expectUnchanged(p);
  });

  it("a certificate no trusted CA signs fails at once (one handshake, no retry), saying so and naming AWS_CA_BUNDLE", async () => {
    const p = await prepare();
    const err = await expectRejection(create(envWith({ HTTPS_PROXY: proxy.endpoint }), p.inputs), [p.declared]);
    expect(err.name).toBe("CertificateNotTrustedError");
    expect(err.message).toMatch(
      /TLS certificate does not verify; if a company or private CA signs it, set AWS_CA_BUNDLE/,
    );
    expect(front.handshakes).toEqual({ completed: 0, failed: 1 });
    expect(front.requests).toEqual([]);
    await expectUnchanged(p);
  });

  it("a bundle that does not sign the endpoint's certificate: the message names the setting and the file", async () => {
    const p = await prepare();
    const err = await expectRejection(create(envWith({ AWS_CA_BUNDLE: otherCa.caFile }), p.inputs), [p.declared]);
    expect(err.name).toBe("CertificateNotTrustedError");
    expect(err.message).toContain(
      `the CA bundle of AWS_CA_BUNDLE (${otherCa.caFile}) is trusted in addition to Node's roots`,
    );
    expect(front.handshakes.failed).toBe(1);
    await expectUnchanged(p);
  });
});
