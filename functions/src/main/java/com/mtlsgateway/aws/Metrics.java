package com.mtlsgateway.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * The stack's custom CloudWatch metrics: one data point per call, in namespace {@value #NAMESPACE} with the one
 * dimension {@value #DIMENSION} = the stack's name, which is what the stack's alarms watch.
 *
 * <p>Permission used: cloudwatch:PutMetricData (which has no resource ARN; the template scopes it with the
 * {@code cloudwatch:namespace} condition key).
 */
public final class Metrics {

  /** The CloudWatch namespace of every metric the stack publishes. */
  public static final String NAMESPACE = "MtlsGateway";
  /** The metrics' one dimension; its value is the stack's name. */
  public static final String DIMENSION = "StackName";
  /** The environment variable holding the stack's name (the template sets it to AWS::StackName). */
  public static final String STACK_NAME = "STACK_NAME";

  private static final double MILLIS_PER_HOUR = Duration.ofHours(1).toMillis();
  private static final double MILLIS_PER_DAY = Duration.ofDays(1).toMillis();

  private final CloudWatchClient cloudWatch;
  private final String stackName;

  /**
   * @param environment where {@value #STACK_NAME} is read
   * @throws MetricException when {@value #STACK_NAME} is not set (no data point could be published); the message
   *     names it and the fix
   */
  public Metrics(CloudWatchClient cloudWatch, Map<String, String> environment) {
    String name = environment.get(STACK_NAME);
    if (name == null || name.isBlank()) {
      throw new MetricException("the environment variable " + STACK_NAME + " is not set: it is the value of the"
          + " metrics' " + DIMENSION + " dimension, which the stack's alarms watch; the template sets it to the"
          + " stack's name; for a local run, set it as the template does (e.g. " + STACK_NAME + "=mtls-gateway-demo)",
          null);
    }
    this.cloudWatch = cloudWatch;
    this.stackName = name;
  }

  /** The value of the {@value #DIMENSION} dimension. */
  public String stackName() {
    return stackName;
  }

  /**
   * Publishes one data point (unit None).
   *
   * @throws MetricException when CloudWatch refuses it or cannot be reached; the message names the metric, the
   *     error and its fix
   */
  public void publish(String metricName, double value, Instant timestamp) {
    try {
      MetricDatum datum = MetricDatum.builder().metricName(metricName)
          .dimensions(Dimension.builder().name(DIMENSION).value(stackName).build()).unit(StandardUnit.NONE)
          .value(value).timestamp(timestamp).build();
      cloudWatch.putMetricData(b -> b.namespace(NAMESPACE).metricData(datum));
    } catch (SdkException e) {
      throw new MetricException(AwsErrors.describe("CloudWatch PutMetricData " + NAMESPACE + " " + metricName + " ("
          + DIMENSION + "=" + stackName + ")", e) + "; the function needs cloudwatch:PutMetricData with the condition"
          + " cloudwatch:namespace = " + NAMESPACE, e);
    }
  }

  /** Hours from {@code now} to {@code until}, with the fraction; negative when {@code until} has passed. */
  public static double hoursBetween(Instant now, Instant until) {
    return Duration.between(now, until).toMillis() / MILLIS_PER_HOUR;
  }

  /** Days (of 24 hours) from {@code now} to {@code until}, with the fraction; negative when it has passed. */
  public static double daysBetween(Instant now, Instant until) {
    return Duration.between(now, until).toMillis() / MILLIS_PER_DAY;
  }

  /** A data point was not published. */
  public static final class MetricException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MetricException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
