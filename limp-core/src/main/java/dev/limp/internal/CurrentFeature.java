package dev.limp.internal;

/**
 * The feature whose work runs on a thread. One mutable slot per thread and limp instance, found through a
 * {@link ThreadLocal} once per call: entering and leaving a guard writes a field, allocates nothing.
 */
final class CurrentFeature {
  private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(Slot::new);

  /** A thread's slot. Only its own thread touches it. */
  static final class Slot {
    FeatureRuntime feature;
  }

  Slot slot() {
    return slots.get();
  }

  FeatureRuntime get() {
    return slots.get().feature;
  }
}
