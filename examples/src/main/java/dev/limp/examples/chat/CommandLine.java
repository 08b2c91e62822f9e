package dev.limp.examples.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * The options of a runnable example: {@code --name=value} program arguments, or system properties under a
 * prefix ({@code -Dlimp.demo.name=value}) when no argument names them. Immutable.
 */
public final class CommandLine {
  private final String[] args;
  private final String propertyPrefix;

  /**
   * @param propertyPrefix the system properties read when no argument names an option, such as
   *     {@code "limp.demo."}; {@code null} for arguments only
   */
  public CommandLine(String[] args, String propertyPrefix) {
    this.args = args.clone();
    this.propertyPrefix = propertyPrefix;
  }

  /** The option's value, or {@code fallback}. */
  public String option(String name, String fallback) {
    Objects.requireNonNull(name, "name");
    for (String arg : args) {
      if (arg.startsWith("--" + name + "=")) {
        return arg.substring(name.length() + 3);
      }
    }
    return propertyPrefix == null ? fallback : System.getProperty(propertyPrefix + name, fallback);
  }

  /**
   * The option as a number of seconds, or {@code fallback} seconds.
   *
   * @throws IllegalArgumentException naming the option and the value, if it is not a number of seconds
   *     in (0, {@code maxSeconds}]
   */
  public Duration seconds(String name, double fallback, double maxSeconds) {
    String value = option(name, null);
    double s = fallback;
    if (value != null) {
      try {
        s = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a number of seconds, but was '" + value + "'", e);
      }
    }
    if (!(s > 0 && s <= maxSeconds)) {
      throw new IllegalArgumentException(name + " must be between 0 and " + (long) maxSeconds
          + " seconds, but was " + value);
    }
    return Duration.ofMillis((long) (s * 1000));
  }
}
