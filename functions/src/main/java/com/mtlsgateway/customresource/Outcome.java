package com.mtlsgateway.customresource;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a handler's create, update or delete returns; the runtime turns it into a SUCCESS response.
 *
 * @param physicalResourceId the resource's id: non-empty, at most 1,024 bytes of UTF-8, no control characters
 *     (CloudFormation User Guide, crpg-ref-responses: "up to 1 KB", "non-empty"). Null keeps the event's id, which
 *     is only allowed on Update and Delete; on Update a different id means replacement, and CloudFormation will
 *     later send a Delete for the old one.
 * @param data values read with {@code Fn::GetAtt}; copied and sorted by name so that the same outcome always gives
 *     the same response body. The whole response must fit in 4,096 bytes, or the request is answered FAILED.
 * @param noEcho when true, CloudFormation masks the data in outputs and the console
 */
public record Outcome(String physicalResourceId, Map<String, String> data, boolean noEcho) {

  /** @throws IllegalArgumentException when the id is not valid or the data holds a null name or value */
  public Outcome {
    if (physicalResourceId != null) {
      ResponseBody.physicalIdProblem(physicalResourceId).ifPresent(problem -> {
        throw new IllegalArgumentException("The PhysicalResourceId returned by the handler " + problem);
      });
    }
    SortedMap<String, String> sorted = new TreeMap<>();
    data.forEach((name, value) -> {
      if (name == null || value == null) {
        throw new IllegalArgumentException("Data entry " + name + " has a null name or value");
      }
      sorted.put(name, value);
    });
    data = Collections.unmodifiableSortedMap(sorted);
  }

  /** An outcome with no data. */
  public static Outcome of(String physicalResourceId) {
    return new Outcome(physicalResourceId, Map.of(), false);
  }

  /** An outcome with data. */
  public static Outcome of(String physicalResourceId, Map<String, String> data) {
    return new Outcome(physicalResourceId, data, false);
  }

  /** An Update or Delete outcome that keeps the event's PhysicalResourceId. */
  public static Outcome sameId(Map<String, String> data) {
    return new Outcome(null, data, false);
  }
}
