package dev.limp.test.internal;

import java.util.Locale;
import java.util.Set;

/**
 * What the plan check needs to know of a statement's text without parsing SQL: whether EXPLAIN can take it
 * (by its first keyword), and its JDBC {@code ?} placeholders, found outside quotes and comments and numbered
 * {@code $1, $2, ...} for PostgreSQL's {@code PREPARE}. Quotes are read as PostgreSQL reads them with
 * {@code standard_conforming_strings} on (a backslash is an ordinary character). Stateless.
 */
public final class SqlText {
  /** The first keywords of statements EXPLAIN plans on both PostgreSQL and MariaDB/MySQL. */
  private static final Set<String> EXPLAINABLE = Set.of("SELECT", "WITH", "INSERT", "UPDATE", "DELETE");

  private SqlText() {}

  /** Whether EXPLAIN takes this statement (a query or DML, not DDL, SET, a transaction command or a call). */
  public static boolean explainable(String sql) {
    String rest = skipSpaceAndComments(sql, 0);
    int end = 0;
    while (end < rest.length() && Character.isLetter(rest.charAt(end))) {
      end++;
    }
    return EXPLAINABLE.contains(rest.substring(0, end).toUpperCase(Locale.ROOT));
  }

  private static String skipSpaceAndComments(String sql, int from) {
    int i = from;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i)) {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? sql.length() : eol + 1;
      } else if (sql.startsWith("/*", i)) {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? sql.length() : close + 2;
      } else {
        break;
      }
    }
    return sql.substring(i);
  }

  /** The text with each placeholder numbered ({@code ?} becomes {@code $1}, ...; {@code ??} becomes {@code ?}). */
  public static Numbered number(String sql) {
    StringBuilder out = new StringBuilder(sql.length() + 8);
    int count = 0;
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      int end = skipQuotedOrComment(sql, i);
      if (end > i) {
        out.append(sql, i, end);
        i = end;
      } else if (c == '?' && i + 1 < sql.length() && sql.charAt(i + 1) == '?') {
        out.append('?'); // pgjdbc's escape for a literal ? (a JSON operator)
        i += 2;
      } else if (c == '?') {
        out.append('$').append(++count);
        i++;
      } else {
        out.append(c);
        i++;
      }
    }
    return new Numbered(out.toString(), count);
  }

  /** The text with its placeholders numbered, and how many there are. */
  public record Numbered(String sql, int parameters) {}

  /** The end of a quoted string, quoted name, dollar-quoted string or comment starting at {@code i}, or {@code i}. */
  private static int skipQuotedOrComment(String sql, int i) {
    char c = sql.charAt(i);
    if (c == '\'' || c == '"' || c == '`') {
      int j = i + 1;
      while (j < sql.length()) {
        if (sql.charAt(j) == c) {
          if (j + 1 < sql.length() && sql.charAt(j + 1) == c) {
            j += 2; // doubled quote
            continue;
          }
          return j + 1;
        }
        j++;
      }
      return sql.length();
    }
    if (sql.startsWith("--", i)) {
      int eol = sql.indexOf('\n', i);
      return eol < 0 ? sql.length() : eol + 1;
    }
    if (sql.startsWith("/*", i)) {
      int close = sql.indexOf("*/", i + 2);
      return close < 0 ? sql.length() : close + 2;
    }
    if (c == '$') {
      int tagEnd = i + 1;
      while (tagEnd < sql.length() && (Character.isLetterOrDigit(sql.charAt(tagEnd)) || sql.charAt(tagEnd) == '_')) {
        tagEnd++;
      }
      if (tagEnd < sql.length() && sql.charAt(tagEnd) == '$' && (tagEnd == i + 1
          || !Character.isDigit(sql.charAt(i + 1)))) {
        String tag = sql.substring(i, tagEnd + 1);
        int close = sql.indexOf(tag, tagEnd + 1);
        return close < 0 ? sql.length() : close + tag.length();
      }
    }
    return i;
  }
}
