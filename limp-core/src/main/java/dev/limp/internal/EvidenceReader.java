package dev.limp.internal;

import dev.limp.FeatureState;
import dev.limp.GovernorPolicy;
import dev.limp.ShedCause;
import dev.limp.SignalRule;
import dev.limp.SignalSnapshot;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads, at a tick, what the features' own watched calls say (see {@link FeatureEvidence}) and what the
 * signals say about pressure now, for the {@link GovernorDecider} and the {@link AdmissionPlanner}.
 * Stateless.
 */
final class EvidenceReader {
  private EvidenceReader() {
  }

  /** Each feature's observations since its admission last changed; features without any are left out. */
  static Map<String, FeatureEvidence.Observations> observations(Collection<FeatureRuntime> features) {
    Map<String, FeatureEvidence.Observations> seen = new LinkedHashMap<>();
    for (FeatureRuntime f : features) {
      FeatureEvidence.Observations o = f.evidence().observations();
      if (o != FeatureEvidence.Observations.NONE) {
        seen.put(f.name(), o);
      }
    }
    return seen;
  }

  /** Per feature, its watched calls healthy in a row. */
  static Map<String, Integer> healthyInARow(Map<String, FeatureEvidence.Observations> seen) {
    Map<String, Integer> inARow = new LinkedHashMap<>();
    seen.forEach((feature, o) -> inARow.put(feature, o.healthyInARow()));
    return inARow;
  }

  /**
   * Whether the features the governor's level sheds say the database is fine for them: at least one was
   * tried, every one tried had {@link GovernorPolicy#TRIALS_TO_RESTORE} healthy trials in a row, and every one
   * let back in by its evidence has had no unhealthy call since.
   */
  static boolean levelRecovered(Collection<FeatureRuntime> features, Map<String, FeatureEvidence.Observations> seen) {
    boolean any = false;
    for (FeatureRuntime f : features) {
      Admission a = f.admission();
      FeatureEvidence.Observations o = seen.getOrDefault(f.name(), FeatureEvidence.Observations.NONE);
      boolean levelShed = a.state() == FeatureState.SHED && a.reason() != null
          && a.reason().cause() == ShedCause.LEVEL;
      if (a.exemptAt() != null) {
        any = true;
        if (o.unhealthy() > 0) {
          return false;
        }
      } else if (levelShed && o.healthy() + o.unhealthy() > 0) {
        any = true;
        if (o.healthyInARow() < GovernorPolicy.TRIALS_TO_RESTORE) {
          return false;
        }
      }
    }
    return any;
  }

  /** Whether some signal is at or above an enter threshold of some level now. */
  static boolean pressureNow(GovernorPolicy policy, SignalSnapshot signals) {
    for (SignalRule rule : policy.rules()) {
      double value = signals.get(rule.signal());
      if (Double.isNaN(value)) {
        continue;
      }
      for (SignalRule.Threshold t : rule.thresholds()) {
        if (value >= t.enter()) {
          return true;
        }
      }
    }
    return false;
  }
}
