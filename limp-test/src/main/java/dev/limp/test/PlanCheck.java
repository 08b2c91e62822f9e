package dev.limp.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The plan check's settings for one test class or method, over those the {@link PlanCheckExtension} was
 * built with: a method's annotation wins over its class's for {@link #seqScanRowLimit()} and
 * {@link #enabled()}; the {@link #allow()} lists of the extension, the class and the method add up.
 *
 * <pre>{@code
 * @Test
 * @PlanCheck(seqScanRowLimit = 1_000, allow = "countries")
 * void inboxUsesTheIndex() { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface PlanCheck {
  /** Read as "not set here": the class's value, or the extension's. */
  long INHERIT = -1;

  /**
   * A sequential scan of a table with more rows than this (as the database estimates them) fails the test;
   * {@link #INHERIT} by default. 0 forbids every sequential scan of a table that is not allowed.
   */
  long seqScanRowLimit() default INHERIT;

  /** Tables that may be read by sequential scans whatever their size (names as in {@link PlanCheckConfig.Builder#allow}). */
  String[] allow() default {};

  /** Whether the plans of this class's or method's statements are checked at all. */
  boolean enabled() default true;
}
