package dev.limp.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The headline of plans PostgreSQL 15 printed for a 200,000-row notifications table (EXPLAIN, text format). */
class PlanHeadlineTest {
  @Test
  void theLostParenthesesAreAParallelSeqScanUnderAGather() {
    PlanHeadline h = PlanHeadline.of(List.of(
        "Gather  (cost=1000.00..4238.51 rows=28 width=21)",
        "  Workers Planned: 1",
        "  ->  Parallel Seq Scan on notifications  (cost=0.00..3235.71 rows=16 width=21)",
        "        Filter: (((user_id = 7) AND (NOT seen)) OR (message_id = 5))"));

    assertEquals("Parallel Seq Scan on notifications", h.node());
    assertEquals("notifications", h.relation());
    assertTrue(h.sequentialScan());
    assertEquals("Parallel Seq Scan on notifications, ~200,000 rows", h.text(200_000), "the rows it reads");
    assertEquals("Parallel Seq Scan on notifications, ~16 rows", h.text(-1), "the plan's estimate, unanalyzed");
  }

  @Test
  void theParenthesesBackAreABitmapScanOfTheIndex() {
    PlanHeadline h = PlanHeadline.of(List.of(
        "Bitmap Heap Scan on notifications n  (cost=4.60..145.41 rows=27 width=21)",
        "  Recheck Cond: (user_id = 7)",
        "  Filter: ((NOT seen) OR (message_id = 5))",
        "  ->  Bitmap Index Scan on notifications_user  (cost=0.00..4.59 rows=40 width=0)",
        "        Index Cond: (user_id = 7)"));

    assertFalse(h.sequentialScan());
    assertEquals("Bitmap Heap Scan on notifications, ~27 rows", h.text(200_000), "the alias is left out");
  }

  @Test
  void aSeqScanUnderAnAggregateIsTheHeadlineNotTheAggregate() {
    PlanHeadline h = PlanHeadline.of(List.of(
        "Aggregate  (cost=3803.50..3803.51 rows=1 width=8)",
        "  ->  Seq Scan on notifications  (cost=0.00..3471.00 rows=133000 width=0)",
        "        Filter: (NOT seen)"));

    assertEquals("Seq Scan on notifications, ~200,000 rows", h.text(200_000));
  }

  @Test
  void theFirstSeqScanWinsOverAnIndexScanBeforeIt() {
    PlanHeadline h = PlanHeadline.of(List.of(
        "Nested Loop  (cost=3975.61..4116.73 rows=40 width=21)",
        "  ->  HashAggregate  (cost=3971.00..3971.01 rows=1 width=4)",
        "        Group Key: notifications_1.user_id",
        "        ->  Seq Scan on notifications notifications_1  (cost=0.00..3971.00 rows=1 width=4)",
        "              Filter: (message_id = 3)",
        "  ->  Bitmap Heap Scan on notifications  (cost=4.60..145.32 rows=40 width=21)",
        "        Recheck Cond: (user_id = notifications_1.user_id)"));

    assertEquals("Seq Scan on notifications", h.node());
    assertEquals("notifications", h.relation());
  }

  @Test
  void anIndexScanBackwardUnderALimit() {
    PlanHeadline h = PlanHeadline.of(List.of(
        "Limit  (cost=0.42..1.42 rows=20 width=21)",
        "  ->  Index Scan Backward using notifications_pkey on notifications  (cost=0.42..6678.42 rows=133000 "
            + "width=21)",
        "        Filter: (NOT seen)"));

    assertEquals("Index Scan Backward using notifications_pkey on notifications, ~133,000 rows", h.text(-1));
  }

  @Test
  void anUpdateIsHeadlinedByTheScanThatFindsItsRows() {
    PlanHeadline h = PlanHeadline.of(List.of(
        "Update on notifications  (cost=0.00..3971.00 rows=0 width=0)",
        "  ->  Seq Scan on notifications  (cost=0.00..3971.00 rows=1 width=7)",
        "        Filter: (message_id = 9)"));

    assertEquals("Seq Scan on notifications, ~200,000 rows", h.text(200_000));
  }

  @Test
  void aQuotedTableNameKeepsItsQuotesForTheCatalog() {
    PlanHeadline h = PlanHeadline.of(List.of(
        "Seq Scan on \"Odd Name\" o  (cost=0.00..0.00 rows=1 width=4)",
        "  Filter: (id = 3)"));

    assertEquals("\"Odd Name\"", h.relation());
    assertEquals("Seq Scan on \"Odd Name\", ~1 row", h.text(0));
  }

  @Test
  void withoutAScanTheTopNodeIsTheHeadline() {
    assertEquals("Result, ~1 row", PlanHeadline.of(List.of("Result  (cost=0.00..0.01 rows=1 width=4)")).text(-1));
  }

  @Test
  void aConditionThatLooksLikeANodeIsNotTakenForOne() {
    PlanHeadline h = PlanHeadline.of(List.of(
        "Index Scan using messages_pkey on messages  (cost=0.29..8.31 rows=1 width=40)",
        "  Filter: (body = 'Seq Scan on secrets  (cost=0.00..1.00 rows=9 width=1)'::text)"));

    assertFalse(h.sequentialScan());
    assertEquals("Index Scan using messages_pkey on messages, ~1 row", h.text(-1));
  }

  @Test
  void somethingElseIsNotAPlan() {
    assertThrows(IllegalArgumentException.class, () -> PlanHeadline.of(List.of("QUERY PLAN")));
    assertThrows(IllegalArgumentException.class, () -> PlanHeadline.of(List.of()));
  }
}
