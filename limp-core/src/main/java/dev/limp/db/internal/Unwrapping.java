package dev.limp.db.internal;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * {@link Wrapper#unwrap} and {@link Wrapper#isWrapperFor} for limp's JDBC wrappers: the wrapped object first
 * (so that {@code unwrap(HikariDataSource.class)} finds the pool, as HikariCP's own proxies do), then the
 * wrapper itself, then whatever the wrapped object wraps.
 */
public final class Unwrapping {
  private Unwrapping() {
  }

  public static <T> T unwrap(Object wrapper, Wrapper delegate, Class<T> iface) throws SQLException {
    if (iface.isInstance(delegate)) {
      return iface.cast(delegate);
    }
    if (iface.isInstance(wrapper)) {
      return iface.cast(wrapper);
    }
    return delegate.unwrap(iface);
  }

  public static boolean isWrapperFor(Object wrapper, Wrapper delegate, Class<?> iface) throws SQLException {
    return iface.isInstance(delegate) || iface.isInstance(wrapper) || delegate.isWrapperFor(iface);
  }
}
