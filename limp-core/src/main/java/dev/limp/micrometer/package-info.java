/**
 * Micrometer meters for a limp instance: {@link dev.limp.micrometer.LimpMetrics}, a {@code MeterBinder}
 * of the level, features, calls and signals, under names an application can change with
 * {@link dev.limp.micrometer.LimpMetricNames}.
 *
 * <p>Micrometer is an optional dependency of limp: this package is the only one that refers to it, and
 * nothing in limp loads it unless the application calls {@code LimpMetrics}. The engine runs without
 * Micrometer on the class path.
 */
package dev.limp.micrometer;
