import { describe, expect, it } from "vitest";
import { OwnershipRegistry } from "../../src/ownership";

const key = OwnershipRegistry.key("us-east-1_AbC", "alice");

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
    expect(r.declare(OwnershipRegistry.key("us-east-1_AbC", "bob"), "b")).toBeUndefined();
  });

  it("tracks who set a user's password last", () => {
    const r = new OwnershipRegistry();
    expect(r.otherSetter(key, "a")).toBeUndefined();
    r.recordSet(key, { resourceName: "a", fingerprint: "f1" });
    expect(r.otherSetter(key, "a")).toBeUndefined();
    expect(r.otherSetter(key, "b")).toBe("a");
    expect(r.otherSetter(key, undefined)).toBeUndefined();
  });

  it("knows when a stored password was superseded by a later set (rename without alias)", () => {
    const r = new OwnershipRegistry();
    expect(r.supersededSince(key, "f1")).toBe(false);
    r.recordSet(key, { resourceName: "new", fingerprint: "f2" });
    expect(r.supersededSince(key, "f1")).toBe(true);
    expect(r.supersededSince(key, "f2")).toBe(false);
  });
});
