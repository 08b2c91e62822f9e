package dev.limp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The shared text rule: what an operator typed can never start a log line of its own. */
class ChecksTest {
  @Test
  void printableEscapesEveryLineBreakAndControlCharacterAndKeepsTheRest() {
    assertEquals("a\\nb\\rc\\td\\u001be\\u2028f\\u0085g", Checks.printable("a\nb\rc\td\u001be\u2028f\u0085g"));
  }

  @Test
  void printableReturnsCleanTextItself() {
    String clean = "storage cannot keep up (ticket 4711) — é ✓";
    assertSame(clean, Checks.printable(clean));
  }
}
