package dev.limp.db;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * Reads HikariCP's pool through {@link HikariPoolMXBean}. Only loaded when HikariCP is on the class path
 * (it is an optional dependency of limp). Thread-safe.
 */
final class HikariPoolProbe implements PoolProbe {
  private static final boolean PRESENT = present();

  private final HikariDataSource dataSource;

  private HikariPoolProbe(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  private static boolean present() {
    try {
      Class.forName("com.zaxxer.hikari.HikariDataSource", false, PoolProbe.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Whether HikariCP is on the class path. */
  static boolean isPresent() {
    return PRESENT;
  }

  static PoolProbe of(Object dataSource) {
    if (!PRESENT) {
      throw new IllegalArgumentException("HikariCP is not on the class path");
    }
    if (!(dataSource instanceof HikariDataSource)) {
      throw new IllegalArgumentException("a HikariCP probe needs a com.zaxxer.hikari.HikariDataSource, but got "
          + (dataSource == null ? "null" : dataSource.getClass().getName()));
    }
    return new HikariPoolProbe((HikariDataSource) dataSource);
  }

  /** The Hikari pool behind a DataSource, found by unwrapping, or {@code null}. */
  static PoolProbe find(javax.sql.DataSource dataSource) {
    if (!PRESENT) {
      return null;
    }
    try {
      if (dataSource instanceof HikariDataSource) {
        return new HikariPoolProbe((HikariDataSource) dataSource);
      }
      if (dataSource.isWrapperFor(HikariDataSource.class)) {
        return new HikariPoolProbe(dataSource.unwrap(HikariDataSource.class));
      }
    } catch (java.sql.SQLException | RuntimeException e) {
      return null;
    }
    return null;
  }

  @Override
  public PoolSnapshot sample() {
    HikariPoolMXBean pool = dataSource.getHikariPoolMXBean(); // null until the pool has started
    int maximum = dataSource.getMaximumPoolSize();
    if (pool == null) {
      return new PoolSnapshot(0, 0, 0, maximum, 0);
    }
    return new PoolSnapshot(pool.getActiveConnections(), pool.getIdleConnections(), pool.getTotalConnections(),
        maximum, pool.getThreadsAwaitingConnection());
  }

  /** The connections the pool keeps open once started: its {@code minimumIdle}, at most its maximum. */
  int minimumIdle() {
    int maximum = dataSource.getMaximumPoolSize();
    int minimum = dataSource.getMinimumIdle(); // -1 until HikariCP has validated a config that left it unset
    return minimum < 0 || minimum > maximum ? maximum : minimum;
  }

  @Override
  public String toString() {
    return "HikariPoolProbe[" + dataSource.getPoolName() + "]";
  }
}
