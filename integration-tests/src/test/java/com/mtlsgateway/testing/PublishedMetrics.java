package com.mtlsgateway.testing;

import com.mtlsgateway.aws.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** The stack's custom metrics as an alarm reads them back from CloudWatch (moto's, in these tests). */
public final class PublishedMetrics {

  private PublishedMetrics() {}

  /**
   * The data points of {@code metric} in the stack's namespace for {@code stack}'s dimension over the last hour (and
   * the next, for clocks that differ), in one-minute periods, with their minimum and sample count.
   */
  public static List<Datapoint> of(CloudWatchClient cloudWatch, String metric, String stack) {
    Instant now = Instant.now();
    return cloudWatch.getMetricStatistics(b -> b.namespace(Metrics.NAMESPACE).metricName(metric)
        .dimensions(Dimension.builder().name(Metrics.DIMENSION).value(stack).build())
        .startTime(now.minus(Duration.ofHours(1))).endTime(now.plus(Duration.ofHours(1))).period(60)
        .statistics(Statistic.MINIMUM, Statistic.SAMPLE_COUNT)).datapoints();
  }
}
