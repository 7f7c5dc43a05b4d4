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
import { startMoto, type Emulator } from "../harness/emulators";
import { UserPasswordCore } from "../../src/core/user-password";
import { providerConfigFromVariables } from "../../src/plugin/config";
import { pluginProviderOver } from "../../src/plugin/provider";
import { PACKAGE_NAME, RESOURCE_TOKEN } from "../../src/plugin/schema";
import { startFaultProxy, type FaultProxy } from "../harness/fault-proxy";
import { makeTestCa, type TestCa } from "../harness/test-ca";
import { startTlsFront, type TlsFront } from "../harness/tls-front";

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
  // Its recorded bodies are STS requests (role ARNs, session names): nothing secret.
  proxy = await startFaultProxy(moto.endpoint);
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

describe("assumed roles: every Cognito call signed with the role's key, the role assumed once", () => {
  const ROLE_A = "arn:aws:iam::111111111111:role/tooling-to-deploy";
  // moto keeps each account apart and signs the assumed keys into the role's account: the pools
  // live in its default account, 123456789012, which the last role of each chain belongs to.
  const ROLE_B = "arn:aws:iam::123456789012:role/cognito-deployer";
  /** The environment the SDK itself reads (STS's endpoint, the credentials): the process's. */
  let restore: Record<string, string | undefined> = {};
  const setProcessEnv = (vars: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(vars)) {
      if (!(k in restore)) restore[k] = process.env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  beforeEach(() => {
    setProcessEnv({ AWS_ENDPOINT_URL_STS: proxy.endpoint });
    proxy.resetCounts();
    return () => {
      for (const [k, v] of Object.entries(restore)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      restore = {};
    };
  });
  const config = (values: Record<string, unknown>) => ({
    config: { get: (key: string) => (key in values ? JSON.stringify(values[key]) : undefined) },
  });
  /** The keys that signed the Cognito calls: one, and not the base key ("testing"). */
  const expectSignedByAssumedKey = () => {
    const keys = new Set(front.requests.filter((r) => r.operation.startsWith("Admin")).map((r) => r.accessKeyId));
    expect(keys.size).toBe(1);
    const [key] = [...keys];
    expect(key).not.toBe("testing");
    expect(key).toMatch(/^[A-Z0-9]{16,}$/);
    return key as string;
  };

  it("stack config aws:assumeRoles: the chain is assumed in order (two AssumeRole calls), then Cognito is called with the last role's key", async () => {
    const p = await prepare();
    const provider = createUserPasswordProvider({ env: envWith({ AWS_CA_BUNDLE: ca.caFile }) });
    await provider.configure(
      config({
        "aws:assumeRoles": [
          { roleArn: ROLE_A, sessionName: "tooling" },
          { roleArn: ROLE_B, duration: "1h" },
        ],
      }) as never,
    );
    const checked = await provider.check({}, p.inputs);
    await provider.create(checked.inputs as DynamicInputs);
    expect(proxy.count("AssumeRole")).toBe(2);
    const assumed = proxy.requests("AssumeRole").map((r) => new URLSearchParams(r.body).get("RoleArn"));
    expect(assumed).toEqual([ROLE_A, ROLE_B]);
    expectSignedByAssumedKey();
    expect(await signIn(p.pool, p.username, p.declared)).toBe("tokens");
  });

  it("the older stack config aws:assumeRole (one role, durationSeconds)", async () => {
    const p = await prepare();
    const provider = createUserPasswordProvider({ env: envWith({ AWS_CA_BUNDLE: ca.caFile }) });
    await provider.configure(config({ "aws:assumeRole": { roleArn: ROLE_B, durationSeconds: 900 } }) as never);
    await provider.create((await provider.check({}, p.inputs)).inputs as DynamicInputs);
    expect(proxy.count("AssumeRole")).toBe(1);
    expectSignedByAssumedKey();
    expect(await signIn(p.pool, p.username, p.declared)).toBe("tokens");
  });

  it("the assumeRole input: assumed for that resource, recorded in its outputs (refresh and destroy use it)", async () => {
    const p = await prepare();
    const provider = createUserPasswordProvider({ env: envWith({ AWS_CA_BUNDLE: ca.caFile }) });
    const inputs = { ...p.inputs, assumeRole: { roleArn: ROLE_B, externalId: "pipeline-42" } };
    const created = await provider.create((await provider.check({}, inputs)).inputs as DynamicInputs);
    expect(created.outs?.assumeRole).toEqual(inputs.assumeRole);
    expect(proxy.count("AssumeRole")).toBe(1);
    expectSignedByAssumedKey();
    expect(await signIn(p.pool, p.username, p.declared)).toBe("tokens");
    front.reset();
    // A refresh in a new process (a new provider) from the outputs alone: the role again.
    await createUserPasswordProvider({ env: envWith({ AWS_CA_BUNDLE: ca.caFile }) }).read(created.id, created.outs);
    expectSignedByAssumedKey();
  });

  it("the plugin's provider configuration assumeRole (Configure's variable, JSON as the engine sends it): the role assumed, every Cognito call signed with its key; a resource's own assumeRole replaces it", async () => {
    const p = await prepare();
    const plugin = pluginProviderOver(
      new UserPasswordCore({ env: envWith({ AWS_CA_BUNDLE: ca.caFile }) }),
      "0.0.0-test",
      "{}",
    );
    const role = { roleArn: ROLE_B, externalId: "pipeline-42", sessionName: "provider-config" };
    plugin.configure(providerConfigFromVariables([[`${PACKAGE_NAME}:config:assumeRole`, JSON.stringify(role)]]));
    const { resourceName, ...inputs } = p.inputs;
    const urn = `urn:pulumi:dev::proj::${RESOURCE_TOKEN}::${resourceName}`;
    const checked = await plugin.check(urn, {}, inputs);
    expect(checked.failures).toBeUndefined();
    await plugin.create(urn, checked.inputs as Record<string, unknown>);
    expect(proxy.count("AssumeRole")).toBe(1);
    const [assumed] = proxy.requests("AssumeRole").map((r) => Object.fromEntries(new URLSearchParams(r.body)));
    expect(assumed).toMatchObject({ RoleArn: ROLE_B, ExternalId: "pipeline-42", RoleSessionName: "provider-config" });
    expectSignedByAssumedKey();
    expect(await signIn(p.pool, p.username, p.declared)).toBe("tokens");

    // The resource's own role wins over the provider's, as its region wins over the provider's.
    const q = await prepare();
    const { resourceName: other, ...own } = q.inputs;
    const ownUrn = `urn:pulumi:dev::proj::${RESOURCE_TOKEN}::${other}`;
    const ownRole = { roleArn: ROLE_B, sessionName: "resource-input" };
    const checkedOwn = await plugin.check(ownUrn, {}, { ...own, assumeRole: ownRole });
    await plugin.create(ownUrn, checkedOwn.inputs as Record<string, unknown>);
    expect(proxy.requests("AssumeRole").map((r) => new URLSearchParams(r.body).get("RoleSessionName"))).toEqual([
      "provider-config",
      "resource-input",
    ]);
    expect(await signIn(q.pool, q.username, q.declared)).toBe("tokens");
  });

  // 300, not 2,000: the credentials are cached per client whatever the count, and moto slows
  // down with the pool's size (2,000 users took 5 minutes here).
  it("a seed of 300 users through one provider assumes the role once (the SDK caches the credentials until shortly before they expire)", async () => {
    const pool = await createPool(moto.endpoint);
    const count = 300;
    const names = Array.from({ length: count }, (_, i) => `seed-${i}`);
    for (let i = 0; i < count; i += 50) await Promise.all(names.slice(i, i + 50).map((n) => createUser(pool, n)));
    const provider = createUserPasswordProvider({ env: envWith({ AWS_CA_BUNDLE: ca.caFile }) });
    await provider.configure(config({ "aws:assumeRoles": [{ roleArn: ROLE_B }] }) as never);
    const password = strongPassword();
    for (let i = 0; i < count; i += 25) {
      await Promise.all(
        names.slice(i, i + 25).map(async (username) => {
          const inputs: DynamicInputs = {
            userPoolId: pool.userPoolId,
            username,
            password,
            endpoint: front.endpoint,
            region: "us-east-1",
            resourceName: `seed-${username}`,
            checkPasswordPolicy: false,
          };
          await provider.create((await provider.check({}, inputs)).inputs as DynamicInputs);
        }),
      );
    }
    expect(front.requests.filter((r) => r.operation === "AdminSetUserPassword")).toHaveLength(count);
    expect(proxy.count("AssumeRole")).toBe(1);
    expectSignedByAssumedKey();
    expect(await signIn(pool, "seed-0", password)).toBe("tokens");
    expect(await signIn(pool, `seed-${count - 1}`, password)).toBe("tokens");
  }, 600_000);

  it("an STS refusal fails the resource with the role ARN and STS's error code; Cognito is not called", async () => {
    const p = await prepare();
    proxy.failWith("AssumeRole", { status: 403, type: "AccessDenied", message: "not authorized to assume the role" });
    const provider = createUserPasswordProvider({ env: envWith({ AWS_CA_BUNDLE: ca.caFile }) });
    await provider.configure(config({ "aws:assumeRoles": [{ roleArn: ROLE_B }] }) as never);
    const err = await expectRejection(provider.create((await provider.check({}, p.inputs)).inputs as DynamicInputs), [
      p.declared,
    ]);
    expect(err.name).toBe("AssumeRoleError");
    expect(err.message).toContain(`assuming the role ${ROLE_B} failed`);
    expect(err.message).toContain("(AccessDenied)");
    expect(err.message).toContain(p.username);
    expect(front.requests.filter((r) => r.operation.startsWith("Admin"))).toEqual([]);
    await expectUnchanged(p);
  });

  it("web identity (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE) through the SDK's default chain: STS AssumeRoleWithWebIdentity, then the role's key", async () => {
    const p = await prepare();
    const token = path.join(scratch, "oidc-token");
    writeFileSync(token, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmV4YW1wbGUifQ.c2ln");
    setProcessEnv({
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_ROLE_ARN: ROLE_B,
      AWS_WEB_IDENTITY_TOKEN_FILE: token,
      AWS_ROLE_SESSION_NAME: "github-actions",
    });
    await create(envWith({ AWS_CA_BUNDLE: ca.caFile }), p.inputs);
    expect(proxy.count("AssumeRoleWithWebIdentity")).toBe(1);
    expectSignedByAssumedKey();
    expect(await signIn(p.pool, p.username, p.declared)).toBe("tokens");
  });
});

describe("the standard AWS retry settings win over ours", () => {
  it.each([
    ["COGNITO_PW_MAX_ATTEMPTS alone (ours, kept below the AWS settings)", {}, undefined, 2],
    ["AWS_MAX_ATTEMPTS over COGNITO_PW_MAX_ATTEMPTS", { AWS_MAX_ATTEMPTS: "3" }, undefined, 3],
    ["the profile's max_attempts over COGNITO_PW_MAX_ATTEMPTS", {}, "max_attempts = 4\nretry_mode = standard\n", 4],
    ["AWS_MAX_ATTEMPTS over the profile's max_attempts", { AWS_MAX_ATTEMPTS: "3" }, "max_attempts = 4\n", 3],
  ] as const)("%s", async (_label, vars, profile, attempts) => {
    const p = await prepare();
    const config = path.join(scratch, `config-retry-${attempts}-${Object.keys(vars).length}`);
    writeFileSync(config, `[default]\n${profile ?? ""}`);
    const cognito = await startFaultProxy(moto.endpoint, { recordBodies: false });
    try {
      cognito.failWith("AdminGetUser", { status: 500, type: "InternalErrorException" });
      const env = envWith({ ...vars, AWS_CONFIG_FILE: config });
      await expectRejection(create(env, { ...p.inputs, endpoint: cognito.endpoint }), [p.declared]);
      expect(cognito.count("AdminGetUser")).toBe(attempts);
      expect(cognito.count("AdminSetUserPassword")).toBe(0);
    } finally {
      await cognito.stop();
    }
    await expectUnchanged(p);
  });
});
