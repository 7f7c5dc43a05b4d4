/**
 * A test-only stand-in for `@pulumi/random`'s `RandomPassword`, as a dynamic resource: the
 * Go plugin `pulumi-resource-random` cannot be had on these machines (the Go module proxy
 * answers 403 for github.com/pulumi/pulumi-random/provider/v4, and no registry ships the
 * binary). It behaves like RandomPassword where the end-to-end tests depend on it:
 *  - `result` is unknown during a preview of its creation (generated only in `create`);
 *  - `result` is a secret output (`additionalSecretOutputs`), encrypted in the state;
 *  - a change of `keepers` (or of `length`) replaces it, giving a new `result`; anything
 *    else keeps the old one.
 * Unlike RandomPassword, every result also holds each of the symbols `" \ % + / = $` (as
 * `strongPassword()` in ./cognito-fixtures does), so the secret scanner's JSON-escaped and
 * URL-encoded forms differ from the plain one in every end-to-end test.
 * test/unit/random-password-flow.test.ts proves, with Pulumi's mocks, that a real
 * `RandomPassword.result` reaches `UserPassword`'s `password` input as a secret in the same
 * way.
 *
 * The provider's methods use nothing but globals (Node's Web Crypto `crypto`), so their
 * serialized text (stored in the state) is self-contained and captures no module.
 */
import * as pulumi from "@pulumi/pulumi";

export interface TestRandomPasswordArgs {
  /** Length of the generated password (default 24, at least 11: one of each class and the 7 symbols). */
  length?: pulumi.Input<number>;
  /** Arbitrary values that, when changed, generate a new password (as RandomPassword's keepers). */
  keepers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

interface Inputs {
  length?: number;
  keepers?: Record<string, string>;
}

const testRandomPasswordProvider: pulumi.dynamic.ResourceProvider = {
  diff(_id: string, olds: Inputs & { result?: string }, news: Inputs) {
    const replaces: string[] = [];
    if ((news.length ?? 24) !== (olds.length ?? 24)) replaces.push("length");
    if (JSON.stringify(news.keepers ?? {}) !== JSON.stringify(olds.keepers ?? {})) replaces.push("keepers");
    return Promise.resolve({ changes: replaces.length > 0, replaces, deleteBeforeReplace: false });
  },
  create(inputs: Inputs) {
    // Symbols that JSON escapes or URL encoding changes, every one in every result.
    const awkward = [...'"\\%+/=$'];
    const length = Math.max(4 + awkward.length, inputs.length ?? 24);
    // Every class a Cognito password policy can require, then random fill, then shuffle.
    const classes = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!#%*+-=?@^_"];
    const pick = (set: string) => set[globalThis.crypto.getRandomValues(new Uint32Array(1))[0]! % set.length]!;
    const chars = [...classes.map(pick), ...awkward];
    const all = classes.join("");
    while (chars.length < length) chars.push(pick(all));
    for (let i = chars.length - 1; i > 0; i--) {
      const j = globalThis.crypto.getRandomValues(new Uint32Array(1))[0]! % (i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    return Promise.resolve({ id: globalThis.crypto.randomUUID(), outs: { ...inputs, result: chars.join("") } });
  },
};

export class TestRandomPassword extends pulumi.dynamic.Resource {
  declare public readonly result: pulumi.Output<string>;
  declare public readonly keepers: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, args: TestRandomPasswordArgs = {}, opts?: pulumi.CustomResourceOptions) {
    super(
      testRandomPasswordProvider,
      name,
      { length: args.length ?? 24, keepers: args.keepers, result: undefined },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["result"] }),
      "test",
      "RandomPassword",
    );
  }
}
