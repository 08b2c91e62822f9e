/**
 * limp for Spring Boot: what an application touches. Customizers of the auto-configured limp instance and
 * of its DataSource monitor, the application event of a level change, and the exception a wrong
 * {@code limp.*} setting fails start-up with. The {@code limp.*} properties are bound by
 * {@link dev.limp.spring.autoconfigure.LimpProperties}; the rest of the integration lives in the
 * sub-packages, each created by the auto-configuration only when its library is present.
 */
package dev.limp.spring;
