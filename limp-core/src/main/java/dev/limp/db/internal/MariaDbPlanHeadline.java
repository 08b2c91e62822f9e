package dev.limp.db.internal;

import java.util.List;
import java.util.Locale;

/**
 * The headline of a plan in MariaDB's and MySQL's tabular {@code EXPLAIN} (one row per table read, in join
 * order, subqueries after): the row that says most about what the statement costs. The first full table scan
 * ({@code type} {@code ALL}, or MariaDB's {@code hash_ALL}) of a real table, else the first row that reads a
 * real table, else the first row. The server's own temporary tables ({@code <derived2>}, {@code <subquery2>},
 * {@code <union1,2>}) are not real tables: they hold what a read of a real table produced, which a row of its
 * own shows. The headline reads as limp-test's plan check writes it: "Full table scan (ALL) on notifications,
 * ~199,748 rows". Stateless.
 */
final class MariaDbPlanHeadline {
  private MariaDbPlanHeadline() {}

  /**
   * One row of the tabular {@code EXPLAIN}, the columns the headline reads.
   *
   * @param table the table as the plan names it (its alias, when the statement gives one); {@code null} when
   *     no table is read
   * @param type how it is read ({@code ALL}, {@code index}, {@code range}, {@code ref}, {@code eq_ref},
   *     {@code const}, ...); {@code null} when no table is read
   * @param key the index used; {@code null} for none
   * @param rows the optimizer's estimate of the rows it examines; -1 when the plan gives none
   * @param extra the {@code Extra} column ("Using where", "Impossible WHERE noticed after reading const
   *     tables"); {@code null} for none
   */
  record Row(String table, String type, String key, long rows, String extra) {
    /** Whether the row reads the whole table: {@code ALL}, or {@code hash_ALL} (a hash join's full scan). */
    boolean fullScan() {
      return "ALL".equalsIgnoreCase(type) || "hash_ALL".equalsIgnoreCase(type);
    }

    /** Whether the row reads a table of the database, not one the server made ({@code <derived2>}). */
    boolean realTable() {
      return table != null && !table.isEmpty() && !table.startsWith("<");
    }

    /**
     * For people: "Full table scan (ALL) on notifications, ~199,748 rows", "Index lookup (ref) using
     * notifications_user on notifications, ~40 rows"; a row that reads no table says why ("Impossible WHERE
     * noticed after reading const tables").
     */
    String text() {
      if (type == null || table == null) {
        return extra == null || extra.isBlank() ? "No table read" : extra;
      }
      StringBuilder sb = new StringBuilder(access()).append(" (").append(type).append(')');
      if (key != null && !fullScan()) {
        sb.append(" using ").append(key);
      }
      sb.append(" on ").append(table);
      if (rows >= 0) {
        sb.append(String.format(Locale.ROOT, ", ~%,d row%s", rows, rows == 1 ? "" : "s"));
      }
      return sb.toString();
    }

    private String access() {
      if (fullScan()) {
        return "Full table scan";
      }
      String t = type.toLowerCase(Locale.ROOT);
      return switch (t) {
        case "index" -> "Full index scan";
        case "range" -> "Index range scan";
        case "index_merge" -> "Index merge";
        case "system", "const", "eq_ref", "ref", "ref_or_null", "unique_subquery", "index_subquery",
            "fulltext" -> "Index lookup";
        default -> t.startsWith("hash_") ? "Hash join" : "Access";
      };
    }
  }

  /**
   * The headline row of a plan, its rows in the order {@code EXPLAIN} returned them.
   *
   * @throws IllegalArgumentException if the plan has no row
   */
  static Row of(List<Row> plan) {
    if (plan.isEmpty()) {
      throw new IllegalArgumentException("not a plan in MariaDB's tabular format: no row");
    }
    Row firstReal = null;
    for (Row row : plan) {
      if (row.realTable()) {
        if (row.fullScan()) {
          return row;
        }
        if (firstReal == null) {
          firstReal = row;
        }
      }
    }
    return firstReal != null ? firstReal : plan.get(0);
  }
}
