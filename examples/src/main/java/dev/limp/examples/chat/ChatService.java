package dev.limp.examples.chat;

import dev.limp.ShedReason;
import dev.limp.Tier;
import dev.limp.annotation.LimpFeature;
import java.util.List;

/**
 * The chat service as its callers see it. Each method is a feature, declared with its tier: reading and
 * posting messages are why the service exists ({@link Tier#CRITICAL_PLUS}, never shed automatically);
 * notifications are missed when gone ({@link Tier#SHEDDABLE_PLUS}); search and the activity feed go first
 * ({@link Tier#SHEDDABLE}). A shed secondary feature answers through its fallback method with a page
 * marked as paused, which a client shows as "notifications are paused, back soon".
 */
public interface ChatService {
  /** The latest messages of a room. */
  @LimpFeature(name = "chat.read", tier = Tier.CRITICAL_PLUS)
  List<Message> readRoom(long roomId);

  /** Posts a message; mentioning a user creates a notification for them. */
  @LimpFeature(name = "chat.post", tier = Tier.CRITICAL_PLUS)
  long post(long roomId, long authorId, String body, long mentionedUserId);

  /** The user's unseen notifications; polling marks the user as seen now. */
  @LimpFeature(name = "notifications", tier = Tier.SHEDDABLE_PLUS, fallbackMethod = "notificationsPaused")
  Page<Notification> notifications(long userId);

  /** Messages of a room that contain a word. */
  @LimpFeature(name = "search", tier = Tier.SHEDDABLE, fallbackMethod = "searchPaused")
  Page<Message> search(long roomId, String word);

  /** What happened in a room lately, counted by kind. */
  @LimpFeature(name = "activity", tier = Tier.SHEDDABLE, fallbackMethod = "activityPaused")
  Page<ActivityCount> activity(long roomId);

  default Page<Notification> notificationsPaused(long userId, ShedReason reason) {
    return Page.paused(reason);
  }

  default Page<Message> searchPaused(long roomId, String word, ShedReason reason) {
    return Page.paused(reason);
  }

  default Page<ActivityCount> activityPaused(long roomId, ShedReason reason) {
    return Page.paused(reason);
  }

  /** A chat message. */
  record Message(long id, long roomId, long authorId, String body) {
  }

  /** A notification: someone mentioned the user. */
  record Notification(long id, long messageId, String kind) {
  }

  /** How many events of a kind a room had. */
  record ActivityCount(String kind, long count) {
  }

  /**
   * The answer of a secondary feature: its items, or "paused" with the reason when limp shed it.
   *
   * @param items the items; empty when paused
   * @param pausedBecause why the feature is paused, or {@code null} when it answered
   */
  record Page<T>(List<T> items, String pausedBecause) {
    public static <T> Page<T> of(List<T> items) {
      return new Page<>(List.copyOf(items), null);
    }

    public static <T> Page<T> paused(ShedReason reason) {
      return paused(reason.cause().name(), reason.detail());
    }

    /** Paused for a reason given as a cause ("CIRCUIT_BREAKER") and a detail, by any protection. */
    public static <T> Page<T> paused(String cause, String detail) {
      return new Page<>(List.of(), cause + ": " + detail);
    }

    public boolean paused() {
      return pausedBecause != null;
    }
  }
}
