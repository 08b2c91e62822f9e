/**
 * limp and the application's DataSource: the post-processor that wraps it in a monitored DataSource.
 * Infrastructure created by the auto-configuration, not API: it is public only so that the
 * auto-configuration can create it.
 */
package dev.limp.spring.jdbc;
