/**
 * limp and the application's DataSource: the post-processor that has limp watch it, and the proxy that
 * keeps the bean's type while its connections go through limp's monitored DataSource (so
 * {@code @Autowired HikariDataSource} keeps working). Infrastructure created by the auto-configuration,
 * not API: the post-processor is public only so that the auto-configuration can create it.
 */
package dev.limp.spring.jdbc;
