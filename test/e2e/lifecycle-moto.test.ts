/**
 * The whole life cycle through the real Pulumi engine (Automation API, inline program, file
 * backend, passphrase secrets) against moto, whose sign-in behaves like AWS: permanent
 * passwords give tokens, temporary ones the NEW_PASSWORD_REQUIRED challenge.
 *
 * One stack, four users, steps in order (each builds on the state the previous left):
 *   alice  permanent, random password      rotation (4), out-of-band admin reset (7)
 *   bob    temporary, random password      answers NEW_PASSWORD_REQUIRED himself (6)
 *   carol  permanent, random password      permanent -> temporary -> permanent (5), rename (8)
 *   dave   permanent, literal password     onDelete "keep" (9)
 * The random secret is TestRandomPassword (test/support/test-random-password.ts): the
 * @pulumi/random plugin cannot be had here; test/unit/random-password-flow.test.ts shows the
 * real RandomPassword flows in the same way.
 */
import { randomBytes } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type * as automation from "@pulumi/pulumi/automation";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AWKWARD_SYMBOLS,
  adminResetPassword,
  answerNewPasswordRequired,
  createUser,
  getUserStatus,
  signIn,
} from "../support/cognito-fixtures";
import { useEngineHarness } from "../support/engine-harness";
import {
  backendFiles,
  changedSteps,
  EventLog,
  exportedResources,
  findLeaks,
  isEncryptedSecret,
  isShownAsSecret,
  loadLibrary,
  scanEngineFiles,
  stackExport,
  stateFile,
  type StateResource,
  TEST_RANDOM_TYPE as RANDOM,
  USER_PASSWORD_TYPE as USER_PASSWORD,
} from "../harness/engine";
import { awsCredentialSecrets, describeLeaks, SecretScanner } from "../harness/secret-scanner";
import { TestRandomPassword } from "../support/test-random-password";
import { expectedOutputs, FINGERPRINT_LIKE } from "../support/documented-outputs";

const PROJECT = "e2e-moto";
const STACK = "dev";
// Canary credentials, in this process (where Pulumi serializes the provider) and in the
// engine's and provider's environment (where the provider signs its requests).
const h = useEngineHarness({ project: PROJECT });
const DAVE_PASSWORD = `Dave#Literal-${randomBytes(6).toString("hex")}-Pw9${AWKWARD_SYMBOLS}`;
const BOB_OWN_PASSWORD = `Bob#Chosen-${randomBytes(6).toString("hex")}-Pw7${AWKWARD_SYMBOLS}`;

/** What the program declares; the steps change it between runs. */
const spec = {
  rotation: { alice: "1", bob: "1", carol: "1" } as Record<"alice" | "bob" | "carol", string>,
  carolPermanent: true,
  carolResourceName: "carol",
};

let stack: automation.Stack;
/** Every password the run has used, for the leak checks. */
const allPasswords = new Set<string>([DAVE_PASSWORD, BOB_OWN_PASSWORD]);

type Passwords = Record<"alice" | "bob" | "carol", string>;

function program(userPoolId: string, endpoint: string): automation.PulumiFn {
  const { UserPassword } = loadLibrary();
  return () => {
    const random = {} as Record<"alice" | "bob" | "carol", TestRandomPassword>;
    for (const name of ["alice", "bob", "carol"] as const) {
      random[name] = new TestRandomPassword(`${name}-password`, {
        length: 24,
        keepers: { rotation: spec.rotation[name] },
      });
    }
    const alice = new UserPassword("alice", { userPoolId, username: "alice", password: random.alice.result, endpoint });
    const bob = new UserPassword("bob", {
      userPoolId,
      username: "bob",
      password: random.bob.result,
      permanent: false,
      endpoint,
    });
    const carol = new UserPassword(spec.carolResourceName, {
      userPoolId,
      username: "carol",
      password: random.carol.result,
      permanent: spec.carolPermanent,
      endpoint,
    });
    const dave = new UserPassword("dave", {
      userPoolId,
      username: "dave",
      password: DAVE_PASSWORD,
      onDelete: "keep",
      endpoint,
    });
    return Promise.resolve({
      passwords: pulumi.secret({ alice: random.alice.result, bob: random.bob.result, carol: random.carol.result }),
      statuses: { alice: alice.status, bob: bob.status, carol: carol.status, dave: dave.status },
    });
  };
}

const { onOutput } = h;

async function up(): Promise<{ log: EventLog; result: automation.UpResult; passwords: Passwords }> {
  const log = new EventLog();
  const result = await stack.up({ onEvent: log.onEvent, onOutput });
  const passwords = result.outputs.passwords?.value as Passwords;
  for (const p of Object.values(passwords)) allPasswords.add(p);
  return { log, result, passwords };
}

function currentState(): Promise<StateResource[]> {
  return exportedResources(stack);
}

function userResource(resources: StateResource[], name: string): StateResource {
  const found = resources.find((r) => r.type === USER_PASSWORD && r.urn.endsWith(`::${name}`));
  if (!found) throw new Error(`no UserPassword ${name} in the state`);
  return found;
}

beforeAll(async () => {
  await createUser(h.pool, "alice", { email: "alice@example.com", email_verified: "true" });
  for (const name of ["bob", "carol", "dave"]) await createUser(h.pool, name);
  stack = await h.stack({ stackName: STACK, program: program(h.pool.userPoolId, h.endpoint) });
});

describe("UserPassword through the Pulumi engine, on moto", () => {
  it("1. preview shows the creates, and the password only as a secret", async () => {
    const log = new EventLog();
    const preview = await stack.preview({ onEvent: log.onEvent, onOutput, diff: true });
    expect(preview.changeSummary).toEqual({ create: 8 }); // stack + 3 random + 4 users
    expect(
      log
        .resourceOps(USER_PASSWORD)
        .map((o) => `${o.op} ${o.name}`)
        .sort(),
    ).toEqual(["create alice", "create bob", "create carol", "create dave"]);
    // Every password, known (dave's literal) or not yet (the random results), is shown only as
    // a secret: the engine's secret wrapper around "[secret]".
    const shown = log.previews(USER_PASSWORD).map((meta): unknown => meta.new?.inputs.password);
    expect(shown).toHaveLength(4);
    for (const password of shown) expect(isShownAsSecret(password), JSON.stringify(password)).toBe(true);
    expect(preview.stdout).toContain("[secret]");
    expect(preview.stdout).not.toContain(DAVE_PASSWORD);
  });

  it("2. up sets every password: permanent users get tokens, the temporary one the challenge", async () => {
    const { log, result, passwords } = await up();
    expect(result.summary.resourceChanges).toEqual({ create: 8 });
    expect(changedSteps(log)).toEqual(["create alice", "create bob", "create carol", "create dave"]);
    expect(await signIn(h.pool, "alice", passwords.alice)).toBe("tokens");
    expect(await signIn(h.pool, "carol", passwords.carol)).toBe("tokens");
    expect(await signIn(h.pool, "dave", DAVE_PASSWORD)).toBe("tokens");
    expect(await signIn(h.pool, "bob", passwords.bob)).toBe("NEW_PASSWORD_REQUIRED");
    expect(await signIn(h.pool, "alice", passwords.carol)).toBe("refused");
    expect(result.outputs.statuses?.value).toEqual({
      alice: "CONFIRMED",
      bob: "FORCE_CHANGE_PASSWORD",
      carol: "CONFIRMED",
      dave: "CONFIRMED",
    });
    expect(await getUserStatus(h.pool, "bob")).toBe("FORCE_CHANGE_PASSWORD");
    // The status outputs are the users' statuses in Cognito (AdminGetUser), not only the inputs repeated.
    expect({
      alice: await getUserStatus(h.pool, "alice"),
      bob: await getUserStatus(h.pool, "bob"),
      carol: await getUserStatus(h.pool, "carol"),
      dave: await getUserStatus(h.pool, "dave"),
    }).toEqual(result.outputs.statuses?.value);
  });

  it("3. a second up changes nothing", async () => {
    const { log, result } = await up();
    expect(result.summary.resourceChanges).toEqual({ same: 8 });
    expect(changedSteps(log)).toEqual([]);
  });

  it("4. a rotated secret gives exactly one update; the new password works, the old one not", async () => {
    const before = (await stack.outputs()).passwords?.value as Passwords;
    spec.rotation.alice = "2";
    const preview = new EventLog();
    await stack.preview({ onEvent: preview.onEvent, onOutput });
    expect(changedSteps(preview)).toEqual(["update alice"]);

    const { log, passwords } = await up();
    expect(changedSteps(log)).toEqual(["update alice"]);
    expect(changedSteps(log, RANDOM)).toEqual([
      "create-replacement alice-password",
      "delete-replaced alice-password",
      "replace alice-password",
    ]);
    expect(passwords.alice).not.toBe(before.alice);
    expect(passwords.bob).toBe(before.bob);
    expect(await signIn(h.pool, "alice", passwords.alice)).toBe("tokens");
    expect(await signIn(h.pool, "alice", before.alice)).toBe("refused");
  });

  it("5. permanent -> temporary -> permanent", async () => {
    spec.carolPermanent = false;
    const toTemporary = await up();
    expect(changedSteps(toTemporary.log)).toEqual(["update carol"]);
    expect((toTemporary.result.outputs.statuses?.value as Record<string, string>).carol).toBe("FORCE_CHANGE_PASSWORD");
    expect(await getUserStatus(h.pool, "carol")).toBe("FORCE_CHANGE_PASSWORD");
    expect(await signIn(h.pool, "carol", toTemporary.passwords.carol)).toBe("NEW_PASSWORD_REQUIRED");

    spec.carolPermanent = true;
    const toPermanent = await up();
    expect(changedSteps(toPermanent.log)).toEqual(["update carol"]);
    expect((toPermanent.result.outputs.statuses?.value as Record<string, string>).carol).toBe("CONFIRMED");
    expect(await getUserStatus(h.pool, "carol")).toBe("CONFIRMED");
    expect(await signIn(h.pool, "carol", toPermanent.passwords.carol)).toBe("tokens");
  });

  it("6. the temporary user chooses a password himself; refresh then up change nothing", async () => {
    const { passwords } = { passwords: (await stack.outputs()).passwords?.value as Passwords };
    expect(await answerNewPasswordRequired(h.pool, "bob", passwords.bob, BOB_OWN_PASSWORD)).toBe(true);
    expect(await getUserStatus(h.pool, "bob")).toBe("CONFIRMED");

    await stack.refresh({ onOutput });
    const bob = userResource(await currentState(), "bob");
    expect(bob.outputs?.status).toBe("CONFIRMED");
    expect(bob.outputs?.drift).toBeUndefined();

    const { log, result } = await up();
    expect(changedSteps(log)).toEqual([]);
    expect(result.summary.resourceChanges).toEqual({ same: 8 });
    // The user's own password is left alone.
    expect(await signIn(h.pool, "bob", BOB_OWN_PASSWORD)).toBe("tokens");
  });

  it("7. an out-of-band admin reset: refresh shows the drift, up repairs it", async () => {
    const { passwords } = { passwords: (await stack.outputs()).passwords?.value as Passwords };
    await adminResetPassword(h.pool, "alice");
    expect(await getUserStatus(h.pool, "alice")).toBe("RESET_REQUIRED");
    // AWS refuses (PasswordResetRequiredException); moto answers NEW_PASSWORD_REQUIRED. Either way, no tokens.
    expect(await signIn(h.pool, "alice", passwords.alice)).not.toBe("tokens");

    const refresh = new EventLog();
    await stack.refresh({ onEvent: refresh.onEvent, onOutput });
    expect(changedSteps(refresh)).toContain("update alice");
    const alice = userResource(await currentState(), "alice");
    expect(alice.outputs?.status).toBe("RESET_REQUIRED");
    expect(alice.outputs?.drift).toBe("reset-required");

    const { log } = await up();
    expect(changedSteps(log)).toEqual(["update alice"]);
    expect(await getUserStatus(h.pool, "alice")).toBe("CONFIRMED");
    expect(await signIn(h.pool, "alice", passwords.alice)).toBe("tokens");
    expect(userResource(await currentState(), "alice").outputs?.drift).toBeUndefined();

    const again = await up();
    expect(changedSteps(again.log)).toEqual([]);
  });

  it("8. the resource renamed without an alias: the password still works", async () => {
    const { passwords } = { passwords: (await stack.outputs()).passwords?.value as Passwords };
    spec.carolResourceName = "carol-renamed";
    const { log } = await up();
    expect(changedSteps(log)).toEqual(["create carol-renamed", "delete carol"]);
    expect(await signIn(h.pool, "carol", passwords.carol)).toBe("tokens");
    expect(await getUserStatus(h.pool, "carol")).toBe("CONFIRMED");
  });

  it("10. secrets: no password in the state, its history or `pulumi stack export`; the password input encrypted, no output derived from it; the serialized provider small and credential-free", async () => {
    const secrets = [...allPasswords];
    const engine = await h.engine();
    const exported = await stackExport(engine, stack);
    const files = backendFiles(engine);
    const current = stateFile(engine, PROJECT, STACK);
    expect(files.length).toBeGreaterThan(1); // the checkpoint and its history/backups
    const texts = [
      ...files.map(({ file, text }) => ({ where: `backend file ${file}`, text })),
      { where: "`pulumi stack export`", text: exported.text },
      { where: "the engine's output", text: h.printed },
    ];
    const canaries = awsCredentialSecrets(h.awsEnv);
    expect(canaries).toHaveLength(2);
    expect(findLeaks(texts, [...secrets, ...canaries])).toEqual([]);
    // Every file the engine wrote (PULUMI_HOME, backend, working directories), in every form.
    const scanner = new SecretScanner([...secrets, ...canaries]);
    expect(describeLeaks(scanEngineFiles(engine, scanner))).toBe("");
    // Positive control: the same search does find what is meant to be there.
    expect(findLeaks(texts, [h.pool.userPoolId]).length).toBeGreaterThan(0);
    expect(scanEngineFiles(engine, new SecretScanner([h.pool.userPoolId])).length).toBeGreaterThan(0);
    expect(current.text).toContain("ciphertext");

    const resources = exported.deployment.deployment.resources ?? [];
    const users = resources.filter((r) => r.type === USER_PASSWORD);
    expect(users.map((r) => r.urn.split("::").pop()).sort()).toEqual(["alice", "bob", "carol-renamed", "dave"]);
    const providerSizes: number[] = [];
    for (const r of users) {
      expect(isEncryptedSecret(r.inputs?.password), `${r.urn} inputs.password`).toBe(true);
      // No output is derived from the password: the documented outputs, none secret, none like a fingerprint.
      const outputNames = Object.keys(r.outputs ?? {}).filter((k) => k !== "__provider");
      expect(outputNames.sort(), `${r.urn} outputs`).toEqual(
        expectedOutputs(["setId", "passwordRevision", "endpoint"]),
      );
      expect(
        outputNames.filter((k) => FINGERPRINT_LIKE.test(k)),
        `${r.urn} outputs`,
      ).toEqual([]);
      for (const name of outputNames)
        expect(isEncryptedSecret(r.outputs?.[name]), `${r.urn} outputs.${name}`).toBe(false);
      expect(r.outputs?.setId, `${r.urn} outputs.setId`).toMatch(/^[0-9a-f]{32}$/);
      // check's verdict: a plain random revision, input and output alike.
      expect(r.inputs?.passwordRevision, `${r.urn} inputs.passwordRevision`).toMatch(/^[0-9a-f]{32}$/);
      expect(r.outputs?.passwordRevision, `${r.urn} outputs.passwordRevision`).toBe(r.inputs?.passwordRevision);
      if (r.outputs && "password" in r.outputs)
        expect(isEncryptedSecret(r.outputs.password), `${r.urn} outputs.password`).toBe(true);
      const provider = r.outputs?.__provider ?? r.inputs?.__provider;
      expect(typeof provider).toBe("string");
      const text = provider as string;
      providerSizes.push(text.length);
      expect(text).toContain("pulumi-cognito-user-password");
      expect(text).not.toMatch(/CognitoIdentityProvider|secretAccessKey|AWS_SECRET|AKID/);
    }
    for (const r of resources.filter((x) => x.type === RANDOM)) {
      expect(isEncryptedSecret(r.outputs?.result), `${r.urn} outputs.result`).toBe(true);
    }
    const size = Math.max(...providerSizes);
    console.log(`[e2e] serialized UserPassword provider (__provider) in the state: ${size} bytes`);
    expect(size).toBeLessThan(4096);
  });

  it("9. destroy: declared passwords stop working (default); onDelete keep leaves dave's", async () => {
    const { passwords } = { passwords: (await stack.outputs()).passwords?.value as Passwords };
    // Right before the destroy, every password that must stop working works.
    expect(await signIn(h.pool, "alice", passwords.alice)).toBe("tokens");
    expect(await signIn(h.pool, "carol", passwords.carol)).toBe("tokens");
    expect(await signIn(h.pool, "bob", BOB_OWN_PASSWORD)).toBe("tokens");
    expect(await signIn(h.pool, "dave", DAVE_PASSWORD)).toBe("tokens");
    const log = new EventLog();
    const result = await stack.destroy({ onEvent: log.onEvent, onOutput });
    expect(result.summary.resourceChanges).toEqual({ delete: 8 });
    expect(await signIn(h.pool, "alice", passwords.alice)).toBe("refused");
    expect(await signIn(h.pool, "carol", passwords.carol)).toBe("refused");
    expect(await signIn(h.pool, "bob", BOB_OWN_PASSWORD)).toBe("refused");
    expect(await getUserStatus(h.pool, "alice")).toBe("CONFIRMED");
    expect(await signIn(h.pool, "dave", DAVE_PASSWORD)).toBe("tokens");
  });
});
