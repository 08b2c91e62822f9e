package dev.limp.internal;

/** Rethrows any throwable unchanged, checked or not, without wrapping it. */
final class Sneaky {
  private Sneaky() {
  }

  /** Throws {@code t} as it is; declared to return an exception so that callers can write {@code throw}. */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException rethrow(Throwable t) throws E {
    throw (E) t;
  }
}
