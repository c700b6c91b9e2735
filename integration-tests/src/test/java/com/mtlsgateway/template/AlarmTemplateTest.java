package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The alarms' destination in template.yaml: none (the default), the user's SNS topic (AlarmTopicArn), or a topic the
 * stack creates for AlarmEmail; the Rules refuse both.
 */
class AlarmTemplateTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** What AlarmEmail adds. */
  private static final Set<String> EMAIL_TOPIC = Set.of("AlarmTopic", "AlarmTopicPolicy", "AlarmEmailSubscription");

  private static CfnTemplate template;

  @BeforeAll
  static void load() throws IOException {
    template = CfnTemplate.load();
  }

  /** Expected: the topic the alarms notify (empty: none). */
  static Stream<Arguments> destinations() {
    return Stream.of(
        Arguments.of("no destination", UnaryOperator.<Scenario>identity(), ""),
        Arguments.of("AlarmTopicArn", (UnaryOperator<Scenario>) Scenario::withAlarmTopic, Scenario.ALARM_TOPIC),
        Arguments.of("AlarmEmail", (UnaryOperator<Scenario>) Scenario::withAlarmEmail, Scenario.CREATED_ALARM_TOPIC));
  }

  /** Only AlarmEmail creates a topic; the AlarmTopicArn output names whichever topic is notified. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("destinations")
  void theTopicIsTheUsersOrCreatedForTheEmail(String name, UnaryOperator<Scenario> change, String topic) {
    Scenario scenario = change.apply(Scenario.of(template));
    assertThat(scenario.failedRules()).isEmpty();
    Set<String> without = Scenario.of(template).resources();
    assertThat(without).doesNotContainAnyElementsOf(EMAIL_TOPIC);
    if (topic.equals(Scenario.CREATED_ALARM_TOPIC)) {
      assertThat(scenario.resources()).containsAll(EMAIL_TOPIC);
    } else {
      assertThat(scenario.resources()).doesNotContainAnyElementsOf(EMAIL_TOPIC);
    }
    JsonNode output = scenario.output("AlarmTopicArn");
    assertThat(output.isMissingNode() ? "" : output.asText()).isEqualTo(topic);
  }

  @Test
  void bothDestinationsAreRefusedWithTheFix() {
    List<String> failed = Scenario.of(template).withAlarmTopic().withAlarmEmail().failedRules();
    assertThat(failed).singleElement().asString()
        .startsWith("AlarmDestination: Give AlarmTopicArn or AlarmEmail, not both")
        .contains("subscribe the address");
  }

  /** The email subscription goes to the created topic. */
  @Test
  void theEmailIsSubscribedToTheCreatedTopic() {
    Scenario scenario = Scenario.of(template).withAlarmEmail();
    assertThat(template.type("AlarmEmailSubscription")).isEqualTo("AWS::SNS::Subscription");
    assertThat(scenario.property("AlarmEmailSubscription", "Protocol").asText()).isEqualTo("email");
    assertThat(scenario.property("AlarmEmailSubscription", "Endpoint").asText()).isEqualTo(Scenario.ALARM_EMAIL);
    assertThat(scenario.property("AlarmEmailSubscription", "TopicArn").asText())
        .isEqualTo(Scenario.CREATED_ALARM_TOPIC);
  }

  /**
   * The created topic takes only this account's alarms of this Region and only over TLS. No KMS key: CloudWatch cannot
   * publish to a topic under the AWS managed key alias/aws/sns (SNS developer guide, "Enable compatibility between
   * event sources from AWS services and encrypted topics").
   */
  @Test
  void theCreatedTopicTakesOnlyTheAccountsAlarmsOverTls() {
    Scenario scenario = Scenario.of(template).withAlarmEmail();
    assertThat(template.type("AlarmTopic")).isEqualTo("AWS::SNS::Topic");
    assertThat(template.properties("AlarmTopic").has("KmsMasterKeyId")).isFalse();
    assertThat(scenario.property("AlarmTopicPolicy", "Topics")).isEqualTo(json("[\"" + Scenario.CREATED_ALARM_TOPIC
        + "\"]"));
    assertThat(scenario.property("AlarmTopicPolicy", "PolicyDocument").path("Statement")).isEqualTo(json("""
        [{"Sid": "AllowCloudWatchAlarms", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
          "Action": "sns:Publish", "Resource": "%s",
          "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"},
                        "ArnLike": {"aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:*"}}},
         {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "sns:Publish",
          "Resource": "%s", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]"""
        .formatted(Scenario.CREATED_ALARM_TOPIC, Scenario.CREATED_ALARM_TOPIC)));
  }

  @Test
  void theDestinationParametersAcceptOnlyATopicArnOrAnAddress() {
    assertPattern("AlarmTopicArn", List.of("", Scenario.ALARM_TOPIC, "arn:aws-us-gov:sns:us-gov-west-1:111122223333:a_b-C"),
        List.of("ops-alarms", "arn:aws:sns:eu-west-1:111122223333:", "arn:aws:sqs:eu-west-1:111122223333:q",
            "arn:aws:sns:eu-west-1:111122223333:t:sub-id", " " + Scenario.ALARM_TOPIC));
    assertPattern("AlarmEmail", List.of("", Scenario.ALARM_EMAIL, "first.last+alarms@sub.example.org"),
        List.of("ops", "ops@example", "a@b@example.com", "ops@example.com,dev@example.com x",
            "ops @example.com"));
    for (String parameter : List.of("AlarmTopicArn", "AlarmEmail")) {
      assertThat(template.parameter(parameter).path("Default").asText()).as(parameter).isEmpty();
    }
  }

  private static void assertPattern(String parameter, List<String> accepted, List<String> refused) {
    Pattern pattern = Pattern.compile(template.parameter(parameter).path("AllowedPattern").asText());
    assertThat(accepted).as("%s accepts", parameter).allMatch(value -> pattern.matcher(value).matches());
    assertThat(refused).as("%s refuses", parameter).noneMatch(value -> pattern.matcher(value).matches());
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
