package dev.limp.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.FeatureConfig;
import dev.limp.Limp;
import dev.limp.ShedReason;
import dev.limp.Tier;
import dev.limp.annotation.LimpFeature.OnShed;
import dev.limp.testing.FakeClock;
import java.util.AbstractList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Misuse of {@link LimpFeature} fails when the proxy is created, with a message naming the method. */
class AnnotationMisuseTest {
  private final FakeClock clock = new FakeClock();

  private Limp limp(FeatureConfig... features) {
    var b = Limp.builder().name("misuse-test").clock(clock).governorThread(false);
    for (FeatureConfig f : features) {
      b.feature(f);
    }
    return b.build();
  }

  /** Asserts the exception and that its message contains each part. */
  private static <E extends Throwable> E fails(Class<E> type, Executable creation, String... parts) {
    E e = assertThrows(type, creation);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), () -> "message lacks '" + part + "': " + e.getMessage());
    }
    return e;
  }

  private static <T> T target(Class<T> type) { // a target whose methods are never reached in these tests
    return type.cast(java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (p, m, args) -> {
          throw new AssertionError("not called");
        }));
  }

  // ---------------------------------------------------------------- arguments

  @Test
  void typeMustBeAnInterface() {
    try (Limp limp = limp()) {
      fails(IllegalArgumentException.class, () -> limp.proxy(String.class, "x"), "type must be an interface",
          "java.lang.String");
    }
  }

  interface Plain {
    String value();
  }

  @Test
  void targetMustNotBeNull() {
    try (Limp limp = limp()) {
      fails(NullPointerException.class, () -> limp.proxy(Plain.class, null), "target");
    }
  }

  // ---------------------------------------------------------------- fallback methods

  interface MissingFallback {
    @LimpFeature(name = "search", tier = Tier.SHEDDABLE, fallbackMethod = "noHits")
    List<String> search(String query, int limit);
  }

  @Test
  void missingFallbackMethodIsRejected() {
    try (Limp limp = limp()) {
      fails(IllegalArgumentException.class, () -> limp.proxy(MissingFallback.class, target(MissingFallback.class)),
          "MissingFallback.search(String, int)", "fallbackMethod 'noHits' not found",
          "noHits(String, int) or noHits(String, int, ShedReason)");
      assertTrue(limp.findGuard("search").isEmpty(), "nothing is declared when the annotations are misused");
    }
  }

  interface WrongParams {
    @LimpFeature(name = "search", tier = Tier.SHEDDABLE, fallbackMethod = "noHits")
    List<String> search(String query);

    default List<String> noHits(int query) {
      return List.of();
    }

    default List<String> noHits(ShedReason reason, String query) {
      return List.of();
    }
  }

  @Test
  void fallbackMethodWithOtherParametersIsRejected() {
    try (Limp limp = limp()) {
      fails(IllegalArgumentException.class, () -> limp.proxy(WrongParams.class, target(WrongParams.class)),
          "WrongParams.search(String)", "fallbackMethod 'noHits' must take the same parameters",
          "noHits(String) or noHits(String, ShedReason)", "WrongParams.noHits(int)",
          "WrongParams.noHits(ShedReason, String)");
    }
  }

  interface WrongReturn {
    @LimpFeature(name = "search", tier = Tier.SHEDDABLE, fallbackMethod = "noHits")
    List<String> search(String query);

    default Optional<String> noHits(String query) {
      return Optional.empty();
    }
  }

  @Test
  void fallbackMethodWithUnassignableReturnTypeIsRejected() {
    try (Limp limp = limp()) {
      fails(IllegalArgumentException.class, () -> limp.proxy(WrongReturn.class, target(WrongReturn.class)),
          "WrongReturn.search(String)", "fallbackMethod WrongReturn.noHits(String) returns Optional",
          "not assignable to List");
    }
  }

  interface VoidFallbackForValue {
    @LimpFeature(name = "count", tier = Tier.SHEDDABLE, fallbackMethod = "nothing")
    long count();

    default void nothing() {
    }
  }

  @Test
  void voidFallbackForMethodReturningValueIsRejected() {
    try (Limp limp = limp()) {
      fails(IllegalArgumentException.class,
          () -> limp.proxy(VoidFallbackForValue.class, target(VoidFallbackForValue.class)),
          "VoidFallbackForValue.count()", "returns void, which is not assignable to long");
    }
  }

  interface WideningFallback {
    @LimpFeature(name = "count", tier = Tier.SHEDDABLE, fallbackMethod = "intCount")
    long count();

    default int intCount() {
      return 0;
    }
  }

  @Test
  void fallbackMethodNeedingPrimitiveWideningIsRejected() {
    try (Limp limp = limp()) {
      fails(IllegalArgumentException.class, () -> limp.proxy(WideningFallback.class, target(WideningFallback.class)),
          "WideningFallback.count()", "returns int, which is not assignable to long");
    }
  }

  interface BoxingFallbacks {
    @LimpFeature(name = "count", tier = Tier.SHEDDABLE, fallbackMethod = "boxed")
    int count();

    @LimpFeature(name = "count", tier = Tier.SHEDDABLE, fallbackMethod = "primitive")
    Long total();

    default Integer boxed() {
      return 7;
    }

    default long primitive() {
      return 8L;
    }
  }

  @Test
  void fallbackMethodReturningBoxOrPrimitiveOfReturnTypeIsAccepted() {
    try (Limp limp = limp()) {
      BoxingFallbacks proxy = limp.proxy(BoxingFallbacks.class, new BoxingFallbacks() {
        @Override
        public int count() {
          return 1;
        }

        @Override
        public Long total() {
          return 2L;
        }
      });
      limp.overrides().shed("count", java.time.Duration.ofMinutes(1), "test", "tester");

      assertEquals(7, proxy.count());
      assertEquals(8L, proxy.total());
    }
  }

  interface Unreachable {
    @LimpFeature(name = "range", tier = Tier.SHEDDABLE, fallbackMethod = "rangeCheckForAdd")
    void check(int index);
  }

  static final class UnreachableImpl extends AbstractList<String> implements Unreachable {
    @Override
    public void check(int index) {
    }

    @Override
    public String get(int index) {
      throw new IndexOutOfBoundsException(index);
    }

    @Override
    public int size() {
      return 0;
    }
  }

  @Test
  void fallbackMethodThatLimpCannotCallIsRejected() {
    try (Limp limp = limp()) {
      fails(IllegalArgumentException.class, () -> limp.proxy(Unreachable.class, new UnreachableImpl()),
          "Unreachable.check(int)", "limp cannot call", "rangeCheckForAdd(int)", "open its package");
    }
  }

  // ---------------------------------------------------------------- defer, stale values, empty values

  interface DeferValue {
    @LimpFeature(name = "mail", tier = Tier.SHEDDABLE, defer = true)
    boolean send(String to);
  }

  @Test
  void deferOnMethodReturningValueIsRejected() {
    try (Limp limp = limp()) {
      fails(IllegalArgumentException.class, () -> limp.proxy(DeferValue.class, target(DeferValue.class)),
          "DeferValue.send(String)", "defer is only for void methods", "returns boolean");
    }
  }

  interface DeferWithFallback {
    @LimpFeature(name = "mail", tier = Tier.SHEDDABLE, defer = true, fallbackMethod = "drop")
    void send(String to);

    default void drop(String to) {
    }
  }

  @Test
  void deferWithFallbackMethodIsRejected() {
    try (Limp limp = limp()) {
      fails(IllegalArgumentException.class, () -> limp.proxy(DeferWithFallback.class,
          target(DeferWithFallback.class)), "DeferWithFallback.send(String)",
          "defer and fallbackMethod 'drop' exclude each other");
    }
  }

  interface StaleVoid {
    @LimpFeature(name = "mail", tier = Tier.SHEDDABLE, staleValues = true)
    void send(String to);
  }

  @Test
  void staleValuesOnVoidMethodIsRejected() {
    try (Limp limp = limp()) {
      fails(IllegalArgumentException.class, () -> limp.proxy(StaleVoid.class, target(StaleVoid.class)),
          "StaleVoid.send(String)", "staleValues needs a value to keep", "returns void");
    }
  }

  interface NoEmptyValue {
    @LimpFeature(name = "counter", tier = Tier.SHEDDABLE, onShed = OnShed.EMPTY)
    AtomicLong counter(String name);
  }

  @Test
  void onShedEmptyForReturnTypeWithoutEmptyValueIsRejected() {
    try (Limp limp = limp()) {
      fails(IllegalArgumentException.class, () -> limp.proxy(NoEmptyValue.class, target(NoEmptyValue.class)),
          "NoEmptyValue.counter(String)", "onShed = EMPTY", "java.util.concurrent.atomic.AtomicLong has no "
              + "empty value", "allowed: void, primitives");
    }
  }

  interface AnnotatedToString {
    @LimpFeature(name = "names", tier = Tier.SHEDDABLE)
    @Override
    String toString();
  }

  @Test
  void annotationOnObjectMethodIsRejected() {
    try (Limp limp = limp()) {
      fails(IllegalArgumentException.class,
          () -> limp.proxy(AnnotatedToString.class, target(AnnotatedToString.class)),
          "AnnotatedToString.toString()", "never guarded");
    }
  }

  interface BadName {
    @LimpFeature(name = "no spaces please", tier = Tier.SHEDDABLE)
    String value();
  }

  @Test
  void invalidFeatureNameIsRejectedNamingMethod() {
    try (Limp limp = limp()) {
      fails(IllegalArgumentException.class, () -> limp.proxy(BadName.class, target(BadName.class)),
          "BadName.value()", "feature name must be", "'no spaces please'");
    }
  }

  // ---------------------------------------------------------------- tiers and declared features

  interface TwoTiers {
    @LimpFeature(name = "search", tier = Tier.SHEDDABLE)
    String a();

    @LimpFeature(name = "search", tier = Tier.CRITICAL)
    String b();
  }

  @Test
  void oneFeatureNamedWithTwoTiersIsRejected() {
    try (Limp limp = limp()) {
      fails(IllegalStateException.class, () -> limp.proxy(TwoTiers.class, target(TwoTiers.class)),
          "feature 'search' is given two tiers", "SHEDDABLE by TwoTiers.a()", "CRITICAL by TwoTiers.b()");
      assertTrue(limp.findGuard("search").isEmpty());
    }
  }

  interface Search {
    @LimpFeature(name = "search", tier = Tier.SHEDDABLE, staleValues = true)
    String search(String query);
  }

  @Test
  void tierOtherThanDeclaredFeatureTierIsRejected() {
    try (Limp limp = limp(FeatureConfig.of("search", Tier.SHEDDABLE_PLUS))) {
      fails(IllegalStateException.class, () -> limp.proxy(Search.class, target(Search.class)),
          "feature 'search' is declared as SHEDDABLE_PLUS", "Search.search(String) gives it SHEDDABLE");
    }
  }

  @Test
  void staleValuesOnFeatureDeclaredWithoutThemIsRejected() {
    try (Limp limp = limp(FeatureConfig.of("search", Tier.SHEDDABLE))) {
      fails(IllegalArgumentException.class, () -> limp.proxy(Search.class, target(Search.class)),
          "Search.search(String)", "staleValues = true", "feature 'search' is declared without stale values",
          "FeatureConfig.Builder.staleValues(maxAge, maxEntries)");
    }
  }

  interface Mail {
    @LimpFeature(name = "mail", tier = Tier.SHEDDABLE, defer = true)
    void send(String to);
  }

  @Test
  void deferOnFeatureDeclaredWithoutQueueIsRejected() {
    try (Limp limp = limp(FeatureConfig.of("mail", Tier.SHEDDABLE))) {
      fails(IllegalArgumentException.class, () -> limp.proxy(Mail.class, target(Mail.class)),
          "Mail.send(String)", "defer = true", "feature 'mail' is declared without a deferral queue",
          "FeatureConfig.Builder.deferWhenShed(capacity)");
    }
  }

  interface Partly {
    @LimpFeature(name = "fine", tier = Tier.SHEDDABLE)
    String fine();

    @LimpFeature(name = "broken", tier = Tier.SHEDDABLE, defer = true)
    String broken();
  }

  @Test
  void misuseOfOneMethodDeclaresNoFeatureOfTheOthers() {
    try (Limp limp = limp()) {
      assertThrows(IllegalArgumentException.class, () -> limp.proxy(Partly.class, target(Partly.class)));

      assertTrue(limp.findGuard("fine").isEmpty());
      assertTrue(limp.findGuard("broken").isEmpty());
    }
  }
}
