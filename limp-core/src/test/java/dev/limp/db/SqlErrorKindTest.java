package dev.limp.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.limp.db.internal.SqlErrorKind;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How database errors are told apart: lock trouble, timeouts, lost connections, and the application's own. */
class SqlErrorKindTest {

  @ParameterizedTest(name = "SQLState {0} is {1}")
  @CsvSource({
      "40001, LOCK",       // serialization failure (PostgreSQL, SQL standard)
      "40P01, LOCK",       // PostgreSQL deadlock detected
      "55P03, LOCK",       // PostgreSQL lock_not_available (lock_timeout, NOWAIT)
      "57014, TIMEOUT",    // PostgreSQL query_canceled (statement_timeout, cancel)
      "08000, CONNECTION", // connection exception
      "08001, CONNECTION", // could not establish the connection
      "08003, CONNECTION", // connection does not exist
      "08006, CONNECTION", // connection failure
      "08S01, CONNECTION", // communication link failure (MySQL, SQL Server)
      "23505, OTHER",      // unique violation: the application's business
      "42P01, OTHER",      // undefined table
      "42S02, OTHER",      // H2 table not found
      "HY000, OTHER"})
  void classifiesBySqlState(String sqlState, SqlErrorKind kind) {
    assertEquals(kind, SqlErrorKind.of(new SQLException("boom", sqlState)));
  }

  @Test
  void classifiesMySqlLockWaitTimeoutAndDeadlockByVendorCode() {
    assertEquals(SqlErrorKind.LOCK, SqlErrorKind.of(new SQLException("Lock wait timeout exceeded", "HY000", 1205)));
    assertEquals(SqlErrorKind.LOCK, SqlErrorKind.of(new SQLException("Deadlock found", "40001", 1213)));
    assertEquals(SqlErrorKind.LOCK, SqlErrorKind.of(new SQLException("Deadlock found", null, 1213)));
    assertEquals(SqlErrorKind.OTHER, SqlErrorKind.of(new SQLException("Duplicate entry", "23000", 1062)));
  }

  @Test
  void classifiesMariaDbAndMySqlStatementTimeLimitsByVendorCodeOrState() {
    // MariaDB's max_statement_time (1969) and MySQL's MAX_EXECUTION_TIME (3024) and KILL QUERY (1317), even from a
    // driver that throws a plain SQLException for them
    assertEquals(SqlErrorKind.TIMEOUT, SqlErrorKind.of(new SQLException(
        "Query execution was interrupted (max_statement_time exceeded)", "70100", 1969)));
    assertEquals(SqlErrorKind.TIMEOUT, SqlErrorKind.of(new SQLException("maximum statement execution time exceeded",
        "HY000", 3024)));
    assertEquals(SqlErrorKind.TIMEOUT, SqlErrorKind.of(new SQLException("Query execution was interrupted", null,
        1317)));
    assertEquals(SqlErrorKind.TIMEOUT, SqlErrorKind.of(new SQLException("interrupted", "70100")));
    assertEquals(SqlErrorKind.LOCK, SqlErrorKind.of(new SQLException("NOWAIT is set", "HY000", 3572)));
  }

  @Test
  void aTimeoutExceptionWithoutSqlStateIsATimeout() {
    assertEquals(SqlErrorKind.TIMEOUT, SqlErrorKind.of(new SQLTimeoutException("query timed out")));
    assertEquals(SqlErrorKind.TIMEOUT, SqlErrorKind.of(new SQLTimeoutException("timed out", "HYT00")));
  }

  @Test
  void aTransientConnectionExceptionIsAConnectionError() {
    // HikariCP's "Connection is not available, request timed out after 250ms" carries no SQLState
    assertEquals(SqlErrorKind.CONNECTION,
        SqlErrorKind.of(new SQLTransientConnectionException("pool - Connection is not available")));
    assertEquals(SqlErrorKind.CONNECTION,
        SqlErrorKind.of(new SQLTransientConnectionException("refused", "08001")));
  }

  @Test
  void theSqlStateWinsOverTheExceptionClass() {
    assertEquals(SqlErrorKind.LOCK, SqlErrorKind.of(new SQLTimeoutException("lock timeout", "55P03")));
  }

  @Test
  void aChainedNextExceptionIsLookedAtWhenTheFirstSaysNothing() {
    BatchUpdateException batch = new BatchUpdateException("Batch entry 3 was aborted", "", 0, new int[0], null);
    batch.setNextException(new SQLException("deadlock detected", "40P01"));
    assertEquals(SqlErrorKind.LOCK, SqlErrorKind.of(batch));

    SQLException outer = new SQLException("statement failed", "HY000");
    outer.setNextException(new SQLTimeoutException("canceling statement due to statement timeout", "57014"));
    assertEquals(SqlErrorKind.TIMEOUT, SqlErrorKind.of(outer));
  }

  @Test
  void theFirstExceptionWinsWhenItSaysSomething() {
    SQLException outer = new SQLException("connection lost", "08006");
    outer.setNextException(new SQLException("deadlock detected", "40P01"));
    assertEquals(SqlErrorKind.CONNECTION, SqlErrorKind.of(outer));
  }

  @Test
  void anExceptionWithoutStateCodeOrKnownClassIsOther() {
    assertEquals(SqlErrorKind.OTHER, SqlErrorKind.of(new SQLException("who knows")));
    assertEquals(SqlErrorKind.OTHER, SqlErrorKind.of(new SQLIntegrityConstraintViolationException("dup", "23505")));
  }
}
