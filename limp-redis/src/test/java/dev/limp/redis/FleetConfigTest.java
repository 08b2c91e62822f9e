package dev.limp.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.redis.internal.FleetMessage;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration and message-format rules; no Redis needed. */
class FleetConfigTest {
  private static final RedisURI URI = RedisURI.create("redis://user:secret@127.0.0.1:6379");

  @Test
  void defaultsAreTheDocumentedOnes() {
    FleetConfig c = FleetConfig.builder("chat", URI).build();
    assertEquals(FleetConfig.DEFAULT_HEARTBEAT_INTERVAL, c.heartbeatInterval());
    assertEquals(FleetConfig.DEFAULT_MEMBER_TTL, c.memberTtl());
    assertEquals(FleetConfig.DEFAULT_AUDIT_MAX_LENGTH, c.auditMaxLength());
    assertTrue(c.instanceId().isEmpty());
    assertTrue(!c.toString().contains("secret"), c.toString());
  }

  @Test
  void badValuesAreRefusedWithTheRejectedValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FleetConfig.builder("chat:evil", URI));
    assertTrue(e.getMessage().contains("'chat:evil'"), e.getMessage());
    assertThrows(NullPointerException.class, () -> FleetConfig.builder("chat", null));
    assertThrows(IllegalArgumentException.class,
        () -> FleetConfig.builder("chat", URI).heartbeatInterval(Duration.ofMillis(10)));
    assertThrows(IllegalArgumentException.class, () -> FleetConfig.builder("chat", URI).instanceId("a b"));
    assertThrows(IllegalArgumentException.class, () -> FleetConfig.builder("chat", URI).auditMaxLength(1));
    IllegalStateException conflict = assertThrows(IllegalStateException.class, () -> FleetConfig.builder("chat",
        URI).heartbeatInterval(Duration.ofSeconds(3)).memberTtl(Duration.ofSeconds(5)).build());
    assertTrue(conflict.getMessage().startsWith("memberTtl must be at least twice heartbeatInterval"),
        conflict.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FleetRule.atLeast(0));
    assertThrows(IllegalArgumentException.class, () -> FleetRule.atLeastShare(1.5));
  }

  @Test
  void theRuleCountsInstancesOrAShare() {
    assertTrue(FleetRule.atLeast(2).reached(2, 5));
    assertTrue(!FleetRule.atLeast(2).reached(1, 1));
    assertTrue(FleetRule.atLeastShare(0.5).reached(2, 4));
    assertTrue(!FleetRule.atLeastShare(0.5).reached(1, 4));
    assertTrue(!FleetRule.atLeastShare(0.5).reached(0, 0));
  }

  @Test
  void messagesReadBackAndAnythingElseIsRefused() {
    FleetMessage m = FleetMessage.parse("limp1;APPLY;SHED;chat%3Bx;10;20;pod-1;7;alice;db+is+slow");
    assertEquals("chat;x", m.target());
    assertEquals("feature:chat;x", m.field());
    assertEquals("db is slow", m.reason());
    assertEquals(20, m.expiresAtMs());
    FleetMessage r = FleetMessage.parse("limp1;RELEASE;*;10;cli%40h;8;bob");
    assertEquals(FleetMessage.ALL, r.target());
    for (String bad : new String[] {"", "limp2;APPLY", "limp1;APPLY;SHED;x;10;20;o;1;a", "limp1;NUKE;*;1;o;1;a",
        "limp1;APPLY;FORCE_LEVEL;PANIC;10;20;o;1;a;r", "limp1;APPLY;SHED;x;20;10;o;1;a;r",
        "limp1;APPLY;SHED;x;10;20;o;-1;a;r", "limp1;RELEASE;table;1;o;1;a", "limp1;APPLY;SHED;%zz;10;20;o;1;a;r",
        "limp1;APPLY;SHED;+;10;20;o;1;a;r"}) {
      assertThrows(IllegalArgumentException.class, () -> FleetMessage.parse(bad), bad);
    }
  }

  @Test
  void theRedisFixtureFailsOnCiAndSkipsElsewhere() {
    assertTrue(RedisFixture.of(Map.of("CI", "true")).isCi());
    assertTrue(!RedisFixture.of(Map.of("CI", "false")).isCi());
    assertTrue(!RedisFixture.of(Map.of()).isCi());
  }
}
