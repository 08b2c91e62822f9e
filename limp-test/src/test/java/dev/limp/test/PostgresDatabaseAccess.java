package dev.limp.test;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.Extension;

/**
 * Lets the tests of {@code dev.limp.test.internal} use the package-private {@link PostgresDatabase} and
 * {@link MariaDbDatabase}.
 */
public final class PostgresDatabaseAccess {
  private PostgresDatabaseAccess() {}

  public static Extension database() {
    return new PostgresDatabase();
  }

  public static Extension mariaDb() {
    return new MariaDbDatabase();
  }

  public static Connection connect(Extension database) throws SQLException {
    return database instanceof MariaDbDatabase m ? m.connect() : ((PostgresDatabase) database).connect();
  }
}
