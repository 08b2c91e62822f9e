/**
 * limp's operator MXBean registered through Spring's {@code MBeanExporter}. Infrastructure created by the
 * auto-configuration, not API: it is public only so that the auto-configuration can create it.
 */
package dev.limp.spring.jmx;
