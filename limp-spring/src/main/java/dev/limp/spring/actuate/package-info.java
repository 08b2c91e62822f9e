/**
 * limp in Spring Boot Actuator: the {@code limp} endpoint (status, and operator overrides when access is
 * opened) and the {@code limp} health indicator. Created by the auto-configuration when Actuator is present;
 * an application may declare its own instead.
 */
package dev.limp.spring.actuate;
