package dev.limp.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.LimpBuilder;
import dev.limp.OperatorOverride;
import dev.limp.Overrides;
import dev.limp.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LimpBuilder#overridesDecorator}: the front end a module (limp-redis) puts before the operator switch
 * is what every front end reaches.
 */
class OverridesDecoratorTest {

  /** Records each call, then passes it on. */
  private static final class Recording implements Overrides {
    final Overrides own;
    final List<String> calls = new ArrayList<>();

    Recording(Overrides own) {
      this.own = own;
    }

    @Override
    public OperatorOverride forceLevel(Level level, Duration duration, String reason, String actor) {
      calls.add("forceLevel " + level);
      return own.forceLevel(level, duration, reason, actor);
    }

    @Override
    public OperatorOverride shed(String feature, Duration duration, String reason, String actor) {
      calls.add("shed " + feature);
      return own.shed(feature, duration, reason, actor);
    }

    @Override
    public OperatorOverride shedTopTier(String feature, Duration duration, String reason, String actor) {
      calls.add("shedTopTier " + feature);
      return own.shedTopTier(feature, duration, reason, actor);
    }

    @Override
    public OperatorOverride pin(String feature, Duration duration, String reason, String actor) {
      calls.add("pin " + feature);
      return own.pin(feature, duration, reason, actor);
    }

    @Override
    public boolean releaseLevel(String actor) {
      calls.add("releaseLevel");
      return own.releaseLevel(actor);
    }

    @Override
    public boolean releaseFeature(String feature, String actor) {
      calls.add("releaseFeature " + feature);
      return own.releaseFeature(feature, actor);
    }

    @Override
    public int releaseAll(String actor) {
      calls.add("releaseAll");
      return own.releaseAll(actor);
    }

    @Override
    public List<OperatorOverride> active() {
      return own.active();
    }
  }

  @Test
  void codeAndJmxReachTheDecoratedSwitch() {
    Recording[] made = new Recording[1];
    try (Limp limp = Limp.builder().name("decorated").governorThread(false)
        .feature("search", Tier.SHEDDABLE)
        .overridesDecorator(own -> made[0] = new Recording(own))
        .build()) {
      assertSame(made[0], limp.overrides());
      limp.overrides().shed("search", Duration.ofMinutes(1), "slow", "alice");
      new LimpMXBeanAdapter(limp).forceLevel("SHED_SHEDDABLE", 60, "drill");
      assertEquals(List.of("shed search", "forceLevel SHED_SHEDDABLE"), made[0].calls);
      assertEquals(2, made[0].own.active().size());
    }
  }

  @Test
  void aDecoratorThatReturnsNullIsRefusedAtBuild() {
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> Limp.builder().name("null-decorator").governorThread(false).overridesDecorator(own -> null).build());
    assertEquals("overridesDecorator returned null; return the switch it was given to keep it as it is",
        e.getMessage());
  }
}
