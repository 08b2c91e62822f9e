package dev.limp.test;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.Extension;

/** Lets the tests of {@code dev.limp.test.internal} use the package-private {@link PostgresDatabase}. */
public final class PostgresDatabaseAccess {
  private PostgresDatabaseAccess() {}

  public static Extension database() {
    return new PostgresDatabase();
  }

  public static Connection connect(Extension database) throws SQLException {
    return ((PostgresDatabase) database).connect();
  }
}
