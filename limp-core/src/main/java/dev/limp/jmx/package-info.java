/**
 * The operator switch over JMX. {@link dev.limp.jmx.LimpJmx} registers an instance's
 * {@link dev.limp.jmx.LimpMXBean} under {@code dev.limp:type=Limp,name=<instance name>} (the name bare;
 * quoted only if it holds a character an ObjectName value cannot hold bare), with the platform MBeanServer
 * or a given one, or hands the MBean and its ObjectName to a framework's own exporter. Its
 * {@code MBeanInfo} names every operation's parameters and describes them, durations in seconds.
 *
 * <p>The MXBean uses open types only (strings, primitives, {@code CompositeData} rows for the features,
 * {@code TabularData} for the signals), so that {@code jconsole}, VisualVM and command-line clients work
 * without limp's classes. Its attributes are racy point-in-time reads; its operations force a level, shed,
 * shed the top tier, pin or release, each with a duration in seconds and a reason, and are recorded with
 * the caller's JMX principal. The rules are {@link dev.limp.Overrides}'s; a refused request throws an
 * {@link IllegalArgumentException} (a JDK type every client can show) and changes nothing.
 */
package dev.limp.jmx;
