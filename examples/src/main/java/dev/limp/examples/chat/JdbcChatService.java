package dev.limp.examples.chat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The chat service over plain JDBC. It knows nothing of limp: the proxy around it runs each method through
 * its feature's guard, and the DataSource it is given is the one limp watches.
 *
 * <p>Two switches stand for code that changed under the service: {@link #brokenNotificationsQuery} is the
 * deploy that lost a pair of parentheses in the notifications query, and {@link #searchCostMillis} is the
 * cost of a search over a table in the middle of a migration.
 */
final class JdbcChatService implements ChatService {
  /** The notifications query as it was meant: unseen notifications of the user, by the index. */
  static final String NOTIFICATIONS = "SELECT id, message_id, kind FROM notifications "
      + "WHERE user_id = ? AND (seen = FALSE OR kind = 'mention') ORDER BY id DESC LIMIT 20";
  /** The same after the cleanup lost the parentheses: every mention of anyone matches, sorted by time. */
  static final String NOTIFICATIONS_BROKEN = "SELECT id, message_id, kind FROM notifications "
      + "WHERE user_id = ? AND seen = FALSE OR kind = 'mention' ORDER BY created_at DESC LIMIT 20";

  private final DataSource dataSource;
  private final ChatDatabase.Dialect dialect;
  volatile boolean brokenNotificationsQuery;
  /** What a scan of the notifications table would cost at production size (the demo's table is small). */
  volatile long scanCostMillis;
  volatile long searchCostMillis;

  JdbcChatService(DataSource dataSource, ChatDatabase.Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  @Override
  public List<Message> readRoom(long roomId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p = c.prepareStatement("SELECT id, room_id, author_id, body FROM messages "
            + "WHERE room_id = ? ORDER BY id DESC LIMIT 30")) {
      p.setLong(1, roomId);
      return messages(p);
    } catch (SQLException e) {
      throw new ChatStoreException("read room " + roomId, e);
    }
  }

  @Override
  public long post(long roomId, long authorId, String body, long mentionedUserId) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        long id;
        try (PreparedStatement p = c.prepareStatement(
            "INSERT INTO messages (room_id, author_id, body) VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
          p.setLong(1, roomId);
          p.setLong(2, authorId);
          p.setString(3, body);
          p.executeUpdate();
          try (ResultSet keys = p.getGeneratedKeys()) {
            keys.next();
            id = keys.getLong(1);
          }
        }
        try (PreparedStatement p = c.prepareStatement(
            "UPDATE rooms SET last_message_at = CURRENT_TIMESTAMP WHERE id = ?")) {
          p.setLong(1, roomId);
          p.executeUpdate();
        }
        if (mentionedUserId > 0) {
          try (PreparedStatement p = c.prepareStatement(
              "INSERT INTO notifications (user_id, message_id, kind) VALUES (?, ?, 'mention')")) {
            p.setLong(1, mentionedUserId);
            p.setLong(2, id);
            p.executeUpdate();
          }
        }
        c.commit();
        return id;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new ChatStoreException("post to room " + roomId, e);
    }
  }

  @Override
  public Page<Notification> notifications(long userId) {
    try (Connection c = dataSource.getConnection()) {
      boolean broken = brokenNotificationsQuery;
      if (broken && scanCostMillis > 0) {
        try (Statement s = c.createStatement()) {
          s.execute(dialect.sleep(scanCostMillis));
        }
      }
      List<Notification> found = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement(broken ? NOTIFICATIONS_BROKEN : NOTIFICATIONS)) {
        p.setLong(1, userId);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            found.add(new Notification(rs.getLong(1), rs.getLong(2), rs.getString(3)));
          }
        }
      }
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE user_state SET last_polled_at = CURRENT_TIMESTAMP WHERE user_id = ?")) {
        p.setLong(1, userId);
        p.executeUpdate();
      }
      return Page.of(found);
    } catch (SQLException e) {
      throw new ChatStoreException("notifications of user " + userId, e);
    }
  }

  @Override
  public Page<Message> search(long roomId, String word) {
    try (Connection c = dataSource.getConnection()) {
      long cost = searchCostMillis;
      if (cost > 0) {
        try (Statement s = c.createStatement()) {
          s.execute(dialect.sleep(cost));
        }
      }
      try (PreparedStatement p = c.prepareStatement("SELECT id, room_id, author_id, body FROM messages "
          + "WHERE room_id = ? AND LOWER(body) LIKE ? ORDER BY id DESC LIMIT 20")) {
        p.setLong(1, roomId);
        p.setString(2, "%" + word + "%");
        return Page.of(messages(p));
      }
    } catch (SQLException e) {
      throw new ChatStoreException("search room " + roomId, e);
    }
  }

  @Override
  public Page<ActivityCount> activity(long roomId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p = c.prepareStatement(
            "SELECT kind, COUNT(*) FROM activity WHERE room_id = ? GROUP BY kind ORDER BY kind")) {
      p.setLong(1, roomId);
      List<ActivityCount> counts = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          counts.add(new ActivityCount(rs.getString(1), rs.getLong(2)));
        }
      }
      return Page.of(counts);
    } catch (SQLException e) {
      throw new ChatStoreException("activity of room " + roomId, e);
    }
  }

  private static List<Message> messages(PreparedStatement p) throws SQLException {
    List<Message> found = new ArrayList<>();
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        found.add(new Message(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4)));
      }
    }
    return found;
  }
}
