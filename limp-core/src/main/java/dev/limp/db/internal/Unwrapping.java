package dev.limp.db.internal;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * {@link Wrapper#unwrap} and {@link Wrapper#isWrapperFor} for limp's JDBC wrappers: the wrapper itself when
 * it is what was asked for (so that {@code unwrap(Connection.class)} hands back the monitored connection,
 * whose close limp sees), then the wrapped object (so that {@code unwrap(HikariDataSource.class)} finds the
 * pool, as HikariCP's own proxies do), then whatever the wrapped object wraps.
 */
public final class Unwrapping {
  private Unwrapping() {
  }

  public static <T> T unwrap(Object wrapper, Wrapper delegate, Class<T> iface) throws SQLException {
    if (iface.isInstance(wrapper)) {
      return iface.cast(wrapper);
    }
    if (iface.isInstance(delegate)) {
      return iface.cast(delegate);
    }
    return delegate.unwrap(iface);
  }

  public static boolean isWrapperFor(Object wrapper, Wrapper delegate, Class<?> iface) throws SQLException {
    return iface.isInstance(wrapper) || iface.isInstance(delegate) || delegate.isWrapperFor(iface);
  }
}
