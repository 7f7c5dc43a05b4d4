/**
 * The plugin face's adapter (src/plugin/provider.ts) called as the plugin's gRPC server calls
 * it, against moto: the resource name from the URN, secret-marked inputs unwrapped and the
 * password marked secret again, the changed properties in `diffs`, `read` of an import
 * returning the inputs to declare without the password, and the provider configuration's
 * place in the precedence (resource input > provider configuration). Every result and error
 * is scanned for the passwords. (The gRPC wiring itself, Configure's variables and Diff's
 * list on the wire, runs in the archive test and the engine tests.)
 */
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createPool,
  createUser,
  expectNoSecret,
  expectRejection,
  signIn,
  strongPassword,
  useDummyAwsEnvironment,
  type Pool,
} from "../support/cognito-fixtures";
import { startMoto, type Emulator } from "../harness/emulators";
import { UserPasswordCore } from "../../src/core/user-password";
import { pluginProviderOver, resourceNameOf, type UserPasswordPluginProvider } from "../../src/plugin/provider";
import { RESOURCE_TOKEN } from "../../src/plugin/schema";

const urn = (name: string) => `urn:pulumi:dev::proj::${RESOURCE_TOKEN}::${name}`;
const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });

describe("the plugin's provider against moto", () => {
  let moto: Emulator;
  let pool: Pool;
  let secrets: string[];

  beforeAll(async () => {
    useDummyAwsEnvironment();
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });
  beforeEach(async () => {
    secrets = [];
    pool = await createPool(moto.endpoint);
  });

  function plugin(): UserPasswordPluginProvider {
    return pluginProviderOver(new UserPasswordCore(), "1.2.3", "{}");
  }
  function password(): string {
    const pw = strongPassword();
    secrets.push(pw);
    return pw;
  }

  /** Check then create, as the engine does for a new resource. */
  async function created(p: UserPasswordPluginProvider, name: string, news: Record<string, unknown>) {
    const checked = await p.check(urn(name), {}, news);
    expect(checked.failures).toBeUndefined();
    const inputs = checked.inputs as Record<string, unknown>;
    const result = await p.create(urn(name), inputs);
    expectNoSecret(result, secrets);
    return { inputs, ...result };
  }

  it("unwraps the secret password, sets it, and marks it secret again in check's inputs only", async () => {
    const user = await createUser(pool);
    const pw = password();
    const p = plugin();
    const { inputs, id, outs } = await created(p, "admin", {
      userPoolId: pool.userPoolId,
      username: user.username,
      password: secret(pw),
      endpoint: moto.endpoint,
    });
    expect(inputs.password).toEqual(secret(pw));
    expect(inputs.userPoolId).toBe(pool.userPoolId);
    expect(id).toBe(`${pool.userPoolId}/${user.username}`);
    expect(outs).toMatchObject({ username: user.username, status: "CONFIRMED", permanent: true });
    expect(Object.keys(outs as object)).not.toContain("password");
    expect(await signIn(pool, user.username, pw)).toBe("tokens");

    // A password that arrives unmarked (a program that did not make it secret) leaves secret.
    const plain = await p.check(urn("admin"), inputs, { ...inputs, password: pw });
    expect((plain.inputs as Record<string, unknown>).password).toEqual(secret(pw));
  });

  it("names the changed properties in diffs: a new password updates, a new username replaces", async () => {
    const user = await createUser(pool);
    const p = plugin();
    const first = password();
    const { inputs, id, outs } = await created(p, "admin", {
      userPoolId: pool.userPoolId,
      username: user.username,
      password: secret(first),
      endpoint: moto.endpoint,
    });
    const same = await p.check(urn("admin"), inputs, { ...inputs, passwordRevision: undefined });
    expect(await p.diff(id, urn("admin"), outs, same.inputs as Record<string, unknown>)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      diffs: [],
    });

    const second = password();
    const changed = await p.check(urn("admin"), inputs, { ...inputs, password: secret(second) });
    const diff = await p.diff(id, urn("admin"), outs, changed.inputs as Record<string, unknown>);
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false, diffs: ["password"] });
    const updated = await p.update(id, urn("admin"), outs, changed.inputs as Record<string, unknown>);
    expectNoSecret(updated, secrets);
    expect(await signIn(pool, user.username, second)).toBe("tokens");

    const other = await createUser(pool);
    const renamed = await p.check(urn("admin"), inputs, { ...inputs, username: other.username });
    const replace = await p.diff(id, urn("admin"), updated.outs, renamed.inputs as Record<string, unknown>);
    expect(replace.replaces).toEqual(["username"]);
    expect(replace.diffs).toContain("username");
  });

  it("imports: read of an id alone returns the pool and username to declare, never a password", async () => {
    const user = await createUser(pool);
    const pw = password();
    // Set outside Pulumi, as a user's existing password would be.
    await created(plugin(), "earlier", {
      userPoolId: pool.userPoolId,
      username: user.username,
      password: secret(pw),
      endpoint: moto.endpoint,
    });
    const p = plugin();
    p.configure({ endpoint: moto.endpoint });
    const id = `${pool.userPoolId}/${user.username}`;
    const read = await p.read(id, urn("imported"), {});
    expectNoSecret(read, secrets);
    expect(read.id).toBe(id);
    expect(read.inputs).toEqual({ userPoolId: pool.userPoolId, username: user.username });
    expect(read.props).toMatchObject({ userPoolId: pool.userPoolId, username: user.username, status: "CONFIRMED" });
    expect(JSON.stringify(read)).not.toContain('password"');
  });

  it("refresh: read of stored outputs returns no inputs (the engine keeps the stored ones)", async () => {
    const user = await createUser(pool);
    const p = plugin();
    const { id, outs } = await created(p, "admin", {
      userPoolId: pool.userPoolId,
      username: user.username,
      password: secret(password()),
      endpoint: moto.endpoint,
    });
    const read = await p.read(id, urn("admin"), outs);
    expect(read.inputs).toBeUndefined();
    expect(read.props).toMatchObject({ status: "CONFIRMED", endpoint: moto.endpoint });
  });

  it("takes the endpoint from the provider configuration when the resource names none, and the input over it", async () => {
    const user = await createUser(pool);
    const pw = password();
    const configured = plugin();
    configured.configure({ endpoint: moto.endpoint, region: "us-east-1" });
    const { outs } = await created(configured, "admin", {
      userPoolId: pool.userPoolId,
      username: user.username,
      password: secret(pw),
    });
    expect(outs).toMatchObject({ endpoint: moto.endpoint, region: "us-east-1" });
    expect(await signIn(pool, user.username, pw)).toBe("tokens");

    // A configured endpoint where nothing listens: the resource's own endpoint wins.
    const overridden = plugin();
    overridden.configure({ endpoint: "http://127.0.0.1:9" });
    const second = password();
    await created(overridden, "admin", {
      userPoolId: pool.userPoolId,
      username: user.username,
      password: secret(second),
      endpoint: moto.endpoint,
    });
    expect(await signIn(pool, user.username, second)).toBe("tokens");
  });

  it("refuses a resource type it does not serve, and names resources after their URN", async () => {
    const p = plugin();
    await expectRejection(p.check("urn:pulumi:dev::proj::other:index:Thing::x", {}, {}), secrets);
    expect(resourceNameOf(urn("admin"))).toBe("admin");
    expect(resourceNameOf("urn:pulumi:dev::proj::parent$" + RESOURCE_TOKEN + "::a::b")).toBe("a::b");
  });
});
