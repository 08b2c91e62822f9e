package dev.limp.redis;

import dev.limp.FeatureState;
import dev.limp.GovernorPolicy;
import dev.limp.Limp;
import dev.limp.LimpBuilder;
import dev.limp.Signal;
import dev.limp.SignalSource;
import dev.limp.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** Fleet members for tests: each a limp instance and its membership, on its own Lettuce client. */
final class TestFleet implements AutoCloseable {
  static final Signal LOAD = Signal.of("test.load", Signal.Unit.COUNT);

  /** One member: its instance, its membership, the signal readings the test sets. */
  record Member(Limp limp, LimpFleet fleet, Map<Signal, Double> readings) implements AutoCloseable {
    FeatureState state(String feature) {
      return limp.guard(feature).state();
    }

    @Override
    public void close() {
      fleet.close();
      limp.close();
    }
  }

  private final RedisFixture redis;
  private final List<Member> members = new ArrayList<>();

  TestFleet(RedisFixture redis) {
    this.redis = redis;
  }

  Member start(String name) {
    return start(name, c -> c, b -> b);
  }

  Member start(String name, UnaryOperator<FleetConfig.Builder> config, UnaryOperator<LimpBuilder> limp) {
    Map<Signal, Double> readings = new ConcurrentHashMap<>();
    SignalSource source = sink -> readings.forEach(sink::put);
    LimpFleet fleet = LimpFleet.create(config.apply(redis.config().instanceId(name)).build());
    Limp l = limp.apply(Limp.builder()
        .name(name)
        .tickInterval(Duration.ofMillis(20))
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature("profile", Tier.CRITICAL)
        .feature("notifications", Tier.SHEDDABLE_PLUS)
        .feature("search", Tier.SHEDDABLE)
        .signalSource(source)
        .policy(GovernorPolicy.custom()
            .rule(dev.limp.SignalRule.of(LOAD).level(dev.limp.Level.SHED_SHEDDABLE_PLUS, 10, 5).build())
            .rule(FleetRule.signalRule())
            .minDwell(Duration.ofMillis(200))
            .build())
        .overridesDecorator(fleet::overrides))
        .build();
    try {
      fleet.join(l);
    } catch (RuntimeException e) {
      l.close();
      throw e;
    }
    Member m = new Member(l, fleet, readings);
    members.add(m);
    return m;
  }

  /** Waits until {@code condition} holds; returns the nanoseconds it took, or fails after {@code timeout}. */
  static long await(String what, Duration timeout, BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(0, 200_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return System.nanoTime() - start;
  }

  @Override
  public void close() {
    for (Member m : members) {
      m.close();
    }
  }
}
