/**
 * limp's API: keep the critical path alive while the database is in trouble.
 *
 * <p>Build an instance with {@link dev.limp.Limp#builder()}: declare {@linkplain dev.limp.FeatureConfig
 * features} with their {@linkplain dev.limp.Tier tiers}, add {@linkplain dev.limp.SignalSource signal
 * sources} and a {@linkplain dev.limp.GovernorPolicy policy}. Run each feature's work through its
 * {@linkplain dev.limp.FeatureGuard guard}; the governor turns signals into a {@linkplain dev.limp.Level
 * level} and sheds features, whose callers then get a fallback, a stale value, a default or a
 * {@link dev.limp.FeatureShedException}. Operators override decisions through {@link dev.limp.Overrides};
 * {@linkplain dev.limp.LimpListener listeners} hear every change.
 *
 * <p>Everything here is an interface, an immutable value or a validating builder. The implementation lives
 * in {@code dev.limp.internal}, which is not API.
 */
package dev.limp;
