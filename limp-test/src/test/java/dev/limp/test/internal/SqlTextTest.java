package dev.limp.test.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SqlTextTest {
  @Test
  void numbersPlaceholdersOutsideQuotesAndComments() {
    SqlText.Numbered n = SqlText.number("SELECT '?', \"a?\", $$?$$, $t$ ? $t$ FROM t -- ?\n"
        + "WHERE a = ? /* ? */ AND b = ? AND j ?? 'k' AND s = 'it''s ?'");
    assertEquals("SELECT '?', \"a?\", $$?$$, $t$ ? $t$ FROM t -- ?\n"
        + "WHERE a = $1 /* ? */ AND b = $2 AND j ? 'k' AND s = 'it''s ?'", n.sql());
    assertEquals(2, n.parameters());
  }

  @Test
  void leavesAStatementWithoutPlaceholdersAsItIs() {
    assertEquals(new SqlText.Numbered("SELECT $1 FROM t", 0), SqlText.number("SELECT $1 FROM t"));
  }

  @Test
  void explainsQueriesAndDmlButNotDdlSetOrTransactionCommands() {
    assertTrue(SqlText.explainable("  /* poll */ select 1"));
    assertTrue(SqlText.explainable("(SELECT 1) UNION (SELECT 2)"));
    assertTrue(SqlText.explainable("-- c\nWITH x AS (SELECT 1) SELECT * FROM x"));
    assertTrue(SqlText.explainable("update t set a = 1"));
    assertFalse(SqlText.explainable("CREATE TABLE t (a int)"));
    assertFalse(SqlText.explainable("SET statement_timeout = 0"));
    assertFalse(SqlText.explainable("BEGIN"));
    assertFalse(SqlText.explainable("CALL p(?)"));
    assertFalse(SqlText.explainable(""));
  }
}
