/**
 * Which user a username names, against each emulator:
 *  - email-as-username pools (UsernameAttributes=[email]): declared by email, the real
 *    username is a generated id; create, read and delete all reach the right user;
 *  - the user's `sub` as username, where the emulator resolves it (cognito-local; moto does
 *    not, and then the error names the user);
 *  - federated users (EXTERNAL_PROVIDER) are refused unless allowFederatedUser is set. No
 *    emulator can create such a user, so a small fake gateway, passed with
 *    `createUserPasswordProvider({ gatewayFor })`, reports that status for a real emulator user.
 * Alias attributes (AliasAttributes=[email] with a separate username) are resolved by
 * neither emulator (docs/emulators.md), so they are not tested here.
 */
import {
  createUserPasswordProvider,
  type CognitoGateway,
  type CognitoUser,
  type Connection,
  type DynamicInputs,
  type UserPoolSettings,
} from "pulumi-cognito-user-password";
import { describe, expect, it } from "vitest";
import {
  cognitoClient,
  createPool,
  createUser,
  declaredInputs,
  expectRejection,
  getUser,
  getUserStatus,
  outputsOf,
  signIn,
  uniqueName,
} from "../support/cognito-fixtures";
import { TRAITS } from "../harness/emulators";
import { FACES, useProviderHarness } from "../support/integration-harness";
import { omit } from "../support/omit";
// The gateway class is not public API: taken from the sources (the gateway interface is structural).
import { SdkCognitoGateway } from "../../src/cognito/gateway";

/**
 * The library's own gateway over the real emulator, except that it reports `federated` users
 * as EXTERNAL_PROVIDER (what Cognito says for users who signed in through a SAML/OIDC/social
 * provider), and records every password set it passes on.
 */
class FederatingGateway implements CognitoGateway {
  readonly sets: Array<{ username: string; permanent: boolean }> = [];
  constructor(
    private readonly real: CognitoGateway,
    private readonly federated: ReadonlySet<string>,
  ) {}

  async getUser(...args: Parameters<CognitoGateway["getUser"]>): Promise<CognitoUser> {
    const user = await this.real.getUser(...args);
    return this.federated.has(user.username) ? { ...user, status: "EXTERNAL_PROVIDER" } : user;
  }

  setPassword(...args: Parameters<CognitoGateway["setPassword"]>): Promise<void> {
    const [target, , permanent] = args;
    this.sets.push({ username: target.username, permanent });
    return this.real.setPassword(...args);
  }

  describeUserPool(...args: Parameters<CognitoGateway["describeUserPool"]>): Promise<UserPoolSettings> {
    return this.real.describeUserPool(...args);
  }
}

describe.each(FACES)("usernames against %s, %s face", (emulatorName, driver) => {
  const h = useProviderHarness(emulatorName, { proxy: false, driver });
  const { provider, password, declaredUser } = h;
  const traits = TRAITS[emulatorName];

  it("email-as-username pool: declared by email, the generated username is found and kept", async () => {
    const email = `${uniqueName("alice")}@example.com`;
    const { pool, user, pw, news } = await declaredUser(
      {},
      { pool: { usernameAttributes: ["email"] }, username: email },
    );
    expect(user.cognitoUsername).not.toBe(email);

    // As the engine creates: check, then create with the checked inputs (which it stores).
    const stored = await h.checked(undefined, news);
    const result = await provider().create(stored);
    const outs = outputsOf(result);
    expect(result.id).toBe(`${pool.userPoolId}/${email}`);
    expect(outs.username).toBe(email);
    expect(outs.cognitoUsername).toBe(user.cognitoUsername);
    expect(outs.status).toBe("CONFIRMED");
    expect((await getUser(pool, user.cognitoUsername)).status).toBe("CONFIRMED");
    expect(await signIn(pool, email, pw)).toBe("tokens");

    const read = await provider().read(result.id, outs);
    expect(read.id).toBe(result.id);
    expect(read.props).toMatchObject({ username: email, cognitoUsername: user.cognitoUsername, status: "CONFIRMED" });
    expect(read.props?.drift).toBeUndefined();
    expect((await provider().diff(result.id, outs, await h.checked(stored, news))).changes).toBe(false);

    expect(await signIn(pool, email, pw)).toBe("tokens");
    await provider().delete(result.id, outs);
    expect(await signIn(pool, email, pw)).toBe("refused");
  });

  /** A pool with one user, and the inputs declaring that user by her `sub`. */
  async function declaredBySub() {
    const pool = await createPool(h.emulator.endpoint);
    const user = await createUser(pool);
    expect(user.sub).toBeTruthy();
    const sub = user.sub as string;
    const pw = password();
    const news = declaredInputs(h.emulator.endpoint, pool.userPoolId, sub, pw);
    return { pool, user, sub, pw, news };
  }

  it.runIf(!traits.resolvesSubAsUsername)(
    "the user's sub as username is not resolved here (moto; AWS does): create fails naming the sub, the pool and the resource, and sets nothing",
    async () => {
      const { pool, user, sub, pw, news } = await declaredBySub();
      // The provider must say which user it could not find, not fail obscurely; if moto learns subs, flip the trait.
      const err = await expectRejection(provider().create(news), h.secrets);
      h.expectErrorClass(err, "UserNotFoundError");
      expect(err.message).toContain(`user "${sub}" not found in user pool ${pool.userPoolId}`);
      expect(err.message).toContain(`UserPassword "${news.resourceName}"`);
      expect(await getUserStatus(pool, user.username)).toBe("FORCE_CHANGE_PASSWORD");
      expect(await signIn(pool, user.username, pw)).toBe("refused");
    },
  );

  it.runIf(traits.resolvesSubAsUsername)(
    "the user's sub as username is resolved to the real user: create sets her password, refresh finds her",
    async () => {
      const { pool, user, sub, pw, news } = await declaredBySub();
      const result = await provider().create(news);
      const outs = outputsOf(result);
      expect(result.id).toBe(`${pool.userPoolId}/${sub}`);
      expect(outs.username).toBe(sub);
      expect(outs.cognitoUsername).toBe(user.username);
      expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
      expect(await signIn(pool, user.username, pw)).toBe("tokens");
      expect((await provider().read(result.id, outs)).props?.status).toBe("CONFIRMED");
    },
  );

  // An injected gateway: only the dynamic face takes one.
  describe.runIf(driver === "dynamic")(
    "federated user (fake gateway: emulators cannot create EXTERNAL_PROVIDER users)",
    () => {
      async function federatedSetUp(extra: Partial<DynamicInputs> = {}) {
        const { pool, user, pw, news } = await declaredUser(extra);
        const gateways: FederatingGateway[] = [];
        const gatewayFor = (connection: Connection) => {
          expect(connection.endpoint).toBe(h.emulator.endpoint);
          const gateway = new FederatingGateway(
            new SdkCognitoGateway(cognitoClient(h.emulator.endpoint)),
            new Set([user.username]),
          );
          gateways.push(gateway);
          return gateway;
        };
        const federating = provider(createUserPasswordProvider({ gatewayFor }));
        const sets = () => gateways.flatMap((g) => g.sets);
        return { pool, user, pw, news, federating, sets };
      }

      it("refuses to set a password, naming the user and the option, and changes nothing", async () => {
        const { pool, user, pw, news, federating, sets } = await federatedSetUp();
        const err = await expectRejection(federating.create(news), h.secrets);
        h.expectErrorClass(err, "FederatedUserError");
        expect(err.message).toContain(`UserPassword "${news.resourceName}"`);
        expect(err.message).toContain(`user "${user.username}" in user pool ${pool.userPoolId}`);
        expect(err.message).toContain("EXTERNAL_PROVIDER");
        expect(err.message).toContain("allowFederatedUser");
        expect(sets()).toEqual([]);
        expect(await getUserStatus(pool, user.username)).toBe("FORCE_CHANGE_PASSWORD");
        expect(await signIn(pool, user.username, pw)).toBe("refused");
      });

      it("refuses an update too", async () => {
        // Created while allowed, then the option is withdrawn.
        const { pool, user, pw, news: allowed, federating, sets } = await federatedSetUp({ allowFederatedUser: true });
        const created = await federating.create(allowed);
        expect(sets()).toHaveLength(1);
        const news = omit(allowed, "allowFederatedUser");
        const err = await expectRejection(
          federating.update(created.id, outputsOf(created), { ...news, password: password() }),
          h.secrets,
        );
        h.expectErrorClass(err, "FederatedUserError");
        expect(sets()).toHaveLength(1);
        expect(await signIn(pool, user.username, pw)).toBe("tokens");
      });

      it("sets the password when allowFederatedUser is true", async () => {
        const { pool, user, pw, news, federating, sets } = await federatedSetUp({ allowFederatedUser: true });
        const result = await federating.create(news);
        expect(outputsOf(result)).toMatchObject({ status: "CONFIRMED", allowFederatedUser: true });
        expect(sets()).toEqual([{ username: user.username, permanent: true }]);
        expect(await getUserStatus(pool, user.username)).toBe("CONFIRMED");
        expect(await signIn(pool, user.username, pw)).toBe("tokens");
      });
    },
  );
});
