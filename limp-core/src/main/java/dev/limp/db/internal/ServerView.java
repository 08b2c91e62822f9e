package dev.limp.db.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;

/** Reads one kind of database's view of its sessions and locks, on a connection it is given. Stateless. */
public interface ServerView {
  /** Reads the view, each statement limited to {@code timeout}; leaves the connection's settings as found. */
  ServerReadings read(Connection connection, Duration timeout) throws SQLException;

  /** The view of a database by its JDBC product name; {@code null} when limp cannot read it. */
  static ServerView of(String productName) {
    String name = productName.toLowerCase(Locale.ROOT);
    if (name.contains("postgresql")) {
      return new PostgresServerView();
    }
    if (name.contains("mariadb") || name.contains("mysql")) {
      return new MariaDbServerView(name.contains("mariadb"));
    }
    return null;
  }
}
