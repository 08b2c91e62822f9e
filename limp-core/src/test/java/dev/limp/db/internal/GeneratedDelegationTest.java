package dev.limp.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.LimpClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The generated JDBC wrappers over recording stand-ins: every method of {@link Connection}, {@link Statement},
 * {@link PreparedStatement} and {@link CallableStatement} (default methods included) reaches the wrapped
 * object once, with the same arguments in the same order, and gives back what it returned; the
 * {@code execute*} methods, and only they, are timed; the timing template records failures and always ends.
 */
class GeneratedDelegationTest {
  private final JdbcRecorder recorder =
      new JdbcRecorder(LimpClock.system(), () -> null, 4, TimeUnit.SECONDS.toNanos(1));
  private final List<Method> calls = new ArrayList<>();
  private final List<Object[]> arguments = new ArrayList<>();
  private final Map<Class<?>, Object> results = new HashMap<>();
  private Throwable toThrow;

  @Test
  void everyConnectionMethodDelegates() throws Exception {
    assertDelegatesEveryMethod(Connection.class, connection(stub(Connection.class)));
  }

  @Test
  void everyStatementMethodDelegates() throws Exception {
    assertDelegatesEveryMethod(Statement.class,
        new GeneratedMonitoredStatement(connection(), recorder, stub(Statement.class), null));
  }

  @Test
  void everyPreparedStatementMethodDelegates() throws Exception {
    assertDelegatesEveryMethod(PreparedStatement.class,
        new GeneratedMonitoredPreparedStatement(connection(), recorder, stub(PreparedStatement.class), null));
  }

  @Test
  void everyCallableStatementMethodDelegates() throws Exception {
    assertDelegatesEveryMethod(CallableStatement.class,
        new GeneratedMonitoredCallableStatement(connection(), recorder, stub(CallableStatement.class), null));
  }

  @Test
  void statementsCreatedByTheConnectionAreMonitoredAndHandItBack() throws SQLException {
    Connection connection = connection(stub(Connection.class));
    Statement statement = connection.createStatement();
    PreparedStatement prepared = connection.prepareStatement("SELECT 1", new int[] {1});
    CallableStatement callable = connection.prepareCall("CALL 1", 1, 2, 3);
    assertInstanceOf(GeneratedMonitoredStatement.class, statement);
    assertInstanceOf(GeneratedMonitoredPreparedStatement.class, prepared);
    assertInstanceOf(GeneratedMonitoredCallableStatement.class, callable);
    assertSame(connection, callable.getConnection());
  }

  @Test
  void statementListenersHearTheTextOfPreparedAndPlainStatementsFailedOrNot() throws SQLException {
    java.util.List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.limp.db.StatementListener listener = (sql, feature, nanos) -> heard.add(sql);
    recorder.addStatementListener(listener);
    Connection connection = connection(stub(Connection.class));
    connection.prepareStatement("SELECT ? FROM t").executeQuery();
    connection.createStatement().execute("DELETE FROM t");
    CallableStatement call = connection.prepareCall("CALL p(?)");
    toThrow = new SQLTimeoutException("canceled", "57014");
    assertThrows(SQLException.class, call::execute);
    toThrow = null;
    connection.createStatement().executeBatch(); // no text seen: not reported
    recorder.removeStatementListener(listener);
    connection.createStatement().execute("SELECT 2");
    assertEquals(java.util.List.of("SELECT ? FROM t", "DELETE FROM t", "CALL p(?)"), heard);
  }

  @Test
  void aStatementListenerThatThrowsDoesNotChangeTheStatementsOutcome() throws SQLException {
    recorder.addStatementListener((sql, feature, nanos) -> {
      throw new IllegalStateException("listener bug");
    });
    connection(stub(Connection.class)).createStatement().execute("SELECT 1");
    assertEquals(1, recorder.statements().count());
  }

  @Test
  void aFailedExecuteThrowsTheDriversExceptionAndIsCountedAsAnError() {
    PreparedStatement statement =
        new GeneratedMonitoredPreparedStatement(connection(), recorder, stub(PreparedStatement.class), null);
    SQLException timeout = new SQLTimeoutException("canceled", "57014");
    toThrow = timeout;
    assertSame(timeout, assertThrows(SQLException.class, statement::executeQuery));
    assertEquals(1, recorder.errors(SqlErrorKind.of(timeout)));
    assertEquals(1, recorder.statements().count());
    assertTrue(Double.isNaN(recorder.runningMeanAgeMillis()), "the statement no longer counts as running");
  }

  @Test
  void anExecuteThatThrowsSomethingElseStillStopsRunning() {
    Statement statement = new GeneratedMonitoredStatement(connection(), recorder, stub(Statement.class), null);
    IllegalStateException bug = new IllegalStateException("driver bug");
    toThrow = bug;
    assertSame(bug, assertThrows(IllegalStateException.class, () -> statement.execute("SELECT 1")));
    assertTrue(Double.isNaN(recorder.runningMeanAgeMillis()), "the statement no longer counts as running");
  }

  private <W extends Wrapper> void assertDelegatesEveryMethod(Class<W> api, W wrapper) throws Exception {
    Class<?> generated = wrapper.getClass();
    assertTrue(Modifier.isPublic(generated.getModifiers()) && Modifier.isFinal(generated.getModifiers()),
        generated + " is public and final, so reflection through it works");
    int methods = 0;
    for (Method method : api.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      methods++;
      Method implementation = generated.getMethod(method.getName(), method.getParameterTypes());
      assertFalse(implementation.getDeclaringClass().isInterface(),
          method + " is implemented, not left to the interface's default");
      assertDelegates(api, wrapper, method);
    }
    assertTrue(methods > 40, api + " has " + methods + " methods");
  }

  private void assertDelegates(Class<?> api, Object wrapper, Method method) throws Exception {
    Object[] args = sampleArguments(method.getParameterTypes());
    long statementsBefore = recorder.statements().count();
    calls.clear();
    arguments.clear();
    Object result;
    try {
      result = method.invoke(wrapper, args);
    } catch (InvocationTargetException e) {
      throw new AssertionError(method + " threw", e.getCause());
    }
    assertEquals(1, calls.size(), method + " reaches the wrapped object once: " + calls);
    Method called = calls.get(0);
    assertEquals(method.getName(), called.getName(), method.toString());
    assertEquals(Arrays.asList(method.getParameterTypes()), Arrays.asList(called.getParameterTypes()),
        method.toString());
    for (int i = 0; i < args.length; i++) {
      Object expected = args[i];
      Object actual = arguments.get(0)[i];
      assertTrue(expected == actual || (isValue(expected) && Objects.deepEquals(expected, actual)),
          method + " passes argument " + i + " through");
    }
    Class<?> returns = method.getReturnType();
    if (Statement.class.isAssignableFrom(returns) || Connection.class.isAssignableFrom(returns)) {
      assertInstanceOf(JdbcWrapper.class, result, method + " returns a monitored object");
    } else if (returns != void.class) {
      assertTrue(Objects.deepEquals(stubResult(returns), result), method + " returns what the driver returned");
    }
    boolean timed = api != Connection.class && method.getName().startsWith("execute");
    assertEquals(timed ? statementsBefore + 1 : statementsBefore, recorder.statements().count(),
        method + (timed ? " is timed" : " is not timed"));
  }

  private static boolean isValue(Object argument) {
    return argument instanceof Number || argument instanceof Boolean || argument instanceof String
        || argument instanceof Class || (argument != null && argument.getClass().isArray());
  }

  /** Arguments that tell positions apart: numbers by position, interfaces as distinct stand-ins. */
  private Object[] sampleArguments(Class<?>[] types) {
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> type = types[i];
      if (type == int.class) {
        args[i] = i + 1;
      } else if (type == byte.class) {
        args[i] = (byte) (i + 1);
      } else if (type == short.class) {
        args[i] = (short) (i + 1);
      } else if (type == float.class) {
        args[i] = i + 1.5f;
      } else if (type == double.class) {
        args[i] = i + 1.5;
      } else if (type == long.class) {
        args[i] = 100L + i;
      } else if (type == boolean.class) {
        args[i] = i % 2 == 0;
      } else if (type == String.class) {
        args[i] = "s" + i;
      } else if (type == int[].class) {
        args[i] = new int[] {i};
      } else if (type == String[].class) {
        args[i] = new String[] {"c" + i};
      } else if (type == Object[].class) {
        args[i] = new Object[] {i};
      } else if (type == Class.class) {
        args[i] = Runnable.class;
      } else if (type.isInterface()) {
        args[i] = Proxy.newProxyInstance(type.getClassLoader() != null ? type.getClassLoader()
            : getClass().getClassLoader(), new Class<?>[] {type}, (p, m, a) -> null);
      } else {
        args[i] = null; // Calendar, BigDecimal, Date...: identity is enough
      }
    }
    return args;
  }

  private Object stubResult(Class<?> type) {
    if (type == int.class) {
      return 7;
    }
    if (type == byte.class) {
      return (byte) 7;
    }
    if (type == short.class) {
      return (short) 7;
    }
    if (type == float.class) {
      return 7f;
    }
    if (type == double.class) {
      return 7d;
    }
    if (type == long.class) {
      return 7L;
    }
    if (type == boolean.class) {
      return true;
    }
    if (type == String.class) {
      return "seven";
    }
    if (type == int[].class) {
      return new int[] {7};
    }
    if (type == long[].class) {
      return new long[] {7};
    }
    if (type.isInterface()) { // a ResultSet, a Blob...; and what createStatement() gets from the driver
      return results.computeIfAbsent(type, this::stub);
    }
    return null;
  }

  /** A stand-in for a driver's object that records each call, then throws {@link #toThrow} or returns a stub. */
  private <T> T stub(Class<T> api) {
    return api.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {api}, (proxy, m, a) -> {
      if (m.getDeclaringClass() == Object.class) {
        return m.getName().equals("equals") ? proxy == a[0]
            : m.getName().equals("hashCode") ? System.identityHashCode(proxy) : api.getSimpleName() + " stub";
      }
      calls.add(m);
      arguments.add(a == null ? new Object[0] : a);
      if (toThrow != null) {
        throw toThrow;
      }
      return stubResult(m.getReturnType());
    }));
  }

  private MonitoredConnection connection() {
    return connection(stub(Connection.class));
  }

  private MonitoredConnection connection(Connection delegate) {
    return (MonitoredConnection) MonitoredConnection.acquire(delegate, recorder, recorder.now(), null);
  }
}
