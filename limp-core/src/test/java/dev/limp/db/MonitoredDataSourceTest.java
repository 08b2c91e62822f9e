package dev.limp.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import dev.limp.CallOutcome;
import dev.limp.FeatureGuard;
import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.db.internal.FeatureDbStats;
import dev.limp.db.internal.SqlErrorKind;
import dev.limp.testing.FakeClock;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbc.JdbcPreparedStatement;
import org.h2.jdbc.JdbcStatement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The monitored DataSource over a real HikariCP pool and H2: whatever the application does through it
 * behaves exactly as through the pool itself (results, unwrapping, exceptions, closing), while the monitor
 * counts what it sees.
 */
class MonitoredDataSourceTest {
  private H2Pool pool;
  private Limp limp;
  private DatabaseMonitor monitor;
  private MonitoredDataSource ds;
  private HikariDataSource raw;

  @BeforeEach
  void start() {
    pool = H2Pool.start("monitored");
    raw = pool.dataSource();
    limp = Limp.builder().name("monitored").clock(new FakeClock()).governorThread(false)
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature("search", Tier.SHEDDABLE)
        .build();
    monitor = DatabaseMonitor.builder(limp).build();
    ds = monitor.wrap(raw);
  }

  @AfterEach
  void stop() {
    monitor.close();
    limp.close();
    pool.close();
  }

  // ---------------------------------------------------------------- unwrapping

  @Test
  void unwrapAndIsWrapperForReachTheHikariPool() throws SQLException {
    assertSame(raw, ds.delegate());
    assertTrue(ds.isWrapperFor(HikariDataSource.class));
    assertSame(raw, ds.unwrap(HikariDataSource.class));
    assertTrue(ds.isWrapperFor(HikariConfigMXBean.class));
    assertSame(raw, ds.unwrap(HikariConfigMXBean.class));
    assertTrue(ds.isWrapperFor(MonitoredDataSource.class));
    assertSame(ds, ds.unwrap(MonitoredDataSource.class));
    assertFalse(ds.isWrapperFor(String.class));
    SQLException fromPool = assertThrows(SQLException.class, () -> raw.unwrap(String.class));
    SQLException fromMonitored = assertThrows(SQLException.class, () -> ds.unwrap(String.class));
    assertEquals(fromPool.getMessage(), fromMonitored.getMessage());
  }

  @Test
  void aMonitoredConnectionUnwrapsToTheDriversConnection() throws SQLException {
    try (Connection conn = ds.getConnection()) {
      assertTrue(conn.isWrapperFor(JdbcConnection.class));
      JdbcConnection h2 = conn.unwrap(JdbcConnection.class);
      assertNotNull(h2);
      assertFalse(h2.isClosed());
      assertTrue(conn.isWrapperFor(Connection.class));
      assertFalse(conn.isWrapperFor(String.class));
      try (Statement stmt = conn.createStatement();
          PreparedStatement ps = conn.prepareStatement("SELECT 1")) {
        assertTrue(stmt.isWrapperFor(JdbcStatement.class));
        assertNotNull(stmt.unwrap(JdbcStatement.class));
        assertTrue(ps.isWrapperFor(JdbcPreparedStatement.class));
        assertNotNull(ps.unwrap(JdbcPreparedStatement.class));
      }
    }
  }

  // ---------------------------------------------------------------- same results

  @Test
  void statementsReturnTheSameResultsAsThroughThePool() throws SQLException {
    String sql = "SELECT m.id, u.name, m.body FROM messages m JOIN users u ON u.id = m.user_id ORDER BY m.id";
    assertEquals(query(raw, sql), query(ds, sql));
    try (Connection conn = ds.getConnection(); Statement stmt = conn.createStatement()) {
      assertTrue(stmt.execute("SELECT COUNT(*) FROM users"));
      try (ResultSet rs = stmt.getResultSet()) {
        assertTrue(rs.next());
        assertEquals(3, rs.getInt(1));
      }
      assertEquals(1, stmt.executeUpdate("UPDATE notifications SET seen = TRUE WHERE id = 1"));
      assertEquals(2L, stmt.executeLargeUpdate("UPDATE notifications SET seen = TRUE WHERE id > 1"));
      stmt.addBatch("INSERT INTO rooms (name) VALUES ('ops')");
      stmt.addBatch("INSERT INTO rooms (name) VALUES ('dev')");
      assertArrayEquals(new int[] {1, 1}, stmt.executeBatch());
    }
    assertEquals(List.of(List.of("3")), query(raw, "SELECT COUNT(*) FROM notifications WHERE seen"));
    assertEquals(List.of(List.of("general"), List.of("random"), List.of("ops"), List.of("dev")),
        query(raw, "SELECT name FROM rooms ORDER BY id"));
  }

  @Test
  void preparedStatementsWithParametersAndBatchesWork() throws SQLException {
    String sql = "SELECT body FROM messages WHERE room_id = ? AND user_id <> ? ORDER BY id";
    try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setLong(1, 1);
      ps.setLong(2, 1);
      assertEquals(List.of(List.of("hi ada"), List.of("morning")), rows(ps.executeQuery()));
      ps.setLong(1, 2);
      assertEquals(List.of(List.of("anyone here?")), rows(ps.executeQuery()));
    }
    try (Connection conn = ds.getConnection();
        PreparedStatement ps = conn.prepareStatement("INSERT INTO messages (room_id, user_id, body) VALUES (?, ?, ?)")) {
      for (int i = 1; i <= 3; i++) {
        ps.setLong(1, 2);
        ps.setLong(2, i);
        ps.setString(3, "batch " + i);
        ps.addBatch();
      }
      assertArrayEquals(new int[] {1, 1, 1}, ps.executeBatch());
      ps.setLong(1, 1);
      ps.setLong(2, 2);
      ps.setString(3, "single");
      assertEquals(1, ps.executeUpdate());
      ps.setNull(3, Types.VARCHAR);
      SQLException nullBody = assertThrows(SQLException.class, ps::executeUpdate);
      assertEquals("23502", nullBody.getSQLState()); // NOT NULL violation, straight from H2
    }
    assertEquals(List.of(List.of("batch 1"), List.of("batch 2"), List.of("batch 3"), List.of("single")),
        query(raw, "SELECT body FROM messages WHERE id > 5 ORDER BY id"));
  }

  @Test
  void callableStatementsWork() throws SQLException {
    try (Connection conn = ds.getConnection(); CallableStatement cs = conn.prepareCall("{? = CALL UPPER(?)}")) {
      cs.registerOutParameter(1, Types.VARCHAR);
      cs.setString(2, "limp home");
      cs.execute();
      assertEquals("LIMP HOME", cs.getString(1));
    }
    try (Connection conn = ds.getConnection(); CallableStatement cs = conn.prepareCall("CALL ABS(?)")) {
      cs.setInt(1, -42);
      assertEquals(List.of(List.of("42")), rows(cs.executeQuery()));
    }
    try (Connection conn = raw.getConnection(); CallableStatement cs = conn.prepareCall("CALL ABS(?)")) {
      cs.setInt(1, -42);
      assertEquals(List.of(List.of("42")), rows(cs.executeQuery()));
    }
  }

  @Test
  void generatedKeysAreReturned() throws SQLException {
    long viaPrepared;
    long viaColumnNames;
    long viaStatement;
    try (Connection conn = ds.getConnection()) {
      try (PreparedStatement ps = conn.prepareStatement("INSERT INTO users (name) VALUES (?)",
          Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, "dee");
        assertEquals(1, ps.executeUpdate());
        viaPrepared = onlyKey(ps.getGeneratedKeys());
      }
      try (PreparedStatement ps = conn.prepareStatement("INSERT INTO users (name) VALUES (?)", new String[] {"ID"})) {
        ps.setString(1, "eve");
        assertEquals(1, ps.executeUpdate());
        viaColumnNames = onlyKey(ps.getGeneratedKeys());
      }
      try (Statement stmt = conn.createStatement()) {
        assertEquals(1, stmt.executeUpdate("INSERT INTO users (name) VALUES ('fay')", Statement.RETURN_GENERATED_KEYS));
        viaStatement = onlyKey(stmt.getGeneratedKeys());
      }
    }
    assertEquals(List.of(List.of("dee")), query(raw, "SELECT name FROM users WHERE id = " + viaPrepared));
    assertEquals(List.of(List.of("eve")), query(raw, "SELECT name FROM users WHERE id = " + viaColumnNames));
    assertEquals(List.of(List.of("fay")), query(raw, "SELECT name FROM users WHERE id = " + viaStatement));
  }

  @Test
  void statementsHandBackTheMonitoredConnection() throws SQLException {
    try (Connection conn = ds.getConnection();
        Statement stmt = conn.createStatement();
        PreparedStatement ps = conn.prepareStatement("SELECT 1");
        CallableStatement cs = conn.prepareCall("CALL 1")) {
      assertSame(conn, stmt.getConnection());
      assertSame(conn, ps.getConnection());
      assertSame(conn, cs.getConnection());
    }
  }

  // ---------------------------------------------------------------- exceptions

  @Test
  void exceptionsPassThroughUnchanged() {
    for (String sql : List.of("SELECT * FROM no_such_table",
        "INSERT INTO users (name) VALUES ('ada')",        // unique violation
        "INSERT INTO messages (room_id, user_id, body) VALUES (99, 1, 'x')", // foreign key
        "SELEC 1")) {
      SQLException expected = assertThrows(SQLException.class, () -> execute(raw, sql), sql);
      SQLException actual = assertThrows(SQLException.class, () -> execute(ds, sql), sql);
      assertSame(expected.getClass(), actual.getClass(), sql);
      assertEquals(expected.getSQLState(), actual.getSQLState(), sql);
      assertEquals(expected.getErrorCode(), actual.getErrorCode(), sql);
      assertEquals(expected.getMessage(), actual.getMessage(), sql);
    }
    assertEquals(4, monitor.recorder().errors(SqlErrorKind.OTHER));
    assertEquals(0, monitor.recorder().errors(SqlErrorKind.CONNECTION));
  }

  @Test
  void aDatabaseErrorInsideAGuardReachesTheCallerUnchangedAndCountsAsAFailure() throws Exception {
    SQLException expected = assertThrows(SQLException.class, () -> execute(raw, "SELECT * FROM no_such_table"));
    FeatureGuard search = limp.guard("search");
    SQLException actual = assertThrows(SQLException.class, () -> search.call(() -> {
      execute(ds, "SELECT * FROM no_such_table");
      return null;
    }));
    assertSame(expected.getClass(), actual.getClass());
    assertEquals(expected.getSQLState(), actual.getSQLState());
    assertEquals(expected.getErrorCode(), actual.getErrorCode());
    assertEquals(1, search.count(CallOutcome.FAILED));
    assertEquals(0, search.count(CallOutcome.SHED));
    assertEquals(1, monitor.recorder().errors(SqlErrorKind.OTHER));
    assertEquals(1, DatabaseMonitorH2Test.stats(monitor, "search").statements(monitor.recorder().now()).count(),
        "a failed statement is timed too");
  }

  @Test
  void anExceptionFromThePoolPassesThroughUnchanged() {
    SQLException fromPool = assertThrows(SQLException.class, () -> raw.getConnection("sa", "secret"));
    SQLException fromMonitored = assertThrows(SQLException.class, () -> ds.getConnection("sa", "secret"));
    assertSame(fromPool.getClass(), fromMonitored.getClass());
    assertEquals(fromPool.getMessage(), fromMonitored.getMessage());
    assertEquals(0, monitor.recorder().connectionsInUse());
  }

  // ---------------------------------------------------------------- closing

  @Test
  void closingAConnectionTwiceIsHarmlessAndCountsItsHoldOnce() throws SQLException {
    long before = System.nanoTime();
    Connection conn = ds.getConnection();
    Statement stmt = conn.createStatement();
    stmt.execute("CALL SLEEP(50)");
    stmt.close();
    stmt.close();
    assertTrue(stmt.isClosed());
    assertEquals(1, monitor.recorder().connectionsInUse());
    conn.close();
    conn.close();
    double elapsedMillis = (System.nanoTime() - before) / 1e6;
    assertTrue(conn.isClosed());
    assertEquals(0, monitor.recorder().connectionsInUse());

    FeatureDbStats unattributed = unattributed();
    assertEquals(0, unattributed.openConnections());
    double held = unattributed.connectionMillis(monitor.recorder().now());
    assertTrue(held >= 50 && held <= elapsedMillis,
        "held " + held + " ms, between 50 ms and the " + elapsedMillis + " ms the test took: counted once");

    try (Connection again = ds.getConnection()) {
      assertEquals(1, unattributed.openConnections(), "a second close must not have undone the next open");
      assertEquals(1, monitor.recorder().connectionsInUse());
      assertFalse(again.isClosed());
    }
    assertEquals(0, monitor.recorder().connectionsInUse());
    assertEquals(pool.mxBean().getTotalConnections(), pool.mxBean().getIdleConnections());
  }

  @Test
  void everyKindOfExecutionIsTimed() throws SQLException {
    try (Connection conn = ds.getConnection();
        Statement stmt = conn.createStatement();
        PreparedStatement ps = conn.prepareStatement("SELECT name FROM users WHERE id = ?");
        CallableStatement cs = conn.prepareCall("CALL ABS(?)")) {
      stmt.executeQuery("SELECT 1").close();
      stmt.execute("SELECT 1");
      stmt.executeUpdate("UPDATE users SET name = name WHERE id = 1");
      stmt.addBatch("UPDATE users SET name = name WHERE id = 2");
      stmt.executeBatch();
      ps.setLong(1, 1);
      ps.executeQuery().close();
      ps.execute();
      cs.setInt(1, -1);
      cs.executeQuery().close();
    }
    // seven statements: the batch counts once
    assertEquals(7, monitor.recorder().statements().count());
    assertEquals(7, unattributed().statements(monitor.recorder().now()).count());
  }

  // ---------------------------------------------------------------- helpers

  private FeatureDbStats unattributed() {
    return monitor.recorder().features().stream().filter(f -> f.name() == null).findFirst().orElseThrow();
  }

  static void execute(DataSource source, String sql) throws SQLException {
    try (Connection conn = source.getConnection(); Statement stmt = conn.createStatement()) {
      stmt.execute(sql);
    }
  }

  static List<List<String>> query(DataSource source, String sql) throws SQLException {
    try (Connection conn = source.getConnection(); Statement stmt = conn.createStatement()) {
      return rows(stmt.executeQuery(sql));
    }
  }

  static List<List<String>> rows(ResultSet rs) throws SQLException {
    try (rs) {
      List<List<String>> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(Objects.toString(rs.getObject(i)));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  private static long onlyKey(ResultSet keys) throws SQLException {
    try (keys) {
      assertTrue(keys.next(), "a generated key");
      long key = keys.getLong(1);
      assertFalse(keys.next(), "only one generated key");
      return key;
    }
  }
}
