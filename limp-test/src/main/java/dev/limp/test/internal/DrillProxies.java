package dev.limp.test.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The JDBC objects of a drill: a connection whose statements call {@link BeforeStatement} before each
 * {@code execute*}, on the calling thread; everything else passes to the real objects unchanged, exceptions
 * included. {@code unwrap} and {@code isWrapperFor} reach the real objects. Made with
 * {@link java.lang.reflect.Proxy}: for tests, not for a hot path. Stateless.
 */
public final class DrillProxies {
  /** What a statement does before it runs: slow down, wait to be released, or throw. */
  @FunctionalInterface
  public interface BeforeStatement {
    void beforeStatement() throws SQLException;
  }

  private DrillProxies() {}

  /** {@code connection}, its statements calling {@code before} before each execution. */
  public static Connection connection(Connection connection, BeforeStatement before) {
    return (Connection) Proxy.newProxyInstance(DrillProxies.class.getClassLoader(),
        new Class<?>[] {Connection.class}, new ConnectionHandler(connection, before));
  }

  private static final class ConnectionHandler implements InvocationHandler {
    private final Connection delegate;
    private final BeforeStatement before;

    ConnectionHandler(Connection delegate, BeforeStatement before) {
      this.delegate = delegate;
      this.before = before;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      Object own = objectMethod(proxy, method, args, delegate);
      if (own != null) {
        return own;
      }
      Object result = call(delegate, method, args);
      if (result instanceof Statement s && Statement.class.isAssignableFrom(method.getReturnType())) {
        return Proxy.newProxyInstance(DrillProxies.class.getClassLoader(), new Class<?>[] {method.getReturnType()},
            new StatementHandler(s, (Connection) proxy, before));
      }
      return result;
    }
  }

  private static final class StatementHandler implements InvocationHandler {
    private final Statement delegate;
    private final Connection connection;
    private final BeforeStatement before;

    StatementHandler(Statement delegate, Connection connection, BeforeStatement before) {
      this.delegate = delegate;
      this.connection = connection;
      this.before = before;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      Object own = objectMethod(proxy, method, args, delegate);
      if (own != null) {
        return own;
      }
      if (method.getName().equals("getConnection") && method.getParameterCount() == 0) {
        delegate.getConnection(); // throws if closed, as the driver would
        return connection;
      }
      if (method.getName().startsWith("execute")) {
        before.beforeStatement();
      }
      return call(delegate, method, args);
    }
  }

  /** {@code equals}, {@code hashCode}, {@code toString}, {@code unwrap}, {@code isWrapperFor}; else {@code null}. */
  private static Object objectMethod(Object proxy, Method method, Object[] args, Object delegate)
      throws SQLException {
    switch (method.getName()) {
      case "equals":
        return method.getParameterCount() == 1 ? proxy == args[0] : null;
      case "hashCode":
        return method.getParameterCount() == 0 ? System.identityHashCode(proxy) : null;
      case "toString":
        return method.getParameterCount() == 0 ? "drill(" + delegate + ")" : null;
      case "unwrap":
        if (method.getParameterCount() == 1 && ((Class<?>) args[0]).isInstance(proxy)) {
          return proxy;
        }
        return null;
      case "isWrapperFor":
        if (method.getParameterCount() == 1 && ((Class<?>) args[0]).isInstance(proxy)) {
          return Boolean.TRUE;
        }
        return null;
      default:
        return null;
    }
  }

  private static Object call(Object delegate, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
