package dev.limp.spring;

import java.util.Objects;

/**
 * A limp setting the application gave is wrong: thrown at start-up, turned into a failure-analysis report
 * (what is wrong, the property or bean, and the action to take) by limp's {@code FailureAnalyzer}.
 */
public class LimpConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The property, or the bean and method, that holds the wrong setting. */
  private final String source;
  /** The rejected value, as given; {@code null} when there is none to quote. */
  private final String value;
  /** What to do about it. */
  private final String action;

  public LimpConfigurationException(String source, Object value, String problem, String action,
      Throwable cause) {
    super(source + (value == null ? "" : " = '" + value + "'") + ": " + problem, cause);
    this.source = Objects.requireNonNull(source, "source");
    this.value = value == null ? null : String.valueOf(value);
    this.action = Objects.requireNonNull(action, "action");
  }

  /** The property, or the bean and method, that holds the wrong setting. */
  public String source() {
    return source;
  }

  /** The rejected value, as given; {@code null} when there is none to quote. */
  public String value() {
    return value;
  }

  /** What to do about it. */
  public String action() {
    return action;
  }
}
