/**
 * limp in Spring Boot Actuator: the {@code limp} endpoint (status, and operator overrides when access is
 * opened; over HTTP, a refused override is a problem-detail 400), the {@code limpevents} endpoint (the last
 * decisions, from a {@link dev.limp.spring.actuate.LimpEventLog}) and the {@code limp} health indicator.
 * Created by the auto-configuration when Actuator is present; an application may declare its own instead.
 */
package dev.limp.spring.actuate;
