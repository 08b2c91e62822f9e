package dev.limp;

/**
 * The governor's ladder of degradation levels. Each level sheds every tier the level below sheds, plus one
 * more: {@link #NORMAL} sheds nothing and {@link #SHED_CRITICAL} keeps only {@link Tier#CRITICAL_PLUS}.
 *
 * <p>Levels are ordered: escalation may jump several levels at once; recovery goes down one level at a
 * time.
 */
public enum Level {
  /** Everything runs. */
  NORMAL(null),
  /** {@link Tier#SHEDDABLE} features are shed. */
  SHED_SHEDDABLE(Tier.SHEDDABLE),
  /** {@link Tier#SHEDDABLE} and {@link Tier#SHEDDABLE_PLUS} features are shed. */
  SHED_SHEDDABLE_PLUS(Tier.SHEDDABLE_PLUS),
  /** Only {@link Tier#CRITICAL_PLUS} features run. */
  SHED_CRITICAL(Tier.CRITICAL);

  private final Tier highestShedTier;

  Level(Tier highestShedTier) {
    this.highestShedTier = highestShedTier;
  }

  /** Whether a feature of the given tier is shed at this level. The top tier is never shed by a level. */
  public boolean sheds(Tier tier) {
    return highestShedTier != null && tier.compareTo(highestShedTier) >= 0;
  }

  /** The most critical tier this level sheds, or {@code null} for {@link #NORMAL}. */
  public Tier highestShedTier() {
    return highestShedTier;
  }

  /** The next level down, towards {@link #NORMAL}; {@code NORMAL} for {@code NORMAL}. */
  public Level lower() {
    return this == NORMAL ? NORMAL : values()[ordinal() - 1];
  }

  /** The deepest level of the ladder. */
  public static Level deepest() {
    return SHED_CRITICAL;
  }

  /**
   * The level of the given name, ignoring case, for text boundaries (JMX, properties).
   *
   * @throws IllegalArgumentException naming the value and the allowed names when there is no such level
   */
  public static Level parse(String name) {
    if (name != null) {
      for (Level level : values()) {
        if (level.name().equalsIgnoreCase(name.trim())) {
          return level;
        }
      }
    }
    throw new IllegalArgumentException("level must be one of " + java.util.Arrays.toString(values())
        + ", but was '" + name + "'");
  }
}
