import { describe, expect, it } from "vitest";
import { OwnershipRegistry } from "../../src/core/ownership";
import { formatResourceId } from "../../src/core/resource-id";

const key = formatResourceId("us-east-1_AbC", "alice");

describe("OwnershipRegistry", () => {
  it("lets one resource declare a user any number of times", () => {
    const r = new OwnershipRegistry();
    expect(r.declare(key, "a")).toBeUndefined();
    expect(r.declare(key, "a")).toBeUndefined();
  });

  it("names the other resource when a second one declares the same user", () => {
    const r = new OwnershipRegistry();
    r.declare(key, "a");
    expect(r.declare(key, "b")).toBe("a");
    expect(r.declare(formatResourceId("us-east-1_AbC", "bob"), "b")).toBeUndefined();
  });

  it("claims a user before the set: a second resource is refused while the first set is still in flight", () => {
    const r = new OwnershipRegistry();
    expect(r.claim(key, "a")).toBeUndefined();
    expect(r.claim(key, "a")).toBeUndefined();
    // No set recorded yet (still in flight): the claim alone refuses "b".
    expect(r.claim(key, "b")).toBe("a");
    expect(r.claim(formatResourceId("us-east-1_AbC", "bob"), "b")).toBeUndefined();
    expect(r.claim(key, undefined)).toBeUndefined();
    const s = new OwnershipRegistry();
    s.recordSet(key, { resourceName: "a", setId: "s1" });
    expect(s.claim(key, "b")).toBe("a");
  });

  it("knows when a stored password was superseded by a later set (rename without alias), by the set's random id", () => {
    const r = new OwnershipRegistry();
    expect(r.supersededSince(key, "s1")).toBe(false);
    expect(r.supersededSince(key, undefined)).toBe(false);
    r.recordSet(key, { resourceName: "new", setId: "s2" });
    expect(r.supersededSince(key, "s1")).toBe(true);
    expect(r.supersededSince(key, "s2")).toBe(false);
    // A state without a setId (an import, or written by the fingerprint version) was set by no set of this process.
    expect(r.supersededSince(key, undefined)).toBe(true);
  });
});
