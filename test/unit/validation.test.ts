import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../src/core/types";
import { regionOfUserPoolId, validateInputs, withDefaults } from "../../src/core/validation";

const valid = { userPoolId: "us-east-1_AbC123", username: "alice", password: "Correct-Horse-9" };
const failuresFor = (news: Record<string, unknown>, region?: string) => validateInputs(news, region);
const properties = (news: Record<string, unknown>, region?: string) => failuresFor(news, region).map((f) => f.property);

describe("validateInputs", () => {
  it("accepts a minimal valid input", () => {
    expect(failuresFor(valid)).toEqual([]);
  });

  it("accepts emulator pool ids", () => {
    expect(failuresFor({ ...valid, userPoolId: "local_5eVBgXyD" })).toEqual([]);
  });

  it.each([
    ["missing", undefined, "is required"],
    ["empty", "", "must not be empty"],
    ["a number", 42, "must be a string, got number"],
    ["without underscore", "useast1AbC", "must look like <region>_<id>"],
    ["with a slash", "us-east-1_Ab/c", "must look like <region>_<id>"],
    ["too long", `us-east-1_${"a".repeat(60)}`, "at most 55"],
  ])("refuses a userPoolId that is %s", (_label, userPoolId, reason) => {
    const [failure, ...rest] = failuresFor({ ...valid, userPoolId });
    expect(rest).toEqual([]);
    expect(failure?.property).toBe("userPoolId");
    expect(failure?.reason).toContain(reason);
  });

  it.each([
    ["missing", undefined, "is required"],
    ["empty", "", "must not be empty"],
    ["129 characters", "u".repeat(129), "at most 128"],
    ["with a space", "alice smith", "whitespace"],
    ["with a tab", "alice\tsmith", "whitespace"],
    ["with a control character", "alice\u0007", "control"],
    ["an object", { name: "alice" }, "got object"],
  ])("refuses a username that is %s", (_label, username, reason) => {
    const failures = failuresFor({ ...valid, username });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.property).toBe("username");
    expect(failures[0]?.reason).toContain(reason);
  });

  it.each(["ålice", "用户", "alice@example.com", "+14155550100", "a".repeat(128)])(
    "accepts the username %s",
    (username) => {
      expect(failuresFor({ ...valid, username })).toEqual([]);
    },
  );

  it.each([
    ["missing", undefined, "is required"],
    ["empty", "", "must not be empty"],
    ["257 characters", "P".repeat(257), "at most 256"],
    ["with a space", "Secret Pass1!", "whitespace"],
    ["with a newline", "Secret\nPass1!", "whitespace"],
    ["with a non-breaking space", "Secret\u00a0Pass1!", "whitespace"],
    ["with a control character", "Secret\u0000Pass1!", "control"],
    ["a number", 12345678, "got number"],
    ["null", null, "is required"],
  ])("refuses a password that is %s, without echoing it", (_label, password, reason) => {
    const failures = failuresFor({ ...valid, password });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.property).toBe("password");
    expect(failures[0]?.reason).toContain(reason);
    if (typeof password === "string" && password.length > 0) expect(failures[0]?.reason).not.toContain(password);
  });

  it("accepts a 256-character password", () => {
    expect(failuresFor({ ...valid, password: "P".repeat(256) })).toEqual([]);
  });

  it.each([
    ["permanent", "yes"],
    ["allowFederatedUser", 1],
    ["checkPasswordPolicy", "false"],
    ["reissueExpiredTemporaryPassword", null],
  ])("refuses a non-boolean %s", (property, value) => {
    expect(properties({ ...valid, permanent: false, [property]: value })).toEqual([property]);
  });

  it.each([
    ["region", "US-EAST-1"],
    ["region", "mars"],
    ["region", ""],
    ["endpoint", "localhost:9229"],
    ["endpoint", "ftp://127.0.0.1:21"],
    ["profile", "my profile"],
    ["onDelete", "destroy"],
  ])("refuses %s = %j", (property, value) => {
    expect(properties({ ...valid, [property]: value })).toEqual([property]);
  });

  it("refuses properties it does not know, naming them", () => {
    expect(failuresFor({ ...valid, pasword: "x" })).toEqual([
      { property: "pasword", reason: "is not a UserPassword input" },
    ]);
  });

  it("refuses a pool id of another region than the one in use", () => {
    const failures = failuresFor({ ...valid, region: "eu-west-1" });
    expect(failures).toEqual([
      { property: "userPoolId", reason: "names region us-east-1 but the region in use is eu-west-1" },
    ]);
    expect(properties(valid, "eu-west-1")).toEqual(["userPoolId"]);
    expect(properties({ ...valid, region: "us-east-1" }, "eu-west-1")).toEqual([]);
  });

  it("refuses reissueExpiredTemporaryPassword with a permanent password (conflicting options)", () => {
    expect(properties({ ...valid, permanent: true, reissueExpiredTemporaryPassword: false })).toEqual([
      "reissueExpiredTemporaryPassword",
    ]);
    expect(properties({ ...valid, permanent: false, reissueExpiredTemporaryPassword: false })).toEqual([]);
    // permanent omitted means permanent: the same conflict, or check would pass what create refuses.
    expect(properties({ ...valid, reissueExpiredTemporaryPassword: true })).toEqual([
      "reissueExpiredTemporaryPassword",
    ]);
    expect(properties({ ...withDefaults({ ...valid, reissueExpiredTemporaryPassword: true }) })).toEqual([
      "reissueExpiredTemporaryPassword",
    ]);
  });

  it("reports every failure at once", () => {
    expect(properties({ userPoolId: "", username: "", password: "" })).toEqual(["userPoolId", "username", "password"]);
  });

  it("lets unknown values (preview) pass untouched", () => {
    const news = { userPoolId: UNKNOWN, username: UNKNOWN, password: UNKNOWN, permanent: UNKNOWN, region: UNKNOWN };
    expect(failuresFor(news, "us-east-1")).toEqual([]);
  });

  it("does not use an unknown region to judge the pool id", () => {
    expect(failuresFor({ ...valid, region: UNKNOWN }, "eu-west-1")).toEqual([]);
  });
});

describe("withDefaults", () => {
  it("fills in the defaults and keeps what was given", () => {
    expect(withDefaults({ ...valid })).toEqual({
      ...valid,
      permanent: true,
      onDelete: "scramble",
      allowFederatedUser: false,
      checkPasswordPolicy: true,
    });
    expect(withDefaults({ ...valid, permanent: false, onDelete: "keep" })).toMatchObject({
      permanent: false,
      onDelete: "keep",
    });
  });

  it("leaves reissueExpiredTemporaryPassword unset, so a re-check cannot trip the conflict rule", () => {
    const once = withDefaults({ ...valid });
    expect(once.reissueExpiredTemporaryPassword).toBeUndefined();
    expect(validateInputs(once as unknown as Record<string, unknown>)).toEqual([]);
  });
});

describe("regionOfUserPoolId", () => {
  it.each([
    ["us-east-1_AbC", "us-east-1"],
    ["ap-southeast-2_x1", "ap-southeast-2"],
    ["us-gov-west-1_Q", "us-gov-west-1"],
    ["local_abc123", undefined],
  ])("%s -> %s", (id, region) => {
    expect(regionOfUserPoolId(id)).toBe(region);
  });
});
