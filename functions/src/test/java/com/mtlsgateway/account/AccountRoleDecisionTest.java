package com.mtlsgateway.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.mtlsgateway.account.AccountRoleDecision.Change;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every transition of the account setting, as (role set now, this stack's role, role recorded) -> change. */
class AccountRoleDecisionTest {
  private static final String OURS = "arn:aws:iam::111122223333:role/mtls-ApiGatewayCloudWatchRole-NEW";
  private static final String OUR_PREVIOUS = "arn:aws:iam::111122223333:role/mtls-ApiGatewayCloudWatchRole-OLD";
  private static final String THEIRS = "arn:aws:iam::111122223333:role/platform-team-apigateway-logs";
  private static final Optional<String> NONE = Optional.empty();

  private static AccountRoleDecision decide(Optional<String> current, Optional<String> recorded) {
    return AccountRoleDecision.forCreateOrUpdate(current, OURS, recorded);
  }

  @Test
  void createSetsOurRoleOnlyWhenNoneIsSet() {
    AccountRoleDecision none = decide(NONE, NONE);
    assertThat(none.change()).isEqualTo(Change.SET);
    assertThat(none.owned()).contains(OURS);
    assertThat(none.physicalId()).isEqualTo(AccountRoleDecision.SET_ID_PREFIX + OURS);

    AccountRoleDecision theirs = decide(Optional.of(THEIRS), NONE);
    assertThat(theirs.change()).isEqualTo(Change.NONE);
    assertThat(theirs.owned()).isEmpty();
    assertThat(theirs.physicalId()).isEqualTo(AccountRoleDecision.NOT_SET_ID);
    assertThat(theirs.reason()).contains("another role is set");
  }

  /** A retried Create, or an upgrade from the stack's former AWS::ApiGateway::Account, finds our role set. */
  @Test
  void ourRoleAlreadySetIsOursWithoutAChange() {
    AccountRoleDecision decision = decide(Optional.of(OURS), NONE);
    assertThat(decision.change()).isEqualTo(Change.NONE);
    assertThat(decision.owned()).contains(OURS);
    assertThat(decide(Optional.of(OURS), Optional.of(OURS))).isEqualTo(decision);
  }

  @Test
  void updateDecidesAgainFromWhatIsSetNow() {
    // Ours, unset since by someone: set again.
    assertThat(decide(NONE, Optional.of(OURS)).change()).isEqualTo(Change.SET);
    // Ours, replaced since by another role: left as it is, and no longer ours.
    AccountRoleDecision replaced = decide(Optional.of(THEIRS), Optional.of(OURS));
    assertThat(replaced.change()).isEqualTo(Change.NONE);
    assertThat(replaced.owned()).isEmpty();
    // Another's when created, unset since: now set to ours.
    AccountRoleDecision freed = decide(NONE, NONE);
    assertThat(freed.change()).isEqualTo(Change.SET);
    assertThat(freed.owned()).contains(OURS);
    // Our role replaced by a new one of this stack (RoleArn changed): the previous one we set is swapped.
    AccountRoleDecision swapped = decide(Optional.of(OUR_PREVIOUS), Optional.of(OUR_PREVIOUS));
    assertThat(swapped.change()).isEqualTo(Change.SET);
    assertThat(swapped.owned()).contains(OURS);
    // The previous role of ours recorded, but another set since: left.
    assertThat(decide(Optional.of(THEIRS), Optional.of(OUR_PREVIOUS)).change()).isEqualTo(Change.NONE);
  }

  @Test
  void deleteUnsetsOnlyTheRoleThisStackSetWhileItIsStillSet() {
    AccountRoleDecision ours = AccountRoleDecision.forDelete(Optional.of(OURS), Optional.of(OURS));
    assertThat(ours.change()).isEqualTo(Change.UNSET);
    assertThat(ours.owned()).isEmpty();

    AccountRoleDecision replaced = AccountRoleDecision.forDelete(Optional.of(THEIRS), Optional.of(OURS));
    assertThat(replaced.change()).isEqualTo(Change.NONE);
    assertThat(replaced.reason()).contains("replaced by another");
    assertThat(AccountRoleDecision.forDelete(NONE, Optional.of(OURS)).change()).isEqualTo(Change.NONE);
    AccountRoleDecision notOurs = AccountRoleDecision.forDelete(Optional.of(THEIRS), NONE);
    assertThat(notOurs.change()).isEqualTo(Change.NONE);
    assertThat(notOurs.reason()).contains("did not set");
    // Our role set, but recorded as not ours (someone else set it after this stack found theirs): not unset.
    assertThat(AccountRoleDecision.forDelete(Optional.of(OURS), NONE).change()).isEqualTo(Change.NONE);
  }

  /** The id a Create or Update answers is what a later Delete reads back; other ids record nothing. */
  @Test
  void thePhysicalIdRecordsTheRoleThisStackSet() {
    assertThat(AccountRoleDecision.recorded(decide(NONE, NONE).physicalId())).contains(OURS);
    assertThat(AccountRoleDecision.recorded(decide(Optional.of(THEIRS), NONE).physicalId())).isEmpty();
    assertThat(AccountRoleDecision.recorded("mtls-gateway:create-failed:6a1e0c52-3f7b-4d8a-b1c9-2e4f6a8b0c1d"))
        .isEmpty();
    assertThat(AccountRoleDecision.recorded(AccountRoleDecision.SET_ID_PREFIX)).isEmpty();
    assertThat(AccountRoleDecision.recorded(null)).isEmpty();
  }

  /** An Update whose ownership changes answers a new id: CloudFormation's Delete of the old one changes nothing. */
  @Test
  void whenOwnershipChangesTheOldIdsDeleteIsANoOp() {
    String oldId = decide(NONE, NONE).physicalId();
    AccountRoleDecision update = decide(Optional.of(THEIRS), AccountRoleDecision.recorded(oldId));
    assertThat(update.physicalId()).isNotEqualTo(oldId);
    assertThat(AccountRoleDecision.forDelete(Optional.of(THEIRS), AccountRoleDecision.recorded(oldId)).change())
        .isEqualTo(Change.NONE);

    String notSetId = decide(Optional.of(THEIRS), NONE).physicalId();
    AccountRoleDecision nowOurs = decide(NONE, AccountRoleDecision.recorded(notSetId));
    assertThat(nowOurs.physicalId()).isNotEqualTo(notSetId);
    assertThat(AccountRoleDecision.forDelete(Optional.of(OURS), AccountRoleDecision.recorded(notSetId)).change())
        .as("the old id recorded nothing: the role the new id set stays").isEqualTo(Change.NONE);

    String previousId = AccountRoleDecision.forCreateOrUpdate(NONE, OUR_PREVIOUS, NONE).physicalId();
    AccountRoleDecision swapped = decide(Optional.of(OUR_PREVIOUS), AccountRoleDecision.recorded(previousId));
    assertThat(swapped.physicalId()).isNotEqualTo(previousId);
    assertThat(AccountRoleDecision.forDelete(Optional.of(OURS), AccountRoleDecision.recorded(previousId)).change())
        .isEqualTo(Change.NONE);
  }
}
