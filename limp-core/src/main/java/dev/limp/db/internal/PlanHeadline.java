package dev.limp.db.internal;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The headline of a plan, read from PostgreSQL's text {@code EXPLAIN}: the node that says most about what the
 * statement costs. The first sequential scan (a table read whole), else the first other scan, else the top
 * node; with the planner's row estimate. Only node lines are read: the first line, and the lines whose
 * text starts with {@code ->} (details such as {@code Filter:} never do, so a literal in a condition that
 * looks like a node is never taken for one). A value.
 *
 * @param node the node as the plan names it, the alias left out of a scan ("Seq Scan on notifications",
 *     "Index Scan using notifications_user on notifications", "Result")
 * @param relation the table a sequential scan reads, as the plan prints it (quoted if it needs quotes); else
 *     {@code null}
 * @param rows the planner's estimate of the rows the node returns
 */
record PlanHeadline(String node, String relation, long rows) {
  /** "Seq Scan on notifications  (cost=0.00..3471.00 rows=133000 width=0)", with its indentation and arrow. */
  private static final Pattern NODE = Pattern.compile(
      "^\\s*(?:->\\s+)?(.+?)\\s+\\(cost=[0-9.]+\\.\\.[0-9.]+ rows=([0-9]+) width=[0-9]+\\)");
  /** A sequential scan, parallel or not, and the relation it reads (a quoted name may contain spaces). */
  private static final Pattern SEQ_SCAN = Pattern.compile("^((?:Parallel )?Seq Scan on )(\"(?:[^\"]|\"\")+\"|\\S+)");
  /** A scan of some other kind, and the alias after its relation (dropped from the headline). */
  private static final Pattern OTHER_SCAN = Pattern.compile(
      "^(.* Scan (?:.*? )?on (?:\"(?:[^\"]|\"\")+\"|\\S+))(?: \\S+)?$");

  /**
   * The headline of a plan, one line of {@code EXPLAIN}'s text output per element.
   *
   * @throws IllegalArgumentException if the first line is not a plan node
   */
  static PlanHeadline of(List<String> lines) {
    PlanHeadline top = null;
    PlanHeadline firstScan = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (i > 0 && !line.stripLeading().startsWith("->")) {
        continue;
      }
      Matcher m = NODE.matcher(line);
      if (!m.find()) {
        if (i == 0) {
          throw new IllegalArgumentException("not a plan in PostgreSQL's text format: " + line);
        }
        continue;
      }
      String name = m.group(1);
      long rows = Long.parseLong(m.group(2));
      Matcher seq = SEQ_SCAN.matcher(name);
      if (seq.find()) {
        return new PlanHeadline(seq.group(1) + seq.group(2), seq.group(2), rows);
      }
      if (top == null) {
        top = new PlanHeadline(name, null, rows);
      }
      Matcher scan = OTHER_SCAN.matcher(name);
      if (firstScan == null && scan.find()) {
        firstScan = new PlanHeadline(scan.group(1), null, rows);
      }
    }
    if (top == null) {
      throw new IllegalArgumentException("not a plan in PostgreSQL's text format: (empty)");
    }
    return firstScan != null ? firstScan : top;
  }

  /** Whether the headline is a sequential scan. */
  boolean sequentialScan() {
    return relation != null;
  }

  /**
   * For people: "Seq Scan on notifications, ~200,000 rows". For a sequential scan, {@code tableRows} (the
   * table's size as the catalog estimates it) is what it reads; when unknown (0 or less), the plan's own
   * estimate of the rows it returns is shown.
   */
  String text(long tableRows) {
    long shown = sequentialScan() && tableRows > 0 ? tableRows : rows;
    return String.format(Locale.ROOT, "%s, ~%,d row%s", node, shown, shown == 1 ? "" : "s");
  }
}
