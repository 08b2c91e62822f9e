package dev.limp.benchmarks.survival;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.Tracer;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import com.alibaba.csp.sentinel.slots.block.RuleConstant;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRule;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRuleManager;
import com.alibaba.csp.sentinel.slots.block.degrade.circuitbreaker.CircuitBreaker;
import com.alibaba.csp.sentinel.slots.block.degrade.circuitbreaker.EventObserverRegistry;
import dev.limp.FeatureState;
import dev.limp.examples.chat.ChatProtection;
import dev.limp.examples.chat.ChatService;
import dev.limp.examples.chat.ProtectionContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a Sentinel user would configure: per feature, a degrade rule on the slow-request ratio and one on the
 * error ratio, with the numbers limp's defaults use where they mean the same thing ({@link #rules}); on every
 * feature, or on the secondary features only.
 *
 * <p>Sentinel keeps its rules and statistics in static state: each run uses resource names of its own
 * ({@code <run>/<feature>}), loads its rules on start and removes them, and its state observer, on close.
 * Runs must not overlap.
 */
final class SentinelProtection implements ChatProtection {
  private final boolean criticalToo;

  /** @param criticalToo whether chat.read and chat.post get degrade rules (and Sentinel entries) as well */
  SentinelProtection(boolean criticalToo) {
    this.criticalToo = criticalToo;
  }

  static final int SLOW_MILLIS = 250;
  static final double RATIO = 0.5;
  static final int MIN_REQUESTS = 10;
  static final int STAT_INTERVAL_MS = 10_000;
  static final int OPEN_SECONDS = 10;

  @Override
  public String label() {
    return criticalToo ? "Sentinel" : "Sentinel (secondary only)";
  }

  /**
   * A 10 s statistics interval (limp's signal window), at least 10 requests, open when half the requests are
   * slower than 250 ms (limp's first query-latency threshold) or half fail, for 10 s, then one trial request.
   */
  static List<DegradeRule> rules(String resource) {
    DegradeRule slow = new DegradeRule(resource);
    slow.setGrade(RuleConstant.DEGRADE_GRADE_RT);
    slow.setCount(SLOW_MILLIS);
    slow.setSlowRatioThreshold(RATIO);
    slow.setMinRequestAmount(MIN_REQUESTS);
    slow.setStatIntervalMs(STAT_INTERVAL_MS);
    slow.setTimeWindow(OPEN_SECONDS);
    DegradeRule errors = new DegradeRule(resource);
    errors.setGrade(RuleConstant.DEGRADE_GRADE_EXCEPTION_RATIO);
    errors.setCount(RATIO);
    errors.setMinRequestAmount(MIN_REQUESTS);
    errors.setStatIntervalMs(STAT_INTERVAL_MS);
    errors.setTimeWindow(OPEN_SECONDS);
    return List.of(slow, errors);
  }

  @Override
  public Protected protect(ProtectionContext context) {
    String prefix = "limp-survival/" + context.runName() + "/";
    Map<String, String> featureOf = new HashMap<>();
    List<DegradeRule> rules = new ArrayList<>();
    List<String> guarded = criticalToo ? GuardedChatService.FEATURES : GuardedChatService.SECONDARY;
    for (String feature : guarded) {
      featureOf.put(prefix + feature, feature);
      rules.addAll(rules(prefix + feature));
    }
    // Each rule has its own breaker; a feature is shed while any of them is open.
    Map<String, Map<DegradeRule, CircuitBreaker.State>> states = new LinkedHashMap<>();
    for (String feature : guarded) {
      states.put(feature, new HashMap<>());
    }
    String observer = prefix + "observer";
    EventObserverRegistry.getInstance().addStateChangeObserver(observer, (from, to, rule, value) -> {
      String feature = featureOf.get(rule.getResource());
      if (feature == null) {
        return; // another run's rule
      }
      FeatureState before;
      FeatureState after;
      synchronized (states) {
        before = stateOf(states.get(feature));
        states.get(feature).put(rule, to);
        after = stateOf(states.get(feature));
      }
      if (before != after) {
        context.featureChanged(feature, after, "Sentinel " + (rule.getGrade() == RuleConstant.DEGRADE_GRADE_RT
            ? "slow-ratio" : "error-ratio") + " breaker " + from + " → " + to, false);
      }
    });
    DegradeRuleManager.loadRules(rules);
    ChatService plain = context.serviceOver(context.pool());
    ChatService chat = new GuardedChatService(plain) {
      @Override
      <T> T critical(String feature, Supplier<T> work) {
        if (!criticalToo) {
          return work.get();
        }
        Entry entry;
        try {
          entry = SphU.entry(prefix + feature);
        } catch (BlockException blocked) {
          throw new IllegalStateException("Sentinel refused " + feature, blocked);
        }
        return run(entry, work);
      }

      @Override
      <T> Page<T> secondary(String feature, Supplier<Page<T>> work) {
        Entry entry;
        try {
          entry = SphU.entry(prefix + feature);
        } catch (BlockException blocked) {
          return Page.paused("CIRCUIT_BREAKER", "Sentinel degraded '" + feature + "'");
        }
        return run(entry, work);
      }

      private <T> T run(Entry entry, Supplier<T> work) {
        try {
          return work.get();
        } catch (RuntimeException e) {
          Tracer.traceEntry(e, entry);
          throw e;
        } finally {
          entry.exit();
        }
      }
    };
    return new Protected() {
      @Override
      public ChatService service() {
        return chat;
      }

      @Override
      public String shedSummary() {
        List<String> open = new ArrayList<>();
        synchronized (states) {
          states.forEach((feature, byRule) -> {
            FeatureState s = stateOf(byRule);
            if (s != FeatureState.ACTIVE) {
              open.add(feature + " (" + s + ")");
            }
          });
        }
        return "degraded: " + (open.isEmpty() ? "–" : String.join(", ", open));
      }

      @Override
      public boolean allRestored() {
        synchronized (states) {
          return states.values().stream().allMatch(byRule -> stateOf(byRule) == FeatureState.ACTIVE);
        }
      }

      @Override
      public void close() {
        DegradeRuleManager.loadRules(List.of());
        EventObserverRegistry.getInstance().removeStateChangeObserver(observer);
      }
    };
  }

  private static FeatureState stateOf(Map<DegradeRule, CircuitBreaker.State> byRule) {
    if (byRule.containsValue(CircuitBreaker.State.OPEN)) {
      return FeatureState.SHED;
    }
    return byRule.containsValue(CircuitBreaker.State.HALF_OPEN) ? FeatureState.RAMPING : FeatureState.ACTIVE;
  }
}
