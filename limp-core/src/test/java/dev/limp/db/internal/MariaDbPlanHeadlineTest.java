package dev.limp.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.db.internal.MariaDbPlanHeadline.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The headline of plans MariaDB 10.11 printed (tabular EXPLAIN; the columns {@code table}, {@code type},
 * {@code key}, {@code rows}, {@code Extra} of each row) for a 200,000-row notifications table indexed on
 * {@code user_id} and a 20,000-row messages table without an index on {@code room_id}.
 */
class MariaDbPlanHeadlineTest {
  @Test
  void theLostParenthesesAreAFullTableScan() {
    // EXPLAIN SELECT id FROM notifications WHERE user_id = 7 AND seen = false OR message_id = 5
    Row h = MariaDbPlanHeadline.of(List.of(
        new Row("notifications", "ALL", null, 199_748, "Using where")));

    assertTrue(h.fullScan());
    assertEquals("Full table scan (ALL) on notifications, ~199,748 rows", h.text());
  }

  @Test
  void theParenthesesBackAreAnIndexLookup() {
    // EXPLAIN SELECT id FROM notifications WHERE user_id = 7 AND (seen = false OR message_id = 5)
    Row h = MariaDbPlanHeadline.of(List.of(
        new Row("notifications", "ref", "notifications_user", 40, "Using where")));

    assertFalse(h.fullScan());
    assertEquals("Index lookup (ref) using notifications_user on notifications, ~40 rows", h.text());
  }

  @Test
  void theFirstFullScanOfARealTableWinsOverTheRowsBeforeIt() {
    // EXPLAIN SELECT * FROM messages WHERE room_id IN (SELECT user_id FROM notifications WHERE id = 3)
    assertEquals("Full table scan (ALL) on messages, ~19,874 rows", MariaDbPlanHeadline.of(List.of(
        new Row("notifications", "const", "PRIMARY", 1, null),
        new Row("messages", "ALL", null, 19_874, "Using where"))).text());
    // EXPLAIN SELECT * FROM notifications n JOIN messages m ON m.id = n.message_id WHERE n.tag = 'x'
    assertEquals("Full table scan (ALL) on n, ~199,748 rows", MariaDbPlanHeadline.of(List.of(
        new Row("n", "ALL", null, 199_748, "Using where"),
        new Row("m", "eq_ref", "PRIMARY", 1, ""))).text(), "the plan names the table by its alias");
  }

  @Test
  void theServersOwnTemporaryTablesAreNotTheHeadline() {
    // EXPLAIN SELECT * FROM (SELECT tag, count(*) c FROM notifications GROUP BY tag) d WHERE d.c > 3
    assertEquals("Full table scan (ALL) on notifications, ~199,748 rows", MariaDbPlanHeadline.of(List.of(
        new Row("<derived2>", "ALL", null, 199_748, "Using where"),
        new Row("notifications", "ALL", null, 199_748, "Using temporary; Using filesort"))).text());
    // EXPLAIN SELECT * FROM (SELECT user_id, count(*) c FROM notifications GROUP BY user_id) d WHERE d.c > 3
    assertEquals("Full index scan (index) using notifications_user on notifications, ~199,748 rows",
        MariaDbPlanHeadline.of(List.of(
            new Row("<derived2>", "ALL", null, 199_748, "Using where"),
            new Row("notifications", "index", "notifications_user", 199_748, "Using index"))).text(),
        "no full scan of a real table: the first row of one");
    // EXPLAIN SELECT * FROM messages m WHERE EXISTS (SELECT 1 FROM notifications n WHERE n.message_id = m.id
    // AND n.seen): a semi-join, materialised
    assertEquals("Full table scan (ALL) on m, ~19,874 rows", MariaDbPlanHeadline.of(List.of(
        new Row("m", "ALL", "PRIMARY", 19_874, ""),
        new Row("<subquery2>", "eq_ref", "distinct_key", 1, ""),
        new Row("n", "ALL", null, 199_748, "Using where"))).text());
  }

  @Test
  void otherAccessesNameTheirIndex() {
    // EXPLAIN SELECT id FROM notifications WHERE user_id BETWEEN 5 AND 9
    assertEquals("Index range scan (range) using notifications_user on notifications, ~200 rows",
        MariaDbPlanHeadline.of(List.of(new Row("notifications", "range", "notifications_user", 200,
            "Using where; Using index"))).text());
    // EXPLAIN SELECT id FROM notifications WHERE id = 5
    assertEquals("Index lookup (const) using PRIMARY on notifications, ~1 row", MariaDbPlanHeadline.of(List.of(
        new Row("notifications", "const", "PRIMARY", 1, "Using index"))).text());
    // EXPLAIN UPDATE notifications SET seen = true WHERE message_id = 9
    assertEquals("Full index scan (index) using PRIMARY on notifications, ~199,748 rows",
        MariaDbPlanHeadline.of(List.of(new Row("notifications", "index", "PRIMARY", 199_748, "Using where")))
            .text());
  }

  @Test
  void aPlanThatReadsNoTableSaysWhy() {
    // EXPLAIN SELECT id FROM notifications WHERE id = -1
    assertEquals("Impossible WHERE noticed after reading const tables", MariaDbPlanHeadline.of(List.of(
        new Row(null, null, null, -1, "Impossible WHERE noticed after reading const tables"))).text());
    // EXPLAIN SELECT 1
    assertEquals("No tables used", MariaDbPlanHeadline.of(List.of(
        new Row(null, null, null, -1, "No tables used"))).text());
  }

  @Test
  void aUnionIsHeadlinedByItsFirstScanNotByItsResult() {
    // EXPLAIN SELECT * FROM messages UNION SELECT * FROM messages WHERE room_id = 3
    assertEquals("Full table scan (ALL) on messages, ~19,874 rows", MariaDbPlanHeadline.of(List.of(
        new Row("messages", "ALL", null, 19_874, ""),
        new Row("messages", "ALL", null, 19_874, "Using where"),
        new Row("<union1,2>", "ALL", null, -1, ""))).text());
  }

  @Test
  void anEmptyPlanIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> MariaDbPlanHeadline.of(List.of()));
  }
}
