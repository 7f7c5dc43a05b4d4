/**
 * Which resource declared, and last set, each Cognito user's password in this provider
 * process. One process serves a whole deployment, so this is what lets the provider
 *  - refuse two resources that declare the same user (at check, and again at set time for
 *    aliases that only resolve to the same user at run time), and
 *  - skip the scramble-on-delete of a resource whose user was just set by another resource
 *    in the same deployment (a rename without an alias: create-new, then delete-old), or is
 *    declared by another resource of the deployment (a rename finished in a later run).
 * Users are keyed by their resource id (`formatResourceId`: `<userPoolId>/<username>`).
 */

export interface SetRecord {
  resourceName: string | undefined;
  /** The random identifier of the set (the `setId` output): unique per set, not derived from the password. */
  setId: string;
}

export class OwnershipRegistry {
  private readonly declared = new Map<string, string>();
  private readonly sets = new Map<string, SetRecord>();
  private readonly claims = new Map<string, string>();

  /** Records a declaration from `check`; returns the other resource's name on a conflict. */
  declare(key: string, resourceName: string): string | undefined {
    const other = this.declared.get(key);
    if (other !== undefined && other !== resourceName) return other;
    this.declared.set(key, resourceName);
    return undefined;
  }

  /** The resource that declared this user in this process (through check), if any. */
  declaredBy(key: string): string | undefined {
    return this.declared.get(key);
  }

  /**
   * Claims the user for `resourceName` right before its set, synchronously: returns the other
   * resource that claimed or set it in this process (a conflict), else records the claim. Two
   * sets in flight at once (the engine runs steps in parallel) cannot both pass, as they could
   * when only completed sets were recorded.
   */
  claim(key: string, resourceName: string | undefined): string | undefined {
    if (resourceName === undefined) return undefined;
    const other = this.claims.get(key) ?? this.sets.get(key)?.resourceName;
    if (other !== undefined && other !== resourceName) return other;
    this.claims.set(key, resourceName);
    return undefined;
  }

  recordSet(key: string, record: SetRecord): void {
    this.sets.set(key, record);
  }

  /**
   * True when a set in this process replaced the password that the set `setId` made. A state
   * without a `setId` (an import, or written by a version that kept a fingerprint) was set by
   * no set of this process, so any set recorded here superseded it.
   */
  supersededSince(key: string, setId: string | undefined): boolean {
    const record = this.sets.get(key);
    return record !== undefined && record.setId !== setId;
  }
}
