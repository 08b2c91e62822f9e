package dev.limp;

/**
 * How critical a feature is, from most to least critical. Modelled on the request criticalities of
 * Google's SRE book: the governor sheds tiers from the bottom up, and never sheds {@link #CRITICAL_PLUS}
 * on its own (only an operator's explicit top-tier override can).
 *
 * <p>Tiers are ordered: {@code CRITICAL_PLUS.compareTo(SHEDDABLE) < 0}.
 */
public enum Tier {
  /** The reason the service exists (posting and reading chat messages). Never shed automatically. */
  CRITICAL_PLUS,
  /** Needed for the service to be useful, but can go last when only the very core can be kept. */
  CRITICAL,
  /** Users notice its absence, but the product still works (notifications, mentions). */
  SHEDDABLE_PLUS,
  /** Shed first: nice to have, or done again later anyway (search, analytics, exports). */
  SHEDDABLE;

  /** Whether this is the top tier, which the governor never sheds on its own. */
  public boolean isTop() {
    return this == CRITICAL_PLUS;
  }
}
