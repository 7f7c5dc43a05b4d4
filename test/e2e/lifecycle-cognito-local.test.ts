/**
 * The life cycle through the real Pulumi engine against cognito-local, the embedded default
 * of the demo. cognito-local issues tokens for a FORCE_CHANGE_PASSWORD user and accepts
 * any password (docs/emulators.md), so temporary users are checked by their Cognito
 * status here, and sign-in checks are made only for permanent passwords (tokens for the
 * right one, refused for a wrong one). moto covers the rest (lifecycle-moto.test.ts).
 *
 * Users: ann (permanent, random), ben (temporary, random), cat (permanent, literal,
 * onDelete "keep") in a plain pool, and eve in an email-as-username pool, declared by her
 * email (her real username is a generated id).
 */
import { randomBytes } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type * as automation from "@pulumi/pulumi/automation";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AWKWARD_SYMBOLS,
  createPool,
  createUser,
  getUser,
  getUserStatus,
  signIn,
  type Pool,
} from "../support/cognito-fixtures";
import { useEngineHarness } from "../support/engine-harness";
import {
  changedSteps,
  EventLog,
  findLeaks,
  isShownAsSecret,
  loadLibrary,
  scanEngineFiles,
  stackExport,
  USER_PASSWORD_TYPE,
} from "../harness/engine";
import { describeLeaks, SecretScanner } from "../harness/secret-scanner";
import { TestRandomPassword } from "../support/test-random-password";

const h = useEngineHarness({ project: "e2e-cognito-local", emulator: "cognito-local" });
const { onOutput } = h;
const CAT_PASSWORD = `Cat#Literal-${randomBytes(6).toString("hex")}-Pw3${AWKWARD_SYMBOLS}`;
const EVE_EMAIL = "eve@example.com";

const spec = { rotation: { ann: "1", ben: "1", eve: "1" } as Record<"ann" | "ben" | "eve", string> };

let emailPool: Pool;
let eveRealUsername: string;
let stack: automation.Stack;
const allPasswords = new Set<string>([CAT_PASSWORD]);

type Passwords = Record<"ann" | "ben" | "eve", string>;

function program(endpoint: string): automation.PulumiFn {
  const { UserPassword } = loadLibrary();
  return () => {
    const random = {} as Record<"ann" | "ben" | "eve", TestRandomPassword>;
    for (const name of ["ann", "ben", "eve"] as const) {
      random[name] = new TestRandomPassword(`${name}-password`, { keepers: { rotation: spec.rotation[name] } });
    }
    const userPoolId = h.pool.userPoolId;
    const ann = new UserPassword("ann", { userPoolId, username: "ann", password: random.ann.result, endpoint });
    const ben = new UserPassword("ben", {
      userPoolId,
      username: "ben",
      password: random.ben.result,
      permanent: false,
      endpoint,
    });
    const cat = new UserPassword("cat", {
      userPoolId,
      username: "cat",
      password: CAT_PASSWORD,
      onDelete: "keep",
      endpoint,
    });
    const eve = new UserPassword("eve", {
      userPoolId: emailPool.userPoolId,
      username: EVE_EMAIL,
      password: random.eve.result,
      endpoint,
    });
    return Promise.resolve({
      passwords: pulumi.secret({ ann: random.ann.result, ben: random.ben.result, eve: random.eve.result }),
      statuses: { ann: ann.status, ben: ben.status, cat: cat.status, eve: eve.status },
      eveCognitoUsername: eve.cognitoUsername,
    });
  };
}

async function up(): Promise<{ log: EventLog; result: automation.UpResult; passwords: Passwords }> {
  const log = new EventLog();
  const result = await stack.up({ onEvent: log.onEvent, onOutput });
  const passwords = result.outputs.passwords?.value as Passwords;
  for (const p of Object.values(passwords)) allPasswords.add(p);
  return { log, result, passwords };
}

beforeAll(async () => {
  for (const name of ["ann", "ben", "cat"]) await createUser(h.pool, name);
  emailPool = await createPool(h.emulator.endpoint, { usernameAttributes: ["email"] });
  eveRealUsername = (await createUser(emailPool, EVE_EMAIL, { email: EVE_EMAIL })).cognitoUsername;
  stack = await h.stack({ program: program(h.endpoint) });
});

describe("UserPassword through the Pulumi engine, on cognito-local", () => {
  it("preview shows the creates, every password only as a secret", async () => {
    const log = new EventLog();
    const preview = await stack.preview({ onEvent: log.onEvent, onOutput, diff: true });
    expect(preview.changeSummary).toEqual({ create: 8 });
    expect(changedSteps(log)).toEqual(["create ann", "create ben", "create cat", "create eve"]);
    for (const meta of log.previews(USER_PASSWORD_TYPE)) expect(isShownAsSecret(meta.new?.inputs.password)).toBe(true);
    expect(preview.stdout).not.toContain(CAT_PASSWORD);
  });

  it("up sets the passwords; the email-pool user is found by her email", async () => {
    const { result, passwords } = await up();
    expect(result.summary.resourceChanges).toEqual({ create: 8 });
    expect(await signIn(h.pool, "ann", passwords.ann)).toBe("tokens");
    expect(await signIn(h.pool, "cat", CAT_PASSWORD)).toBe("tokens");
    expect(await signIn(h.pool, "ann", CAT_PASSWORD)).toBe("refused");
    expect(await signIn(emailPool, EVE_EMAIL, passwords.eve)).toBe("tokens");
    expect(await getUserStatus(h.pool, "ann")).toBe("CONFIRMED");
    expect(await getUserStatus(h.pool, "ben")).toBe("FORCE_CHANGE_PASSWORD");
    expect((await getUser(emailPool, EVE_EMAIL)).status).toBe("CONFIRMED");
    expect(result.outputs.statuses?.value).toEqual({
      ann: "CONFIRMED",
      ben: "FORCE_CHANGE_PASSWORD",
      cat: "CONFIRMED",
      eve: "CONFIRMED",
    });
    // The status outputs are the users' statuses in Cognito (AdminGetUser), not only the inputs repeated.
    expect({
      ann: await getUserStatus(h.pool, "ann"),
      ben: await getUserStatus(h.pool, "ben"),
      cat: await getUserStatus(h.pool, "cat"),
      eve: (await getUser(emailPool, EVE_EMAIL)).status,
    }).toEqual(result.outputs.statuses?.value);
    expect(result.outputs.eveCognitoUsername?.value).toBe(eveRealUsername);
  });

  it("a second up, and a refresh, change nothing", async () => {
    const second = await up();
    expect(second.result.summary.resourceChanges).toEqual({ same: 8 });
    const refresh = new EventLog();
    await stack.refresh({ onEvent: refresh.onEvent, onOutput });
    expect(changedSteps(refresh)).toEqual([]);
    const third = await up();
    expect(third.result.summary.resourceChanges).toEqual({ same: 8 });
  });

  it("rotating two secrets updates exactly those two users", async () => {
    const before = (await stack.outputs()).passwords?.value as Passwords;
    spec.rotation.ann = "2";
    spec.rotation.eve = "2";
    const { log, passwords } = await up();
    expect(changedSteps(log)).toEqual(["update ann", "update eve"]);
    expect(await signIn(h.pool, "ann", passwords.ann)).toBe("tokens");
    expect(await signIn(h.pool, "ann", before.ann)).toBe("refused");
    expect(await signIn(emailPool, EVE_EMAIL, passwords.eve)).toBe("tokens");
    expect(await signIn(emailPool, EVE_EMAIL, before.eve)).toBe("refused");
  });

  it("no password in `pulumi stack export` or the engine's output", async () => {
    const engine = await h.engine();
    const exported = await stackExport(engine, stack);
    const texts = [
      { where: "`pulumi stack export`", text: exported.text },
      { where: "the engine's output", text: h.printed },
    ];
    expect(findLeaks(texts, [...allPasswords])).toEqual([]);
    expect(describeLeaks(scanEngineFiles(engine, new SecretScanner(allPasswords)))).toBe("");
    expect(findLeaks(texts, [h.pool.userPoolId]).length, "positive control").toBeGreaterThan(0);
  });

  it("destroy makes the declared passwords unusable, except the one kept", async () => {
    const passwords = (await stack.outputs()).passwords?.value as Passwords;
    // Right before the destroy, every password that must stop working works. ben's is temporary:
    // cognito-local issues tokens for a FORCE_CHANGE_PASSWORD user with the right password (and
    // refuses a wrong one), so tokens prove it is his, not that it is permanent.
    expect(await signIn(h.pool, "ann", passwords.ann)).toBe("tokens");
    expect(await signIn(emailPool, EVE_EMAIL, passwords.eve)).toBe("tokens");
    expect(await getUserStatus(h.pool, "ben")).toBe("FORCE_CHANGE_PASSWORD");
    expect(await signIn(h.pool, "ben", passwords.ben)).toBe("tokens");
    expect(await signIn(h.pool, "cat", CAT_PASSWORD)).toBe("tokens");
    const result = await stack.destroy({ onOutput });
    expect(result.summary.resourceChanges).toEqual({ delete: 8 });
    expect(await signIn(h.pool, "ann", passwords.ann)).toBe("refused");
    expect(await signIn(emailPool, EVE_EMAIL, passwords.eve)).toBe("refused");
    expect(await getUserStatus(h.pool, "ben")).toBe("CONFIRMED"); // scrambled with a permanent password
    expect(await signIn(h.pool, "ben", passwords.ben)).toBe("refused");
    expect(await signIn(h.pool, "cat", CAT_PASSWORD)).toBe("tokens");
  });
});
