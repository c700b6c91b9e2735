package com.mtlsgateway.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.account.AccountRoleDecision.Change;
import com.mtlsgateway.account.AccountRoleDecision.Ownership;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every transition of the account setting, as (role set now, this stack's role, ownership recorded) -> change. */
class AccountRoleDecisionTest {
  private static final String OURS = "arn:aws:iam::111122223333:role/mtls-ApiGatewayCloudWatchRole-NEW";
  private static final String OUR_PREVIOUS = "arn:aws:iam::111122223333:role/mtls-ApiGatewayCloudWatchRole-OLD";
  private static final String THEIRS = "arn:aws:iam::111122223333:role/platform-team-apigateway-logs";
  private static final Optional<String> NONE = Optional.empty();

  private static AccountRoleDecision update(Optional<String> current, Ownership was) {
    return AccountRoleDecision.forUpdate(current, OURS, was, OURS);
  }

  private static AccountRoleDecision delete(Optional<String> current, Ownership was) {
    return AccountRoleDecision.forDelete(current, OURS, was);
  }

  @Test
  void createSetsOurRoleOnlyWhenNoneIsSet() {
    AccountRoleDecision none = AccountRoleDecision.forCreate(NONE, OURS);
    assertThat(none.change()).isEqualTo(Change.SET);
    assertThat(none.ownership()).isEqualTo(Ownership.SET);
    assertThat(none.ownership().physicalId()).isEqualTo("mtls-gateway:account-role:set-by-this-stack");

    AccountRoleDecision theirs = AccountRoleDecision.forCreate(Optional.of(THEIRS), OURS);
    assertThat(theirs.change()).isEqualTo(Change.NONE);
    assertThat(theirs.ownership()).isEqualTo(Ownership.NOT_SET);
    assertThat(theirs.ownership().physicalId()).isEqualTo("mtls-gateway:account-role:not-set-by-this-stack");
    assertThat(theirs.reason()).contains("another role is set");
  }

  /** An upgrade from the stack's former AWS::ApiGateway::Account, or a retried Create, finds our role set. */
  @Test
  void ourRoleAlreadySetAtCreateIsAdoptedAndItsDeleteLeavesIt() {
    AccountRoleDecision decision = AccountRoleDecision.forCreate(Optional.of(OURS), OURS);
    assertThat(decision.change()).isEqualTo(Change.NONE);
    assertThat(decision.ownership()).isEqualTo(Ownership.ADOPTED);
    assertThat(decision.ownership().ours()).isTrue();

    AccountRoleDecision deleted = delete(Optional.of(OURS), Ownership.ADOPTED);
    assertThat(deleted.change()).as("the rollback of the upgrade: the old template still uses it")
        .isEqualTo(Change.LEFT_SET);
    assertThat(deleted.change().event()).isEqualTo("left-set");
    assertThat(delete(Optional.of(THEIRS), Ownership.ADOPTED).change()).isEqualTo(Change.NONE);
    assertThat(delete(NONE, Ownership.ADOPTED).change()).isEqualTo(Change.NONE);
  }

  @Test
  void updateDecidesAgainFromWhatIsSetNow() {
    // Ours, unset since by someone: set again, same ownership.
    assertThat(update(NONE, Ownership.SET)).extracting(AccountRoleDecision::change, AccountRoleDecision::ownership)
        .containsExactly(Change.SET, Ownership.SET);
    assertThat(update(NONE, Ownership.ADOPTED).ownership()).as("adopted stays adopted").isEqualTo(Ownership.ADOPTED);
    // Ours, replaced since by another role: left as it is, and no longer ours.
    AccountRoleDecision replaced = update(Optional.of(THEIRS), Ownership.SET);
    assertThat(replaced.change()).isEqualTo(Change.NONE);
    assertThat(replaced.ownership()).isEqualTo(Ownership.NOT_SET);
    assertThat(update(Optional.of(THEIRS), Ownership.ADOPTED).ownership()).isEqualTo(Ownership.NOT_SET);
    // Another's when created, unset since: now set to ours.
    AccountRoleDecision freed = update(NONE, Ownership.NOT_SET);
    assertThat(freed.change()).isEqualTo(Change.SET);
    assertThat(freed.ownership()).isEqualTo(Ownership.SET);
    // Another's when created, then someone set ours: adopted, no call.
    assertThat(update(Optional.of(OURS), Ownership.NOT_SET))
        .extracting(AccountRoleDecision::change, AccountRoleDecision::ownership)
        .containsExactly(Change.NONE, Ownership.ADOPTED);
    // Nothing changed.
    assertThat(update(Optional.of(OURS), Ownership.SET).change()).isEqualTo(Change.NONE);
  }

  /** RoleArn changed: the previous role of this stack is swapped for the new one, under the same ownership. */
  @Test
  void aRoleSwapKeepsTheOwnershipSoTheIdStays() {
    for (Ownership was : new Ownership[] {Ownership.SET, Ownership.ADOPTED}) {
      AccountRoleDecision swapped = AccountRoleDecision.forUpdate(Optional.of(OUR_PREVIOUS), OURS, was, OUR_PREVIOUS);
      assertThat(swapped.change()).isEqualTo(Change.SET);
      assertThat(swapped.ownership()).isEqualTo(was);
      // The rollback: an Update from the new role back to the previous one, which swaps back.
      AccountRoleDecision back = AccountRoleDecision.forUpdate(Optional.of(OURS), OUR_PREVIOUS, was, OURS);
      assertThat(back.change()).isEqualTo(Change.SET);
      assertThat(back.ownership()).isEqualTo(was);
      // A retried swap finds the new role already set.
      assertThat(AccountRoleDecision.forUpdate(Optional.of(OURS), OURS, was, OUR_PREVIOUS).change())
          .isEqualTo(Change.NONE);
    }
    // The previous role was another's: never swapped.
    assertThat(AccountRoleDecision.forUpdate(Optional.of(OUR_PREVIOUS), OURS, Ownership.NOT_SET, OUR_PREVIOUS))
        .extracting(AccountRoleDecision::change, AccountRoleDecision::ownership)
        .containsExactly(Change.NONE, Ownership.NOT_SET);
    // Our previous role, but another set since: left.
    assertThat(AccountRoleDecision.forUpdate(Optional.of(THEIRS), OURS, Ownership.SET, OUR_PREVIOUS).change())
        .isEqualTo(Change.NONE);
  }

  @Test
  void deleteUnsetsOnlyTheRoleThisStackSetWhileItIsStillSet() {
    AccountRoleDecision ours = delete(Optional.of(OURS), Ownership.SET);
    assertThat(ours.change()).isEqualTo(Change.UNSET);

    AccountRoleDecision replaced = delete(Optional.of(THEIRS), Ownership.SET);
    assertThat(replaced.change()).isEqualTo(Change.NONE);
    assertThat(replaced.reason()).contains("replaced by another");
    assertThat(delete(NONE, Ownership.SET).change()).isEqualTo(Change.NONE);
    AccountRoleDecision notOurs = delete(Optional.of(THEIRS), Ownership.NOT_SET);
    assertThat(notOurs.change()).isEqualTo(Change.NONE);
    assertThat(notOurs.reason()).contains("did not set");
    // Our role set, but recorded as not ours (someone else set it after this stack found theirs): not unset.
    assertThat(delete(Optional.of(OURS), Ownership.NOT_SET).change()).isEqualTo(Change.NONE);
  }

  /** The id a Create or Update answers is what a later request reads back; other ids record nothing. */
  @Test
  void theIdRecordsTheOwnershipOnly() {
    for (Ownership ownership : Ownership.values()) {
      assertThat(Ownership.of(ownership.physicalId())).contains(ownership);
      assertThat(ownership.physicalId()).doesNotContain("arn:");
    }
    assertThat(Ownership.of("mtls-gateway:create-failed:6a1e0c52-3f7b-4d8a-b1c9-2e4f6a8b0c1d")).isEmpty();
    assertThat(Ownership.of(null)).isEmpty();
  }

  /**
   * When the ownership changes, CloudFormation deletes the old id with the old properties (success) or, on rollback,
   * the new id with the new properties: each Delete leaves the setting as the remaining resource expects.
   */
  @Test
  void whenOwnershipChangesBothIdsDeletesAreRight() {
    // SET -> NOT_SET (another role set since): no call; neither Delete touches theirs.
    assertThat(update(Optional.of(THEIRS), Ownership.SET).ownership()).isEqualTo(Ownership.NOT_SET);
    assertThat(delete(Optional.of(THEIRS), Ownership.SET).change()).isEqualTo(Change.NONE);
    assertThat(delete(Optional.of(THEIRS), Ownership.NOT_SET).change()).isEqualTo(Change.NONE);

    // NOT_SET -> SET (theirs unset since): the old id's Delete leaves ours; the rollback's Delete of the new id
    // unsets ours, which is how the setting was before the update.
    assertThat(update(NONE, Ownership.NOT_SET).ownership()).isEqualTo(Ownership.SET);
    assertThat(delete(Optional.of(OURS), Ownership.NOT_SET).change()).isEqualTo(Change.NONE);
    assertThat(delete(Optional.of(OURS), Ownership.SET).change()).isEqualTo(Change.UNSET);

    // NOT_SET -> ADOPTED (someone set ours): no call; neither Delete unsets it.
    assertThat(update(Optional.of(OURS), Ownership.NOT_SET).ownership()).isEqualTo(Ownership.ADOPTED);
    assertThat(delete(Optional.of(OURS), Ownership.NOT_SET).change()).isEqualTo(Change.NONE);
    assertThat(delete(Optional.of(OURS), Ownership.ADOPTED).change()).isNotEqualTo(Change.UNSET);
  }
}
