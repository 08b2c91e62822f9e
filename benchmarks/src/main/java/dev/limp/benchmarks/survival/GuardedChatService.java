package dev.limp.benchmarks.survival;

import dev.limp.examples.chat.ChatService;
import java.util.List;
import java.util.function.Supplier;

/**
 * The chat service with every method run through a per-feature guard of another library: the shape a user
 * writes by hand around resilience4j or Sentinel. A critical feature's refusal reaches the caller as the
 * library's exception (a failed request); a secondary feature's refusal is answered with a paused page, as
 * limp's fallback methods answer it.
 */
abstract class GuardedChatService implements ChatService {
  private final ChatService plain;

  GuardedChatService(ChatService plain) {
    this.plain = plain;
  }

  /** Runs {@code work} through the feature's guard; throws the library's exception when it refuses. */
  abstract <T> T critical(String feature, Supplier<T> work);

  /** Runs {@code work} through the feature's guard; answers a refusal with a paused page. */
  abstract <T> Page<T> secondary(String feature, Supplier<Page<T>> work);

  @Override
  public List<Message> readRoom(long roomId) {
    return critical("chat.read", () -> plain.readRoom(roomId));
  }

  @Override
  public long post(long roomId, long authorId, String body, long mentionedUserId) {
    return critical("chat.post", () -> plain.post(roomId, authorId, body, mentionedUserId));
  }

  @Override
  public Page<Notification> notifications(long userId) {
    return secondary("notifications", () -> plain.notifications(userId));
  }

  @Override
  public Page<Message> search(long roomId, String word) {
    return secondary("search", () -> plain.search(roomId, word));
  }

  @Override
  public Page<ActivityCount> activity(long roomId) {
    return secondary("activity", () -> plain.activity(roomId));
  }

  /** The features, in the order of the service's methods. */
  static final List<String> FEATURES = List.of("chat.read", "chat.post", "notifications", "search", "activity");
  /** The secondary features. */
  static final List<String> SECONDARY = List.of("notifications", "search", "activity");
}
