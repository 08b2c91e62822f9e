/** The fleet's command-line tool, {@link dev.limp.redis.cli.FleetCli}: overrides, members and audit from a shell. */
package dev.limp.redis.cli;
