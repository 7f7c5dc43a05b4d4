/**
 * `diff` through the exported provider, on the outputs of a real create against each
 * emulator, with the inputs `check` returns (as the engine calls them: check compares the
 * old and new passwords and returns a `passwordRevision`, the previous one or a fresh one;
 * diff compares it with the one the outputs recorded): pool or username change -> replace;
 * password or permanence change -> update; region / endpoint / profile alone -> no change;
 * unknown password -> change; drift found by refresh -> change; a refresh right after a
 * password change (refreshed outputs against the stored inputs) -> no change; inputs that
 * skipped check -> change. diff itself makes no API call.
 */
import type { DynamicOutputs } from "pulumi-cognito-user-password";
import { describe, expect, it } from "vitest";
import { adminSetPassword, outputsOf } from "../support/cognito-fixtures";
import { FACES, useProviderHarness } from "../support/integration-harness";
import { omit } from "../support/omit";

// The engine's placeholder for a value not known during preview, as the library names it.
import { UNKNOWN } from "../../src/core/types";

describe.each(FACES)("diff against %s, %s face", (emulatorName, driver) => {
  const h = useProviderHarness(emulatorName, { driver });
  const { provider, createdUser, checked } = h;

  it("reports no change for the same inputs, and makes no API call", async () => {
    const { id, outs: olds, news } = await createdUser();
    const same = await checked(news, news);
    expect(same.passwordRevision).toBe(olds.passwordRevision);
    h.proxy.resetCounts();
    const result = await provider().diff(id, olds, same);
    expect(result.changes).toBe(false);
    expect(result.replaces ?? []).toEqual([]);
    // A temporary password declared and unchanged is no change either.
    const temporary = await createdUser({ permanent: false });
    const temporarySame = await checked(temporary.news, temporary.news);
    h.proxy.resetCounts();
    expect((await provider().diff(temporary.id, temporary.outs, temporarySame)).changes).toBe(false);
    expect(h.proxy.count()).toBe(0);
  });

  it("treats inputs that did not go through check (no passwordRevision) as a changed password", async () => {
    const { id, outs: olds, news } = await createdUser();
    const unchecked = omit(news, "passwordRevision");
    const result = await provider().diff(id, olds, unchecked);
    expect(result.changes).toBe(true);
    expect(result.replaces ?? []).toEqual([]);
  });

  it("replaces the resource when the pool or the username changes (also when unknown)", async () => {
    const { id, outs: olds, news } = await createdUser();
    for (const change of [{ userPoolId: `${news.userPoolId.split("_")[0]}_Other99` }, { userPoolId: UNKNOWN }]) {
      const result = await provider().diff(id, olds, { ...news, ...change });
      expect(result.changes).toBe(true);
      expect(result.replaces).toEqual(["userPoolId"]);
      expect(result.deleteBeforeReplace).toBe(false);
    }
    for (const change of [{ username: "someone-else" }, { username: UNKNOWN }]) {
      const result = await provider().diff(id, olds, { ...news, ...change });
      expect(result.changes).toBe(true);
      expect(result.replaces).toEqual(["username"]);
    }
  });

  it("updates in place when the password or the permanence changes", async () => {
    const { id, outs: olds, news } = await createdUser();
    const other = h.password();
    const password = await provider().diff(id, olds, await checked(news, { ...news, password: other }));
    expect(password.changes).toBe(true);
    expect(password.replaces ?? []).toEqual([]);

    const permanence = await provider().diff(id, olds, await checked(news, { ...news, permanent: false }));
    expect(permanence.changes).toBe(true);
    expect(permanence.replaces ?? []).toEqual([]);

    // permanent omitted means true: no change against a permanent resource.
    const withoutPermanent = omit(news, "permanent");
    expect((await provider().diff(id, olds, await checked(news, withoutPermanent))).changes).toBe(false);
  });

  it("treats an unknown password (preview) as a change, never as equal", async () => {
    const { id, outs: olds, news } = await createdUser();
    const unknown = await checked(news, { ...news, password: UNKNOWN });
    expect(unknown.passwordRevision).toBe(UNKNOWN);
    const result = await provider().diff(id, olds, unknown);
    expect(result.changes).toBe(true);
    expect(result.replaces ?? []).toEqual([]);
    // Also when the previous password was unknown (a state written from a preview's inputs).
    const fromUnknown = await checked({ ...news, password: UNKNOWN }, news);
    expect(fromUnknown.passwordRevision).not.toBe(news.passwordRevision);
    expect((await provider().diff(id, olds, fromUnknown)).changes).toBe(true);
  });

  it("ignores region, endpoint and profile changes on their own", async () => {
    const { id, outs: olds, news } = await createdUser();
    // news carry check's revision for an unchanged password (check itself would refuse
    // us-east-2 for a us-east-1 pool, and try to describe the pool at the dead endpoint).
    for (const change of [
      { region: "us-east-2" },
      { endpoint: "http://127.0.0.1:1" },
      { profile: "another-profile" },
      { region: undefined, endpoint: undefined },
    ]) {
      const result = await provider().diff(id, olds, { ...news, ...change });
      expect(result.changes, JSON.stringify(change)).toBe(false);
    }
    // ...but not when something that matters changes with them.
    const other = h.password();
    expect(
      (
        await provider().diff(id, olds, {
          ...news,
          region: "us-east-2",
          password: other,
          passwordRevision: "aaaabbbbccccddddeeeeffff00001111",
        })
      ).changes,
    ).toBe(true);
  });

  it("reports a change when refresh found drift, and none after the update repaired it", async () => {
    const { pool, id, outs: olds, news } = await createdUser();
    // An administrator outside the stack makes the password temporary.
    const outOfBand = h.password();
    await adminSetPassword(pool, olds.cognitoUsername, outOfBand, false);
    const refreshed = await provider().read(id, olds);
    expect(refreshed.props?.drift).toBe("password-not-permanent");
    const refreshedProps = refreshed.props as DynamicOutputs;

    // The same password declared: only the drift asks for a set.
    const same = await checked(news, news);
    expect(same.passwordRevision).toBe(olds.passwordRevision);
    const result = await provider().diff(id, refreshedProps, same);
    expect(result.changes).toBe(true);
    expect(result.replaces ?? []).toEqual([]);

    const updated = await provider().update(id, refreshedProps, same);
    expect(updated.outs?.drift).toBeUndefined();
    expect((await provider().diff(id, updated.outs as DynamicOutputs, await checked(same, news))).changes).toBe(false);
  });

  it("a refresh right after a password change finds no change: the refreshed outputs and the stored inputs hold the same revision", async () => {
    const { id, outs: olds, news } = await createdUser();
    // The up that changes the password: check, diff, update; the engine stores `next` as the inputs.
    const next = await checked(news, { ...news, password: h.password() });
    expect(next.passwordRevision).not.toBe(news.passwordRevision);
    const updated = outputsOf(await provider().update(id, olds, next));
    expect(updated.passwordRevision).toBe(next.passwordRevision);
    // The refresh: read, then diff(refreshed outputs, stored inputs).
    const refreshed = await provider().read(id, updated);
    expect(refreshed.props?.passwordRevision).toBe(next.passwordRevision);
    h.proxy.resetCounts();
    expect(await provider().diff(id, refreshed.props as DynamicOutputs, next)).toMatchObject({ changes: false });
    expect(h.proxy.count()).toBe(0);
    // The next up with the same password: the same inputs again (no churn), no change.
    const again = await checked(next, { ...news, password: next.password });
    expect(again).toEqual(next);
    expect((await provider().diff(id, refreshed.props as DynamicOutputs, again)).changes).toBe(false);
  });
});
