/**
 * limp's place in the application context's lifecycle: governing and the publishing of level changes as
 * application events start once the context is ready (a {@code SmartLifecycle}), with one start-up summary
 * line. Infrastructure created by the auto-configuration, not API: public only so that it can create it.
 */
package dev.limp.spring.context;
