/**
 * The plan check's implementation, not API: the statement log a test's monitored DataSource feeds, the
 * placeholder rewriting, and one {@link dev.limp.test.internal.PlanReader} per database, which EXPLAINs a
 * statement (never ANALYZE) and reads the JSON plan as a tree.
 */
package dev.limp.test.internal;
