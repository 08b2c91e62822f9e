/**
 * limp in Spring MVC: the advice that answers a shed call reaching a controller with a 503, Retry-After and
 * a problem detail. Created by the auto-configuration in a servlet web application.
 */
package dev.limp.spring.web;
