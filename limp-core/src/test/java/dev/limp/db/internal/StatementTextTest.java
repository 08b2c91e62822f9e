package dev.limp.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatementTextTest {
  @Test
  void theShapeKeepsNoValue() {
    assertEquals("SELECT * FROM notifications WHERE user_id = ? AND body = ? LIMIT ?",
        StatementText.shape("SELECT *  FROM notifications\n WHERE user_id = 4711 AND body = 'it''s me' LIMIT 20"));
    assertEquals("SELECT t1.x2 FROM t1 WHERE y = ? AND z = ? AND w = ?",
        StatementText.shape("SELECT t1.x2 FROM t1 WHERE y = $1 AND z = ? AND w = 1.5e3 -- user 42\n"));
    assertEquals("SELECT \"Col 1\" FROM \"Odd 2\" WHERE b = ?", StatementText.shape(
        "SELECT \"Col 1\" FROM \"Odd 2\" /* 7 */ WHERE b = $tag$secret 9$tag$"));
  }

  @Test
  void statementsThatDifferOnlyInTheirValuesHaveOneShape() {
    assertEquals(StatementText.shape("SELECT * FROM n WHERE user_id = 1"),
        StatementText.shape("SELECT * FROM n WHERE user_id = 99999"));
  }

  @Test
  void placeholdersAreNumberedOutsideQuotesAndComments() {
    StatementText.Numbered n = StatementText.number(
        "SELECT '?', \"a?\" FROM t WHERE a = ? /* ? */ AND b ?? 'k' AND c = ? -- ?\n");

    assertEquals("SELECT '?', \"a?\" FROM t WHERE a = $1 /* ? */ AND b ? 'k' AND c = $2 -- ?\n", n.sql());
    assertEquals(2, n.parameters());
  }

  @Test
  void explainableAreQueriesAndDml() {
    assertTrue(StatementText.explainable(" /* poll */ (SELECT 1)"));
    assertTrue(StatementText.explainable("with x as (select 1) select * from x"));
    assertTrue(StatementText.explainable("-- c\nUPDATE t SET a = 1"));
    assertFalse(StatementText.explainable("CREATE TABLE t (a int)"));
    assertFalse(StatementText.explainable("SET statement_timeout = 5"));
    assertFalse(StatementText.explainable("COMMIT"));
  }
}
