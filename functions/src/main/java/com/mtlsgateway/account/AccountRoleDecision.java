package com.mtlsgateway.account;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@code Custom::ApiGatewayAccountRole} does with the Region's API Gateway account setting
 * {@code cloudwatchRoleArn}, decided from three facts only: the role set now ({@code GetAccount}), this stack's role
 * (the {@code RoleArn} property), and the role this stack recorded having set (in its PhysicalResourceId, the one
 * thing a Delete is sure to get back). Pure: no AWS call, so every transition is unit-tested.
 *
 * <p>The setting is account- and Region-wide and may be another team's: it is set only when no role is set (or when
 * the role set is the one this stack set, to swap it for this stack's new role), and unset only when it is still the
 * role this stack set.
 *
 * @param change what to do with the setting
 * @param owned  the role this stack has set once the change is made (recorded in the new PhysicalResourceId); empty
 *     when the role in effect is not this stack's
 * @param reason why, for the log line and the user: a short clause
 */
public record AccountRoleDecision(Change change, Optional<String> owned, String reason) {

  /** The PhysicalResourceId while the role in effect is the one this stack set: this prefix and the role's ARN. */
  public static final String SET_ID_PREFIX = "mtls-gateway:account-role:set-by-this-stack:";
  /** The PhysicalResourceId while this stack has not set the role in effect (another was there first). */
  public static final String NOT_SET_ID = "mtls-gateway:account-role:not-set-by-this-stack";

  /** The change to the account setting. */
  public enum Change {
    /** Set {@code cloudwatchRoleArn} to this stack's role. */
    SET,
    /** Unset {@code cloudwatchRoleArn}. */
    UNSET,
    /** Leave it as it is. */
    NONE
  }

  public AccountRoleDecision {
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(owned, "owned");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * Create and Update (a Create has recorded nothing).
   *
   * @param current  the role set now; empty when none is set
   * @param ours     this stack's role
   * @param recorded the role this stack recorded having set; empty on Create or when it set none
   */
  public static AccountRoleDecision forCreateOrUpdate(Optional<String> current, String ours,
      Optional<String> recorded) {
    Objects.requireNonNull(ours, "ours");
    if (current.isEmpty()) {
      return new AccountRoleDecision(Change.SET, Optional.of(ours), "no role was set");
    }
    if (current.get().equals(ours)) {
      // Also what a retried Create finds, and a stack that set it with the former AWS::ApiGateway::Account.
      return new AccountRoleDecision(Change.NONE, Optional.of(ours), "this stack's role is already set");
    }
    if (current.equals(recorded)) {
      return new AccountRoleDecision(Change.SET, Optional.of(ours),
          "the role set is the one this stack set before, now replaced by this stack's new role");
    }
    return new AccountRoleDecision(Change.NONE, Optional.empty(),
        "another role is set, which this stack leaves as it is");
  }

  /**
   * Delete.
   *
   * @param current  the role set now; empty when none is set
   * @param recorded the role this stack recorded having set; empty when it set none
   */
  public static AccountRoleDecision forDelete(Optional<String> current, Optional<String> recorded) {
    if (recorded.isEmpty()) {
      return new AccountRoleDecision(Change.NONE, Optional.empty(), "this stack did not set the role in effect");
    }
    if (current.isEmpty()) {
      return new AccountRoleDecision(Change.NONE, Optional.empty(), "no role is set any more");
    }
    if (!current.equals(recorded)) {
      return new AccountRoleDecision(Change.NONE, Optional.empty(),
          "the role this stack set has since been replaced by another, which this stack leaves as it is");
    }
    return new AccountRoleDecision(Change.UNSET, Optional.empty(), "the role set is still the one this stack set");
  }

  /**
   * The PhysicalResourceId that records {@link #owned()}; under CloudFormation's 1 KB for every role ARN
   * {@link AccountRoleProperties} accepts.
   */
  public String physicalId() {
    return owned.map(role -> SET_ID_PREFIX + role).orElse(NOT_SET_ID);
  }

  /**
   * The role a PhysicalResourceId records this stack as having set; empty for {@link #NOT_SET_ID}, a failed Create's
   * marker or any id this resource did not make.
   */
  public static Optional<String> recorded(String physicalId) {
    if (physicalId == null || !physicalId.startsWith(SET_ID_PREFIX) || physicalId.length() == SET_ID_PREFIX.length()) {
      return Optional.empty();
    }
    return Optional.of(physicalId.substring(SET_ID_PREFIX.length()));
  }
}
