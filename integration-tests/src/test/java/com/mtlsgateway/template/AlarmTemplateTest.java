package com.mtlsgateway.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The alarms of template.yaml: which exist for which parameters, what each watches (metric, dimensions, threshold,
 * missing data), and where they notify: nowhere (the default; the alarms exist all the same), the user's SNS topic
 * (AlarmTopicArn), or a topic the stack creates for AlarmEmail; the Rules refuse both.
 */
class AlarmTemplateTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** What AlarmEmail adds. */
  private static final Set<String> EMAIL_TOPIC = Set.of("AlarmTopic", "AlarmTopicPolicy", "AlarmEmailSubscription");
  /** The alarms of every stack. */
  private static final Set<String> ALWAYS = Set.of("ServerCertificateExpiryAlarm", "TruststoreExpiryAlarm",
      "Stage5xxAlarm");
  /** The alarms on metrics that stop when something is wrong: "no data" is notified too. */
  private static final Set<String> HEARTBEATS = Set.of("ServerCertificateExpiryAlarm",
      "OwnershipCertificateExpiryAlarm", "TruststoreExpiryAlarm", "RevocationNextUpdateAlarm");
  private static final String CRLS = "s3://crl-bucket/ca.crl,http://crl.example.com/ca2.crl";
  /** The names the truststore expiry check and the revocation refresh publish under. */
  private static final String NAMESPACE = "MtlsGateway";

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
    assertPattern("AlarmTopicArn",
        List.of("", Scenario.ALARM_TOPIC, "arn:aws-us-gov:sns:us-gov-west-1:111122223333:a_b-C"),
        List.of("ops-alarms", "arn:aws:sns:eu-west-1:111122223333:", "arn:aws:sqs:eu-west-1:111122223333:q",
            "arn:aws:sns:eu-west-1:111122223333:t:sub-id", " " + Scenario.ALARM_TOPIC));
    assertPattern("AlarmEmail", List.of("", Scenario.ALARM_EMAIL, "first.last+alarms@sub.example.org"),
        List.of("ops", "ops@example", "a@b@example.com", "ops@example.com,dev@example.com x",
            "ops @example.com"));
    for (String parameter : List.of("AlarmTopicArn", "AlarmEmail")) {
      assertThat(template.parameter(parameter).path("Default").asText()).as(parameter).isEmpty();
    }
  }

  /** Expected: the alarms beyond {@link #ALWAYS}. */
  static Stream<Arguments> alarmSets() {
    return Stream.of(
        Arguments.of("CertificateArn", UnaryOperator.<Scenario>identity(), Set.of()),
        Arguments.of("CertificateArn with its ownership certificate",
            (UnaryOperator<Scenario>) s -> s.with("OwnershipVerificationCertificateArn",
                Scenario.OWNERSHIP_CERTIFICATE),
            Set.of("OwnershipCertificateExpiryAlarm")),
        Arguments.of("an imported certificate", (UnaryOperator<Scenario>) Scenario::importing,
            Set.of("OwnershipCertificateExpiryAlarm")),
        Arguments.of("revocation", (UnaryOperator<Scenario>) s -> s.withRevocation(CRLS),
            Set.of("RevocationNextUpdateAlarm", "RevocationRefreshFailedAlarm")),
        Arguments.of("an imported certificate and revocation",
            (UnaryOperator<Scenario>) s -> s.importing().withRevocation(CRLS),
            Set.of("OwnershipCertificateExpiryAlarm", "RevocationNextUpdateAlarm", "RevocationRefreshFailedAlarm")));
  }

  /**
   * The ownership certificate's alarm exists when there is one, the CRLs' alarms with revocation; the destination
   * changes nothing.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("alarmSets")
  void theAlarmsFollowTheCertificatesAndRevocation(String name, UnaryOperator<Scenario> change, Set<String> more) {
    Set<String> expected = new TreeSet<>(ALWAYS);
    expected.addAll(more);
    for (UnaryOperator<Scenario> destination : List.<UnaryOperator<Scenario>>of(s -> s, Scenario::withAlarmTopic,
        Scenario::withAlarmEmail)) {
      Scenario scenario = destination.apply(change.apply(Scenario.of(template)));
      assertThat(scenario.failedRules()).isEmpty();
      assertThat(alarms(scenario)).isEqualTo(expected);
    }
  }

  /**
   * Every alarm notifies the destination on ALARM, and the ones on metrics that stop when something is wrong also on
   * INSUFFICIENT_DATA; never on OK (a new alarm going OK would mail every alarm after each first deploy). Without a
   * destination, no actions at all.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("destinations")
  void everyAlarmNotifiesTheDestination(String name, UnaryOperator<Scenario> change, String topic) {
    Scenario scenario = change.apply(Scenario.of(template).importing().withRevocation(CRLS));
    Set<String> alarms = alarms(scenario);
    assertThat(alarms).containsAll(HEARTBEATS).contains("Stage5xxAlarm", "RevocationRefreshFailedAlarm");
    for (String alarm : alarms) {
      JsonNode expected = topic.isEmpty() ? MissingNode.getInstance() : json("[\"" + topic + "\"]");
      assertThat(scenario.property(alarm, "AlarmActions")).as("%s AlarmActions", alarm).isEqualTo(expected);
      assertThat(scenario.property(alarm, "InsufficientDataActions")).as("%s InsufficientDataActions", alarm)
          .isEqualTo(HEARTBEATS.contains(alarm) ? expected : MissingNode.getInstance());
      assertThat(template.properties(alarm).has("OKActions")).as("%s OKActions", alarm).isFalse();
    }
  }

  /**
   * ACM's DaysToExpiry of the certificate the domain serves (given or imported) and of the ownership certificate: the
   * lowest value of a day, at or below CertificateExpiryAlarmDays in one of the last two days; two days without any
   * value (expired, deleted) is INSUFFICIENT_DATA, not OK.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("certificates")
  void theCertificateAlarmsWatchAcmDaysToExpiry(String name, UnaryOperator<Scenario> change, String alarm,
      String certificate) {
    Scenario scenario = change.apply(Scenario.of(template)).with("CertificateExpiryAlarmDays", "45");
    assertThat(template.parameter("CertificateExpiryAlarmDays").path("Default").asInt()).isEqualTo(30);
    assertDaily(scenario, alarm, "AWS/CertificateManager", "DaysToExpiry",
        json("[{\"Name\": \"CertificateArn\", \"Value\": \"" + certificate + "\"}]"), "45");
    if (alarm.equals("ServerCertificateExpiryAlarm")) {
      assertThat(scenario.property(alarm, "Dimensions").get(0).path("Value"))
          .as("the certificate the domain serves").isEqualTo(scenario.property("Domain", "RegionalCertificateArn"));
    }
    assertThat(scenario.property(alarm, "AlarmDescription").asText()).contains(certificate);
  }

  static Stream<Arguments> certificates() {
    return Stream.of(
        Arguments.of("given server certificate", UnaryOperator.<Scenario>identity(), "ServerCertificateExpiryAlarm",
            Scenario.CERTIFICATE),
        Arguments.of("imported server certificate", (UnaryOperator<Scenario>) Scenario::importing,
            "ServerCertificateExpiryAlarm", Scenario.IMPORTED_CERTIFICATE),
        Arguments.of("ownership certificate", (UnaryOperator<Scenario>) Scenario::importing,
            "OwnershipCertificateExpiryAlarm", Scenario.OWNERSHIP_CERTIFICATE));
  }

  /** The daily check's TruststoreDaysToEarliestExpiry (namespace MtlsGateway, dimension StackName). */
  @Test
  void theTruststoreAlarmWatchesTheDailyCheck() {
    Scenario scenario = Scenario.of(template).with("TruststoreExpiryAlarmDays", "60");
    assertThat(template.parameter("TruststoreExpiryAlarmDays").path("Default").asInt()).isEqualTo(30);
    assertDaily(scenario, "TruststoreExpiryAlarm", NAMESPACE, "TruststoreDaysToEarliestExpiry",
        json("[{\"Name\": \"StackName\", \"Value\": \"mtls\"}]"), "60");
  }

  /**
   * The refresh's RevocationHoursToEarliestNextUpdate plus the grace period is the time left before the CA's clients
   * get RevocationFailMode: at or below RevocationNextUpdateAlarmHours in any hour of the last day; a day without a
   * value is INSUFFICIENT_DATA.
   */
  @Test
  void theRevocationAlarmWatchesTheTimeLeftBeforeTheFailMode() {
    Scenario scenario = Scenario.of(template).withRevocation(CRLS).with("RevocationGracePeriodHours", "6")
        .with("RevocationNextUpdateAlarmHours", "3");
    assertThat(template.parameter("RevocationNextUpdateAlarmHours").path("Default").asInt()).isEqualTo(12);
    String alarm = "RevocationNextUpdateAlarm";
    assertThat(scenario.property(alarm, "Metrics")).isEqualTo(json("""
        [{"Id": "hours", "ReturnData": false, "MetricStat": {"Period": 3600, "Stat": "Minimum",
          "Metric": {"Namespace": "MtlsGateway", "MetricName": "RevocationHoursToEarliestNextUpdate",
                     "Dimensions": [{"Name": "StackName", "Value": "mtls"}]}}},
         {"Id": "left", "Expression": "hours + 6", "Label": "Hours until the earliest CRL is no longer used",
          "ReturnData": true}]"""));
    assertThat(scenario.property(alarm, "Threshold").asText()).isEqualTo("3");
    assertThat(scenario.property(alarm, "ComparisonOperator").asText()).isEqualTo("LessThanOrEqualToThreshold");
    assertThat(scenario.property(alarm, "EvaluationPeriods").asInt()).isEqualTo(24);
    assertThat(scenario.property(alarm, "DatapointsToAlarm").asInt()).isEqualTo(1);
    assertThat(scenario.property(alarm, "TreatMissingData").asText()).isEqualTo("missing");
    assertThat(scenario.property(alarm, "AlarmDescription").asText()).contains("(6 h)", "RevocationFailMode CLOSED");
  }

  /**
   * The stage's 5XXError over Count in percent, counted only in 5-minute periods with at least
   * Stage5xxAlarmMinRequests requests; ApiName is the RestApi's Name. No traffic is no error.
   */
  @Test
  void theStageAlarmWatchesThe5xxRateWithEnoughRequests() {
    Scenario scenario = Scenario.of(template).with("Stage5xxRateAlarmPercent", "2")
        .with("Stage5xxAlarmMinRequests", "50").with("StageName", "v1");
    assertThat(template.parameter("Stage5xxRateAlarmPercent").path("Default").asInt()).isEqualTo(5);
    assertThat(template.parameter("Stage5xxAlarmMinRequests").path("Default").asInt()).isEqualTo(20);
    String alarm = "Stage5xxAlarm";
    JsonNode dimensions = json("""
        [{"Name": "ApiName", "Value": "mtls"}, {"Name": "Stage", "Value": "v1"}]""");
    assertThat(scenario.property(alarm, "Metrics")).isEqualTo(json("""
        [{"Id": "errors", "ReturnData": false, "MetricStat": {"Period": 300, "Stat": "Sum",
          "Metric": {"Namespace": "AWS/ApiGateway", "MetricName": "5XXError", "Dimensions": %s}}},
         {"Id": "requests", "ReturnData": false, "MetricStat": {"Period": 300, "Stat": "Sum",
          "Metric": {"Namespace": "AWS/ApiGateway", "MetricName": "Count", "Dimensions": %s}}},
         {"Id": "rate", "Expression": "IF(requests >= 50, 100 * errors / requests, 0)",
          "Label": "5XX responses (% of requests)", "ReturnData": true}]""".replace("%s", dimensions.toString())));
    assertThat(template.properties(alarm).path("Metrics").get(0).path("MetricStat").path("Metric").path("Dimensions")
        .get(0).path("Value")).as("ApiName is the RestApi's Name")
        .isEqualTo(template.properties("RestApi").path("Name"));
    assertThat(scenario.property(alarm, "Threshold").asText()).isEqualTo("2");
    assertThat(scenario.property(alarm, "ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
    assertThat(scenario.property(alarm, "EvaluationPeriods").asInt()).isEqualTo(1);
    assertThat(scenario.property(alarm, "TreatMissingData").asText()).isEqualTo("notBreaching");
  }

  /**
   * Each description is what the notification's reader sees first: the stack, what happened, and what to do; within
   * CloudWatch's 1,024 characters even with the longest stack name (128) and domain name (253).
   */
  @Test
  void everyDescriptionSaysWhatHappenedAndWhatToDo() {
    String domain = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(57) + ".com";
    assertThat(domain).hasSize(253).matches(template.parameter("DomainName").path("AllowedPattern").asText());
    Scenario longest = Scenario.of(template).importing().withRevocation(CRLS).with("DomainName", domain)
        .with("AWS::StackName", "s".repeat(128));
    Scenario sample = Scenario.of(template).importing().withRevocation(CRLS);
    for (String alarm : alarms(sample)) {
      assertThat(longest.property(alarm, "AlarmDescription").asText()).as(alarm).hasSizeLessThanOrEqualTo(1024);
      assertThat(sample.property(alarm, "AlarmDescription").asText()).as(alarm).startsWith("mtls: ")
          .contains("To do: ");
    }
    assertThat(sample.property("ServerCertificateExpiryAlarm", "AlarmDescription").asText())
        .contains("https://api.example.com/", "Importing your own certificate");
    assertThat(sample.property("TruststoreExpiryAlarm", "AlarmDescription").asText())
        .contains("https://api.example.com/", "\"Rotate the truststore\"", "bin/mtls truststore validate",
            "/aws/lambda/mtls-truststore-expiry");
    assertThat(sample.property("OwnershipCertificateExpiryAlarm", "AlarmDescription").asText())
        .contains("every update of the custom domain fails", "\"Ownership verification certificate\"");
  }

  /** Alarm names start with the stack's name, which the AlarmsCommand output lists by. */
  @Test
  void theAlarmsAreNamedAfterTheStack() {
    Scenario scenario = Scenario.of(template).importing().withRevocation(CRLS);
    for (String alarm : alarms(scenario)) {
      JsonNode name = scenario.property(alarm, "AlarmName");
      if (!name.isMissingNode()) {
        assertThat(name.asText()).as(alarm).startsWith("mtls-");
      }
    }
    assertThat(scenario.property("Stage5xxAlarm", "AlarmName").asText()).isEqualTo("mtls-stage-5xx-rate");
    assertThat(scenario.output("AlarmsCommand").asText()).isEqualTo("aws cloudwatch describe-alarms "
        + "--alarm-name-prefix mtls- --query 'MetricAlarms[].[AlarmName,StateValue]' --output table");
  }

  private static void assertDaily(Scenario scenario, String alarm, String namespace, String metric,
      JsonNode dimensions, String threshold) {
    assertThat(scenario.property(alarm, "Namespace").asText()).as(alarm).isEqualTo(namespace);
    assertThat(scenario.property(alarm, "MetricName").asText()).as(alarm).isEqualTo(metric);
    assertThat(scenario.property(alarm, "Dimensions")).as(alarm).isEqualTo(dimensions);
    assertThat(scenario.property(alarm, "Statistic").asText()).as(alarm).isEqualTo("Minimum");
    assertThat(scenario.property(alarm, "Period").asInt()).as(alarm).isEqualTo(86400);
    assertThat(scenario.property(alarm, "EvaluationPeriods").asInt()).as(alarm).isEqualTo(2);
    assertThat(scenario.property(alarm, "DatapointsToAlarm").asInt()).as(alarm).isEqualTo(1);
    assertThat(scenario.property(alarm, "Threshold").asText()).as(alarm).isEqualTo(threshold);
    assertThat(scenario.property(alarm, "ComparisonOperator").asText()).as(alarm)
        .isEqualTo("LessThanOrEqualToThreshold");
    assertThat(scenario.property(alarm, "TreatMissingData").asText()).as(alarm).isEqualTo("missing");
  }

  private static Set<String> alarms(Scenario scenario) {
    Set<String> alarms = new TreeSet<>(template.resourcesOfType("AWS::CloudWatch::Alarm").keySet());
    alarms.retainAll(scenario.resources());
    return alarms;
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
