package dev.limp.test.internal;

/**
 * A table a plan reads whole: its name as the plan gives it (schema-qualified when the database says), its
 * size in rows as the database estimates it, and the plan node's headline, for the failure message.
 */
public record TableScan(String table, long rows, String headline) {}
