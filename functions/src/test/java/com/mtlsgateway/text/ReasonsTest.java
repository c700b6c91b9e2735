package com.mtlsgateway.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReasonsTest {

  @Test
  void itemsEndingInAFullStopAreJoinedWithoutOne() {
    String reason = Reasons.list("Two problems: ", List.of("The first is bad.", "The second is worse."));

    assertThat(reason).isEqualTo("Two problems: The first is bad; The second is worse").doesNotContain(".;");
  }

  @Test
  void anAbbreviationsEllipsisIsKept() {
    String reason = Reasons.list("Problems: ", List.of(Reasons.abbreviate("x".repeat(50), 10), "Short"));

    assertThat(reason).isEqualTo("Problems: xxxxxxx...; Short");
  }

  @Test
  void itemsWithoutAFullStopAreUnchanged() {
    assertThat(Reasons.list("H: ", List.of("a: b", "c (d)"))).isEqualTo("H: a: b; c (d)");
  }
}
