package dev.limp.db;

/**
 * Reads a connection pool's occupancy. HikariCP is supported out of the box ({@link #hikari(Object)});
 * implement this for another pool. Called on the governor thread once per tick: it must be cheap, must not
 * block, and must not use a connection. A probe that throws is logged and its readings count as missing.
 */
@FunctionalInterface
public interface PoolProbe {
  /** The pool's occupancy now; racy point-in-time values, as pools report them. */
  PoolSnapshot sample();

  /**
   * A probe of a HikariCP pool, through its {@code HikariPoolMXBean}.
   *
   * @param hikariDataSource a {@code com.zaxxer.hikari.HikariDataSource}
   * @throws IllegalArgumentException if it is not one, or HikariCP is not on the class path
   */
  static PoolProbe hikari(Object hikariDataSource) {
    return HikariPoolProbe.of(hikariDataSource);
  }

  /** A pool's occupancy. Immutable. */
  record PoolSnapshot(int active, int idle, int total, int maximum, int waiting) {
    /** In-use connections over the maximum, 0 to 1; NaN when the maximum is unknown. */
    public double saturation() {
      return maximum <= 0 ? Double.NaN : Math.min(1.0, active / (double) maximum);
    }
  }
}
