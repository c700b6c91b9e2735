package com.mtlsgateway.aws;

import com.mtlsgateway.customresource.Backoff;
import com.mtlsgateway.customresource.CustomResourceException;
import com.mtlsgateway.customresource.Deadline;
import com.mtlsgateway.text.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.model.ConflictException;
import software.amazon.awssdk.services.apigateway.model.TooManyRequestsException;

/**
 * One API Gateway call from a custom resource, retried while its {@link Deadline} allows: throttling
 * ({@code TooManyRequestsException}, whose quotas are low for account and API changes) and
 * {@code ConflictException} always, and whatever else the caller names as passing. Waits follow the caller's
 * {@link Backoff}, never shorter than the Retry-After API Gateway sent.
 */
public final class ApiGatewayRetries {

  /** The fix when retries ran out of time on a passing failure. */
  public static final String RETRY_THE_DEPLOYMENT =
      ": retry the deployment (and raise the function's Timeout if this repeats)";

  private ApiGatewayRetries() {}

  /**
   * Runs {@code action}, retrying as described above. Exceptions other than {@link SdkException} (e.g. the
   * caller's own from inside {@code action}) pass through untouched.
   *
   * @param operation names the call in messages, e.g. {@code API Gateway GetAccount}
   * @param alsoRetry further failures to retry (e.g. a role API Gateway cannot use yet); any other fails at once
   * @param fix       the fix appended when a retry would outlast the deadline, given the last failure: a clause
   *     starting with ": ", such as {@link #RETRY_THE_DEPLOYMENT}
   * @return what {@code action} returned
   * @throws CustomResourceException naming the operation and AWS's error: at once for a failure not retried; with
   *     the attempts, the time spent and {@code fix} when retries would outlast the deadline
   * @throws InterruptedException while waiting between attempts
   */
  public static <T> T call(String operation, Backoff backoff, Deadline deadline, Clock clock,
      Predicate<SdkException> alsoRetry, Function<SdkException, String> fix, Supplier<T> action)
      throws InterruptedException {
    Backoff.Waits waits = backoff.waits();
    Instant start = clock.instant();
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        return action.get();
      } catch (SdkException e) {
        boolean passing = e instanceof TooManyRequestsException || e instanceof ConflictException
            || alsoRetry.test(e);
        if (!passing) {
          throw new CustomResourceException(AwsErrors.describe(operation, e));
        }
        Duration pause = waits.next(AwsErrors.retryAfter(e));
        if (!backoff.fits(pause, deadline)) {
          throw new CustomResourceException(AwsErrors.describe(operation, e) + "; gave up after " + attempts
              + (attempts == 1 ? " attempt" : " attempts") + " in "
              + Durations.readable(Duration.between(start, clock.instant())) + " as the function's time ran out"
              + fix.apply(e));
        }
        Thread.sleep(pause.toMillis());
      }
    }
  }
}
