/**
 * {@code @LimpFeature} on Spring beans: the advising post-processor that guards annotated methods, and
 * refuses at start-up a method whose result is still to come ({@code Mono}, {@code Flux},
 * {@code CompletionStage}, {@code Future}), which a guard of the calling thread cannot guard.
 * Infrastructure created by the auto-configuration, not API: it is public only so that the
 * auto-configuration can create it.
 */
package dev.limp.spring.aop;
