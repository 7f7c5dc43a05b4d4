import { describe, expect, it } from "vitest";
import { assessDrift, DAY_MS, temporaryPasswordExpiresAt } from "../../src/core/lifecycle";

const setAt = new Date("2026-11-01T12:00:00Z");
const now = new Date("2026-11-03T12:00:00Z");
const permanent = { permanent: true, reissueExpiredTemporaryPassword: true, passwordSetAt: setAt };
const temporary = { permanent: false, reissueExpiredTemporaryPassword: true, passwordSetAt: setAt };

describe("assessDrift", () => {
  it("permanent and CONFIRMED: no drift", () => {
    expect(assessDrift({ status: "CONFIRMED" }, permanent, now, 7)).toBeUndefined();
  });

  it("permanent, but the user must change the password: drift", () => {
    expect(assessDrift({ status: "FORCE_CHANGE_PASSWORD" }, permanent, now, 7)).toBe("password-not-permanent");
  });

  it("reset out of band by an admin: drift, whatever was declared", () => {
    expect(assessDrift({ status: "RESET_REQUIRED" }, permanent, now, 7)).toBe("reset-required");
    expect(assessDrift({ status: "RESET_REQUIRED" }, temporary, now, 7)).toBe("reset-required");
  });

  it("temporary and the user has chosen a password since: the intended life cycle, no drift", () => {
    expect(assessDrift({ status: "CONFIRMED" }, temporary, now, 7)).toBeUndefined();
  });

  it("temporary, unused and still valid: no drift", () => {
    expect(assessDrift({ status: "FORCE_CHANGE_PASSWORD", lastModified: setAt }, temporary, now, 7)).toBeUndefined();
  });

  it("temporary, unused and past the pool's validity: expired", () => {
    const later = new Date(setAt.getTime() + 7 * DAY_MS);
    expect(assessDrift({ status: "FORCE_CHANGE_PASSWORD", lastModified: setAt }, temporary, later, 7)).toBe(
      "temporary-password-expired",
    );
    expect(assessDrift({ status: "FORCE_CHANGE_PASSWORD", lastModified: setAt }, temporary, now, 1)).toBe(
      "temporary-password-expired",
    );
  });

  it("expiry off by option: no drift", () => {
    const off = { ...temporary, reissueExpiredTemporaryPassword: false };
    expect(
      assessDrift({ status: "FORCE_CHANGE_PASSWORD" }, off, new Date(setAt.getTime() + 30 * DAY_MS), 7),
    ).toBeUndefined();
  });

  it("uses the later of Cognito's last-modified date and our own set time (moto never moves the former)", () => {
    const stale = new Date(setAt.getTime() - 30 * DAY_MS);
    expect(assessDrift({ status: "FORCE_CHANGE_PASSWORD", lastModified: stale }, temporary, now, 7)).toBeUndefined();
    const noRecord = { permanent: false, reissueExpiredTemporaryPassword: true };
    expect(assessDrift({ status: "FORCE_CHANGE_PASSWORD", lastModified: stale }, noRecord, now, 7)).toBe(
      "temporary-password-expired",
    );
  });

  it("without the validity period, assumes no expiry", () => {
    expect(
      assessDrift({ status: "FORCE_CHANGE_PASSWORD" }, temporary, new Date(setAt.getTime() + 99 * DAY_MS), undefined),
    ).toBeUndefined();
  });

  it("unconfirmed users: drift", () => {
    expect(assessDrift({ status: "UNCONFIRMED" }, permanent, now, 7)).toBe("unconfirmed");
  });

  it.each(["EXTERNAL_PROVIDER", "ARCHIVED", "UNKNOWN", "COMPROMISED"])("%s is not ours to repair", (status) => {
    expect(assessDrift({ status }, permanent, now, 7)).toBeUndefined();
  });
});

describe("temporaryPasswordExpiresAt", () => {
  it("adds the validity days", () => {
    expect(temporaryPasswordExpiresAt(setAt, 7).toISOString()).toBe("2026-11-08T12:00:00.000Z");
  });
});
