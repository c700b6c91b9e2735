package com.mtlsgateway.account;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code Custom::ApiGatewayAccountRole} does with the Region's API Gateway account setting
 * {@code cloudwatchRoleArn}, decided from facts only: the role set now ({@code GetAccount}), this stack's role (the
 * {@code RoleArn} property; on Update also the previous one), and how this stack holds the role in effect (its
 * {@link Ownership}, recorded in the PhysicalResourceId). Pure: no AWS call, so every transition is unit-tested.
 *
 * <p>The setting is account- and Region-wide and may be another team's: it is set only when no role is set (or when
 * the role set is this stack's previous role, to swap it for the new one), and unset only when it is still the role
 * this stack set.
 *
 * <p>The id records ownership only, never the role: a role swap keeps the id, so that the rollback of a failed stack
 * update arrives as an Update that swaps back (a new id would make CloudFormation delete it instead, unsetting the
 * setting). The id changes only when the ownership does; CloudFormation then deletes the old id with the old
 * properties (after a success: it finds nothing of its own to unset) or, on rollback, the new id with the new
 * properties (see {@link #forUpdate} for why each such Delete is right).
 *
 * @param change    what to do with the setting
 * @param ownership how this stack holds the role in effect once the change is made (the new PhysicalResourceId)
 * @param reason    why, for the log line and the user: a short clause
 */
public record AccountRoleDecision(Change change, Ownership ownership, String reason) {

  /** The change to the account setting. */
  public enum Change {
    /** Set {@code cloudwatchRoleArn} to this stack's role. */
    SET,
    /** Unset {@code cloudwatchRoleArn}. */
    UNSET,
    /** Leave it as it is. */
    NONE,
    /**
     * Leave this stack's role set although the resource goes, as what set it first may still use it: the log line
     * says how to unset it (the role itself is deleted with the stack).
     */
    LEFT_SET;

    /** The log event's suffix, e.g. {@code left-set}. */
    public String event() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** How this stack holds the role in effect; each is a PhysicalResourceId. */
  public enum Ownership {
    /** This stack's role is set, and this resource set it: its Delete unsets it. */
    SET("mtls-gateway:account-role:set-by-this-stack"),
    /**
     * This stack's role was already set when found (by the former {@code AWS::ApiGateway::Account} of a stack
     * upgraded from {@code ConfigureApiGatewayAccountLogging=true}, which still uses it if the upgrade rolls back,
     * or by an earlier attempt of the same Create): kept while this stack's role is in effect, and its Delete leaves
     * the setting.
     */
    ADOPTED("mtls-gateway:account-role:adopted-by-this-stack"),
    /** Another role is in effect, which this stack leaves as it is. */
    NOT_SET("mtls-gateway:account-role:not-set-by-this-stack");

    private final String physicalId;

    Ownership(String physicalId) {
      this.physicalId = physicalId;
    }

    public String physicalId() {
      return physicalId;
    }

    /** True while the role in effect is this stack's {@code RoleArn}. */
    public boolean ours() {
      return this != NOT_SET;
    }

    /** The ownership an id records; empty for a failed Create's marker or any id this resource did not make. */
    public static Optional<Ownership> of(String physicalId) {
      return Arrays.stream(values()).filter(o -> o.physicalId.equals(physicalId)).findFirst();
    }
  }

  public AccountRoleDecision {
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(ownership, "ownership");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * Create.
   *
   * @param current the role set now; empty when none is set
   * @param ours    this stack's role
   */
  public static AccountRoleDecision forCreate(Optional<String> current, String ours) {
    Objects.requireNonNull(ours, "ours");
    if (current.isEmpty()) {
      return new AccountRoleDecision(Change.SET, Ownership.SET, "no role was set");
    }
    if (current.get().equals(ours)) {
      return new AccountRoleDecision(Change.NONE, Ownership.ADOPTED,
          "this stack's role is already set (by the stack's former AWS::ApiGateway::Account, or an earlier attempt"
              + " of this Create), so the Delete leaves it");
    }
    return new AccountRoleDecision(Change.NONE, Ownership.NOT_SET,
        "another role is set, which this stack leaves as it is");
  }

  /**
   * Update. The id changes only with the ownership, and then only where CloudFormation's Delete of either id is
   * right: NOT_SET to SET made the only call (a rollback's Delete of SET unsets it, as it was before); to NOT_SET
   * and NOT_SET to ADOPTED made none (both Deletes change nothing). ADOPTED never becomes SET and SET never ADOPTED,
   * as a rollback's Delete would then unset a role the restored resource still counts on, or leave one set.
   *
   * @param current the role set now; empty when none is set
   * @param ours    this stack's role ({@code RoleArn})
   * @param was     the ownership the event's id records
   * @param before  this stack's previous role ({@code OldResourceProperties.RoleArn}): the one in effect when
   *     {@code was} is ours
   */
  public static AccountRoleDecision forUpdate(Optional<String> current, String ours, Ownership was, String before) {
    Objects.requireNonNull(ours, "ours");
    Objects.requireNonNull(was, "was");
    Objects.requireNonNull(before, "before");
    if (current.isEmpty()) {
      return new AccountRoleDecision(Change.SET, was == Ownership.ADOPTED ? was : Ownership.SET,
          "no role was set");
    }
    if (current.get().equals(ours)) {
      // From SET also a retried Update that already swapped; from NOT_SET someone else set this stack's role.
      return new AccountRoleDecision(Change.NONE, was.ours() ? was : Ownership.ADOPTED,
          "this stack's role is already set");
    }
    if (was.ours() && current.get().equals(before)) {
      return new AccountRoleDecision(Change.SET, was,
          "the role set is this stack's previous role, now replaced by this stack's new role");
    }
    return new AccountRoleDecision(Change.NONE, Ownership.NOT_SET,
        "another role is set, which this stack leaves as it is");
  }

  /**
   * Delete; also the Delete of a failed Create's marker id, as {@link Ownership#ADOPTED}: nothing tells whether that
   * Create set the role or found it set by the stack's former {@code AWS::ApiGateway::Account}.
   *
   * @param current the role set now; empty when none is set
   * @param ours    this stack's role ({@code RoleArn})
   * @param was     the ownership the event's id records
   */
  public static AccountRoleDecision forDelete(Optional<String> current, String ours, Ownership was) {
    Objects.requireNonNull(ours, "ours");
    Objects.requireNonNull(was, "was");
    if (!was.ours()) {
      return new AccountRoleDecision(Change.NONE, Ownership.NOT_SET, "this stack did not set the role in effect");
    }
    if (current.isEmpty()) {
      return new AccountRoleDecision(Change.NONE, Ownership.NOT_SET, "no role is set any more");
    }
    if (!current.get().equals(ours)) {
      return new AccountRoleDecision(Change.NONE, Ownership.NOT_SET,
          "this stack's role has since been replaced by another, which this stack leaves as it is");
    }
    if (was == Ownership.ADOPTED) {
      return new AccountRoleDecision(Change.LEFT_SET, Ownership.NOT_SET,
          "this stack's role is set, but this stack may not have set it: the stack's former"
              + " AWS::ApiGateway::Account may still use it (an upgrade that rolled back), so it is left set");
    }
    return new AccountRoleDecision(Change.UNSET, Ownership.NOT_SET, "the role set is still the one this stack set");
  }
}
