/**
 * {@code @LimpFeature} on Spring beans: the advising post-processor that guards annotated methods.
 * Infrastructure created by the auto-configuration, not API: it is public only so that the
 * auto-configuration can create it.
 */
package dev.limp.spring.aop;
