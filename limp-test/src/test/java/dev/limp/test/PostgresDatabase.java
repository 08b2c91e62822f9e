package dev.limp.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throw-away PostgreSQL database for one test class on the local server (127.0.0.1:5432, user postgres),
 * created in {@code beforeAll} and dropped, backends and all, in {@code afterAll}; server settings are left as
 * found. The availability rule of limp-core's {@code PostgresFixture}: an unreachable server FAILS the class
 * when {@code CI} is set (to anything but {@code false} or {@code 0}) and SKIPS it, saying why, otherwise.
 */
final class PostgresDatabase implements BeforeAllCallback, AfterAllCallback {
  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private final String name = "limp_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private boolean created;

  String url() {
    return "jdbc:postgresql://127.0.0.1:5432/" + name;
  }

  /** A DataSource of this database without a pool: each connection is new. */
  PGSimpleDataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url());
    ds.setUser("postgres");
    ds.setApplicationName("limp-test");
    return ds;
  }

  Connection connect() throws SQLException {
    return dataSource().getConnection();
  }

  private static Properties admin() {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("connectTimeout", "3");
    p.setProperty("ApplicationName", "limp-test");
    return p;
  }

  static boolean isCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
  }

  @Override
  public void beforeAll(ExtensionContext context) throws SQLException {
    try (Connection c = reachAdmin(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
      created = true;
    }
  }

  private static Connection reachAdmin() throws SQLException {
    try {
      return DriverManager.getConnection(ADMIN_URL, admin());
    } catch (SQLException e) {
      String what = "PostgreSQL is not reachable at 127.0.0.1:5432 (user postgres, database test): "
          + e.getMessage();
      if (isCi()) {
        throw new AssertionError(what + ". CI is set, so this is a failure (.ci/run starts PostgreSQL)", e);
      }
      Assumptions.abort(what + ". Skipping; start the server to run these tests, set CI=true to make its "
          + "absence a failure");
      throw e; // not reached
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    if (!created) {
      return;
    }
    try (Connection c = DriverManager.getConnection(ADMIN_URL, admin()); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      created = false;
    }
  }
}
