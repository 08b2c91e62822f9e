/**
 * limp in Spring MVC and WebFlux: the advice that answers a shed call reaching a controller (thrown, or a
 * reactive controller's {@code Mono.error}) with a 503, Retry-After and a problem detail. Created by the
 * auto-configuration in a servlet or a reactive web application.
 */
package dev.limp.spring.web;
