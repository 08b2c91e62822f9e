package dev.limp.internal;

/** Placeholder replaced by the annotation proxy factory (being written). */
final class AnnotatedProxies {
  private AnnotatedProxies() {
  }

  static <T> T create(LimpEngine limp, Class<T> type, T target) {
    throw new IllegalStateException("annotation proxies are being written");
  }
}
