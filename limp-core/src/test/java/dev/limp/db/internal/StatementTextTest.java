package dev.limp.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.db.internal.StatementText.Quoting;
import org.junit.jupiter.api.Test;

/** Statement texts as PostgreSQL and as MariaDB/MySQL read them: no value survives in the shape. */
class StatementTextTest {
  @Test
  void theShapeKeepsNoValue() {
    assertEquals("SELECT * FROM notifications WHERE user_id = ? AND body = ? LIMIT ?",
        StatementText.shape("SELECT *  FROM notifications\n WHERE user_id = 4711 AND body = 'it''s me' LIMIT 20",
            Quoting.STANDARD));
    assertEquals("SELECT t1.x2 FROM t1 WHERE y = ? AND z = ? AND w = ?",
        StatementText.shape("SELECT t1.x2 FROM t1 WHERE y = $1 AND z = ? AND w = 1.5e3 -- user 42\n",
            Quoting.STANDARD));
    assertEquals("SELECT \"Col 1\" FROM \"Odd 2\" WHERE b = ?", StatementText.shape(
        "SELECT \"Col 1\" FROM \"Odd 2\" /* 7 */ WHERE b = $tag$secret 9$tag$", Quoting.STANDARD));
  }

  @Test
  void statementsThatDifferOnlyInTheirValuesHaveOneShape() {
    assertEquals(StatementText.shape("SELECT * FROM n WHERE user_id = 1", Quoting.STANDARD),
        StatementText.shape("SELECT * FROM n WHERE user_id = 99999", Quoting.STANDARD));
  }

  @Test
  void placeholdersAreNumberedOutsideQuotesAndComments() {
    StatementText.Numbered n = StatementText.number(
        "SELECT '?', \"a?\" FROM t WHERE a = ? /* ? */ AND b ?? 'k' AND c = ? -- ?\n", Quoting.STANDARD);

    assertEquals("SELECT '?', \"a?\" FROM t WHERE a = $1 /* ? */ AND b ? 'k' AND c = $2 -- ?\n", n.sql());
    assertEquals(2, n.parameters());
  }

  @Test
  void postgresEscapeStringsEndAfterTheirEscapedQuotes() {
    assertEquals("SELECT * FROM t WHERE a = E? AND b = ? AND c = ?", StatementText.shape(
        "SELECT * FROM t WHERE a = E'O\\'Brien' AND b = 'C:\\' AND c = 0x1F", Quoting.STANDARD));
  }

  @Test
  void mysqlStringsEscapeQuotesWithABackslashAndNoPieceOfTheValueIsKept() {
    String oBrien = "SELECT * FROM users WHERE name = 'O\\'Brien' AND note = \"say \\\"hi\\\" 'x'\" AND id = 7";
    assertEquals("SELECT * FROM users WHERE name = ? AND note = ? AND id = ?",
        StatementText.shape(oBrien, Quoting.MYSQL));
    assertEquals(StatementText.shape(oBrien, Quoting.MYSQL),
        StatementText.shape(oBrien.replace("O\\'Brien", "D\\'Arcy"), Quoting.MYSQL), "one shape, whatever the name");
    assertEquals("SELECT * FROM users WHERE name = ?", StatementText.shape(
        "SELECT * FROM users WHERE name = 'back\\\\slash'", Quoting.MYSQL), "an escaped backslash escapes no quote");
  }

  @Test
  void mysqlKeepsBacktickNamesAndDropsHashComments() {
    assertEquals("SELECT `odd ``name`` 1` FROM `t 2` WHERE a = ? AND b = b?", StatementText.shape(
        "SELECT `odd ``name`` 1` FROM `t 2` # user 4711\nWHERE a = 0x1F AND b = b'0101'", Quoting.MYSQL));
  }

  @Test
  void mysqlPlaceholdersAreCountedOutsideQuotesAndComments() {
    StatementText.Numbered n = StatementText.number(
        "SELECT '\\'?', \"?\", `a?` FROM t WHERE a = ? # ?\n AND b = ? /* ? */ AND c IN (?, ?)", Quoting.MYSQL);

    assertEquals(4, n.parameters(), n.sql());
  }

  @Test
  void explainableAreQueriesAndDml() {
    assertTrue(StatementText.explainable(" /* poll */ (SELECT 1)"));
    assertTrue(StatementText.explainable("with x as (select 1) select * from x"));
    assertTrue(StatementText.explainable("-- c\nUPDATE t SET a = 1"));
    assertTrue(StatementText.explainable("# MariaDB's comment\nDELETE FROM t WHERE a = 1"));
    assertFalse(StatementText.explainable("CREATE TABLE t (a int)"));
    assertFalse(StatementText.explainable("SET statement_timeout = 5"));
    assertFalse(StatementText.explainable("COMMIT"));
  }

  @Test
  void dollarQuotedStringsAndDoubledQuotesHideTheirPlaceholdersOnPostgres() {
    // the cases of limp-test's former SqlText, whose plan check now uses this class
    StatementText.Numbered n = StatementText.number("SELECT '?', \"a?\", $$?$$, $t$ ? $t$ FROM t -- ?\n"
        + "WHERE a = ? /* ? */ AND b = ? AND j ?? 'k' AND s = 'it''s ?'", Quoting.STANDARD);
    assertEquals("SELECT '?', \"a?\", $$?$$, $t$ ? $t$ FROM t -- ?\n"
        + "WHERE a = $1 /* ? */ AND b = $2 AND j ? 'k' AND s = 'it''s ?'", n.sql());
    assertEquals(2, n.parameters());
    assertEquals(new StatementText.Numbered("SELECT $1 FROM t", 0),
        StatementText.number("SELECT $1 FROM t", Quoting.STANDARD));
  }

  @Test
  void explainsQueriesAndDmlButNotDdlSetOrTransactionCommands() {
    assertTrue(StatementText.explainable("  /* poll */ select 1"));
    assertTrue(StatementText.explainable("(SELECT 1) UNION (SELECT 2)"));
    assertTrue(StatementText.explainable("-- c\nWITH x AS (SELECT 1) SELECT * FROM x"));
    assertTrue(StatementText.explainable("update t set a = 1"));
    assertFalse(StatementText.explainable("CREATE TABLE t (a int)"));
    assertFalse(StatementText.explainable("SET statement_timeout = 0"));
    assertFalse(StatementText.explainable("BEGIN"));
    assertFalse(StatementText.explainable("CALL p(?)"));
    assertFalse(StatementText.explainable(""));
  }
}
