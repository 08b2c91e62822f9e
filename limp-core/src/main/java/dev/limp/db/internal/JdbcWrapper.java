package dev.limp.db.internal;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * What every limp JDBC wrapper does the same way: {@link Wrapper#unwrap} and {@link Wrapper#isWrapperFor}
 * through {@link Unwrapping} (the wrapped object first, then the wrapper, then what the wrapped object wraps).
 * Public, like its subclasses, so that reflection through a wrapper's class reaches these methods. Thread-safe
 * as far as the wrapped object is.
 */
public abstract class JdbcWrapper implements Wrapper {
  private final Wrapper wrapped;

  JdbcWrapper(Wrapper wrapped) {
    this.wrapped = wrapped;
  }

  @Override
  public final <T> T unwrap(Class<T> iface) throws SQLException {
    return Unwrapping.unwrap(this, wrapped, iface);
  }

  @Override
  public final boolean isWrapperFor(Class<?> iface) throws SQLException {
    return Unwrapping.isWrapperFor(this, wrapped, iface);
  }
}
