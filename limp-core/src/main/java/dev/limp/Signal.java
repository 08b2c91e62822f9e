package dev.limp;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name and unit of a measured value the governor reads: application-query p99 latency, pool
 * saturation, acquire timeouts per second, … Signals are compared by name.
 *
 * <p>Immutable and thread-safe.
 */
public final class Signal {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*");

  /** How a signal's values are expressed; used for display and for metric base units. */
  public enum Unit {
    MILLISECONDS("ms"),
    /** A fraction between 0 and 1. */
    RATIO(""),
    /** A plain number (threads waiting, failures in the window). */
    COUNT(""),
    PER_SECOND("/s");

    private final String suffix;

    Unit(String suffix) {
      this.suffix = suffix;
    }

    String format(double value) {
      if (this == RATIO) {
        return String.format(java.util.Locale.ROOT, "%.0f %%", value * 100);
      }
      String number = value == Math.rint(value) && Math.abs(value) < 1e15
          ? Long.toString((long) value)
          : String.format(java.util.Locale.ROOT, "%.1f", value);
      return suffix.isEmpty() ? number : number + " " + suffix;
    }
  }

  private final String name;
  private final Unit unit;

  private Signal(String name, Unit unit) {
    this.name = name;
    this.unit = unit;
  }

  /**
   * A signal of the given name (lower case, dot-separated, as {@code db.query.p99}) and unit.
   *
   * @throws IllegalArgumentException if the name is not of that form
   */
  public static Signal of(String name, Unit unit) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("signal name must be lower case and dot-separated, like "
          + "'db.query.p99', but was '" + name + "'");
    }
    return new Signal(name, unit);
  }

  public String name() {
    return name;
  }

  public Unit unit() {
    return unit;
  }

  /** The value with this signal's unit, for logs and reasons: {@code "812 ms"}, {@code "78 %"}. */
  public String format(double value) {
    return unit.format(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Signal && ((Signal) o).name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
