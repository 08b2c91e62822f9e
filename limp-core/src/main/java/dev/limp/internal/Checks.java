package dev.limp.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The validation rules shared by every builder and every operator front end (code, JMX, Actuator), so that
 * each rule, and its message, exists once. Each method returns the value it accepted and throws
 * {@link NullPointerException} for {@code null} (naming the setting) or {@link IllegalArgumentException}
 * with a message that names the setting, the rule and the rejected value. Internal: not part of the API.
 */
public final class Checks {
  /** The longest duration the nanosecond clock can measure (about 292 years). */
  public static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

  private Checks() {
  }

  /** A duration above zero and within the range of the nanosecond clock. */
  public static Duration positive(String setting, Duration value) {
    Objects.requireNonNull(value, setting);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(setting + " must be positive, but was " + value);
    }
    if (value.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException(setting + " must be at most " + MAX_NANOS + " (the range of the "
          + "nanosecond clock), but was " + value);
    }
    return value;
  }

  /**
   * A duration above zero and at most {@code max}; {@code why} says where the bound comes from (another
   * setting's name, or the reason for a fixed bound), in the message.
   */
  public static Duration positiveAtMost(String setting, Duration value, String why, Duration max) {
    Objects.requireNonNull(value, setting);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(setting + " must be positive, but was " + value);
    }
    if (value.compareTo(max) > 0) {
      throw new IllegalArgumentException(setting + " must be at most " + max + " (" + why + "), but was "
          + value);
    }
    return value;
  }

  /** A duration from {@code min} to {@code max}, both included. */
  public static Duration within(String setting, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, setting);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(setting + " must be between " + min + " and " + max + ", but was "
          + value);
    }
    return value;
  }

  /** A fraction above 0 and at most 1. */
  public static double fraction(String setting, double value) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException(setting + " must be a fraction in (0, 1], but was " + value);
    }
    return value;
  }

  /** A finite number at least 0. */
  public static double nonNegative(String setting, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(setting + " must be a finite number at least 0, but was " + value);
    }
    return value;
  }

  /**
   * {@code text} with every control character (line breaks, tabs, escapes, and the Unicode line and paragraph
   * separators) written as a visible escape ({@code \n}, {@code \r}, {@code \t}, otherwise a backslash, u and
   * four hex digits), so that text an operator
   * or a client typed can never start a log line or an audit record of its own.
   */
  public static String printable(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
      if (control && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (out != null) {
        if (!control) {
          out.append(c);
        } else if (c == '\n') {
          out.append("\\n");
        } else if (c == '\r') {
          out.append("\\r");
        } else if (c == '\t') {
          out.append("\\t");
        } else {
          out.append(String.format("\\u%04x", (int) c));
        }
      }
    }
    return out == null ? text : out.toString();
  }

  /** {@code d × factor}, at most the range of the nanosecond clock. */
  public static Duration times(Duration d, int factor) {
    return d.compareTo(MAX_NANOS.dividedBy(factor)) > 0 ? MAX_NANOS : d.multipliedBy(factor);
  }

  /** A {@code max} setting that is not below its {@code min} setting: a conflict between two settings, so {@link IllegalStateException}. */
  public static Duration notBelow(String maxSetting, Duration max, String minSetting, Duration min) {
    if (max.compareTo(min) < 0) {
      throw new IllegalStateException(maxSetting + " must be at least " + minSetting + " (" + min
          + "), but was " + max);
    }
    return max;
  }
}
