package dev.limp.redis;

/**
 * A fleet command could not be stored for the fleet (Redis unreachable, too slow, or refusing), so it was not
 * applied anywhere: the operator's change is refused, never silently made on one instance only. When the
 * message says the answer did not come in time, the command may still have reached Redis; the instance picks
 * it up at its next re-sync, and the fleet's overrides show whether it did.
 */
public final class FleetUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public FleetUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
