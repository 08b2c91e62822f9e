/**
 * limp for users' own tests; add {@code dev.limp:limp-test} with test scope.
 *
 * <p>{@link dev.limp.test.PlanCheckExtension} records every distinct statement a test runs through a
 * {@link dev.limp.db.MonitoredDataSource}, EXPLAINs each against the test's own database once the test is over
 * (never ANALYZE: nothing runs twice), and fails the test when a plan reads a table larger than a threshold by
 * a sequential scan. Its settings come from a {@link dev.limp.test.PlanCheckConfig} and, per test class or
 * method, from {@link dev.limp.test.PlanCheck}. PostgreSQL's, MariaDB's and MySQL's JSON plans are read as trees.
 *
 * <p>{@link dev.limp.test.DatabaseDrill} makes one feature's database work go wrong on demand (slow statements,
 * slow acquires, held connections, refused connections), so a test can assert that its configuration sheds the
 * right features; {@link dev.limp.test.DrivenClock} is a clock the test moves and
 * {@link dev.limp.test.InjectedSignals} a signal source whose readings the test sets.
 *
 * <p>The implementation lives in {@code dev.limp.test.internal}, which is not API.
 */
package dev.limp.test;
