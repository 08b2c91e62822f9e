package dev.limp.redis;

import static dev.limp.redis.TestFleet.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.redis.internal.FleetKeys;
import dev.limp.redis.internal.Heartbeats;
import dev.limp.redis.internal.RedisLink;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fifty instances in one JVM: every one in the view, with level, features and signals; stopped ones drop out. */
class FleetViewTest {
  @RegisterExtension
  static final RedisFixture REDIS = RedisFixture.local();

  @Test
  void fiftyInstancesShowInTheViewAndStoppedOnesDropOut() {
    ClientResources shared = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1)
        .build();
    List<LimpFleet> fleets = new ArrayList<>();
    List<Limp> limps = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        LimpFleet f = LimpFleet.create(REDIS.config().instanceId(String.format("pod-%02d", i))
            .clientResources(shared).build());
        Limp l = Limp.builder().name("pod-" + i).feature("chat.post", Tier.CRITICAL_PLUS)
            .feature("search", Tier.SHEDDABLE).signalSource(sink -> sink.put(TestFleet.LOAD, 3))
            .overridesDecorator(f::overrides).build();
        f.join(l);
        fleets.add(f);
        limps.add(l);
      }
      limps.get(7).overrides().forceLevel(Level.SHED_SHEDDABLE, Duration.ofMinutes(1), "view test", "alice");
      LimpFleet any = fleets.get(0);
      await("50 members, all at SHED_SHEDDABLE", Duration.ofSeconds(3), () -> {
        List<FleetMember> m = any.members();
        return m.size() == 50 && m.stream().allMatch(x -> x.level() == Level.SHED_SHEDDABLE);
      });
      FleetMember pod3 = any.members().get(3);
      assertEquals("pod-03", pod3.instance());
      assertEquals("SHED", pod3.features().get("search"));
      assertEquals("ACTIVE", pod3.features().get("chat.post"));
      assertEquals(3.0, pod3.signals().get("test.load"));
      assertEquals(1, pod3.overrides());

      for (int i = 40; i < 50; i++) {
        fleets.get(i).close();
      }
      assertEquals(40, any.members().size(), "a closed member leaves the view at once");
    } finally {
      fleets.forEach(LimpFleet::close);
      limps.forEach(Limp::close);
      shared.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  @Test
  void aMemberThatStopsWithoutLeavingDropsOutWithinItsTtl() {
    FleetConfig config = REDIS.config().memberTtl(Duration.ofMillis(400)).build();
    try (RedisLink link = new RedisLink(config, null, null);
        Limp limp = Limp.builder().name("crashed").feature("search", Tier.SHEDDABLE).build()) {
      Heartbeats heartbeats = new Heartbeats(new FleetKeys(REDIS.fleet()), link, config.memberTtl());
      heartbeats.publish("crashed", limp.status());
      assertEquals(1, heartbeats.members().size());
      long gone = await("dropped out", Duration.ofSeconds(2), () -> heartbeats.members().isEmpty());
      assertTrue(gone < 1_000_000_000L);
    }
  }
}
