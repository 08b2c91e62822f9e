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
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * A throw-away MariaDB database for one test class on the local server (127.0.0.1:3306, user root without a
 * password), created in {@code beforeAll} and dropped in {@code afterAll}; server settings are left as found.
 * The availability rule of {@link PostgresDatabase}: an unreachable server FAILS the class when {@code CI} is
 * set (to anything but {@code false} or {@code 0}) and SKIPS it, saying why, otherwise.
 */
final class MariaDbDatabase implements BeforeAllCallback, AfterAllCallback {
  /** The local server speaks no TLS; the driver (4.x) would insist on it by default. */
  private static final String OPTIONS = "?sslMode=disable";
  private static final String ADMIN_URL = "jdbc:mariadb://127.0.0.1:3306/test" + OPTIONS;
  private final String name = "limp_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private boolean created;

  String url() {
    return "jdbc:mariadb://127.0.0.1:3306/" + name + OPTIONS;
  }

  /** A DataSource of this database without a pool: each connection is new. */
  MariaDbDataSource dataSource() throws SQLException {
    MariaDbDataSource ds = new MariaDbDataSource(url());
    ds.setUser("root");
    return ds;
  }

  Connection connect() throws SQLException {
    return dataSource().getConnection();
  }

  private static Properties admin() {
    Properties p = new Properties();
    p.setProperty("user", "root");
    p.setProperty("connectTimeout", "3000");
    return p;
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
      String what = "MariaDB is not reachable at 127.0.0.1:3306 (user root, database test): " + e.getMessage();
      if (PostgresDatabase.isCi()) {
        throw new AssertionError(what + ". CI is set, so this is a failure (.ci/run starts MariaDB)", e);
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
      s.execute("DROP DATABASE IF EXISTS " + name);
      created = false;
    }
  }
}
