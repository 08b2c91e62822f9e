package dev.limp.db.internal;

import java.util.Locale;
import java.util.Set;

/**
 * What the plan watch (and limp-test's plan check) needs of a statement's text without parsing SQL: whether EXPLAIN takes it (by its first
 * keyword), its shape with literals stripped (the key under which its plan is kept, and what the log shows:
 * no value the application passed appears), and its JDBC {@code ?} placeholders, counted and numbered
 * {@code $1, $2, ...} for PostgreSQL's {@code PREPARE}. Quotes and comments are read as the database reads
 * them ({@link Quoting}): where a string literal ends depends on it, and a string read wrongly would leave a
 * piece of its value in the shape. Stateless.
 */
public final class StatementText {
  /** How a database quotes strings and names, and writes comments. */
  public enum Quoting {
    /**
     * PostgreSQL with {@code standard_conforming_strings} on (its default): {@code '...'} strings in which a
     * backslash is an ordinary character, except {@code E'...'} strings, where it escapes the next one;
     * {@code "..."} names; {@code $tag$...$tag$} strings; {@code --} and {@code /* *}{@code /} comments.
     */
    STANDARD,
    /**
     * MariaDB and MySQL: {@code '...'} and {@code "..."} strings, in which a backslash escapes the next
     * character (a {@code "..."} is a value unless the SQL mode has {@code ANSI_QUOTES}; read as one either way,
     * so a name in double quotes is stripped too: the shape is coarser, no value is kept); {@code `...`} names;
     * {@code #}, {@code --} and {@code /* *}{@code /} comments. The default SQL mode is assumed: under
     * {@code NO_BACKSLASH_ESCAPES} a string ending in a backslash ({@code 'C:\'}) is read past its end, and the
     * value of the string after it may be kept in the shape.
     */
    MYSQL
  }

  /** The first keywords of the statements EXPLAIN plans on both PostgreSQL and MariaDB/MySQL. */
  private static final Set<String> EXPLAINABLE = Set.of("SELECT", "WITH", "INSERT", "UPDATE", "DELETE");

  private StatementText() {}

  /** Whether EXPLAIN takes this statement: a query or DML, not DDL, SET, a transaction command or a call. */
  public static boolean explainable(String sql) {
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i) || sql.startsWith("/*", i) || c == '#') {
        i = skipQuotedOrComment(sql, i, Quoting.MYSQL); // a comment; '#' starts no statement on PostgreSQL
      } else {
        break;
      }
    }
    int end = i;
    while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
      end++;
    }
    return EXPLAINABLE.contains(sql.substring(i, end).toUpperCase(Locale.ROOT));
  }

  /**
   * The statement's shape: string and numeric literals and placeholders each become {@code ?}, comments go,
   * runs of white space become one space. Two statements that differ only in their values have one shape.
   */
  public static String shape(String sql, Quoting quoting) {
    StringBuilder out = new StringBuilder(Math.min(sql.length(), 256));
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      int end = skipQuotedOrComment(sql, i, quoting);
      if (end > i) {
        if (c == '`' || c == '"' && quoting == Quoting.STANDARD) {
          out.append(sql, i, end); // a quoted name, not a value
        } else if (c == '-' || c == '/' || c == '#') {
          space(out);
        } else {
          out.append('?'); // a string literal, dollar-quoted or not
        }
        i = end;
      } else if (Character.isWhitespace(c)) {
        space(out);
        i++;
      } else if (Character.isDigit(c) && (i == 0 || !partOfName(sql.charAt(i - 1)))) {
        int j = i;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '.'
            || sql.charAt(j) == '_')) {
          j++; // 42, 1.5e3, 0x1F, 0b101, 1_000
        }
        out.append('?');
        i = j;
      } else if (c == '$' && i + 1 < sql.length() && Character.isDigit(sql.charAt(i + 1))) {
        int j = i + 1;
        while (j < sql.length() && Character.isDigit(sql.charAt(j))) {
          j++;
        }
        out.append('?'); // a PostgreSQL-style placeholder
        i = j;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString().strip();
  }

  private static boolean partOfName(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.';
  }

  private static void space(StringBuilder out) {
    if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
      out.append(' ');
    }
  }

  /**
   * The text with each placeholder numbered ({@code ?} becomes {@code $1}, ...; with {@link Quoting#STANDARD},
   * {@code ??}, pgjdbc's escape for a literal {@code ?}, becomes {@code ?}).
   */
  public static Numbered number(String sql, Quoting quoting) {
    StringBuilder out = new StringBuilder(sql.length() + 8);
    int count = 0;
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      int end = skipQuotedOrComment(sql, i, quoting);
      if (end > i) {
        out.append(sql, i, end);
        i = end;
      } else if (c == '?' && quoting == Quoting.STANDARD && i + 1 < sql.length() && sql.charAt(i + 1) == '?') {
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
  private static int skipQuotedOrComment(String sql, int i, Quoting quoting) {
    char c = sql.charAt(i);
    if (c == '\'' || c == '"' || c == '`') {
      boolean backslashEscapes = c != '`' && (quoting == Quoting.MYSQL
          || c == '\'' && i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
          && (i == 1 || !partOfName(sql.charAt(i - 2)))); // PostgreSQL's E'...'
      int j = i + 1;
      while (j < sql.length()) {
        if (backslashEscapes && sql.charAt(j) == '\\') {
          j += 2; // an escaped character, a quote perhaps
          continue;
        }
        if (sql.charAt(j) == c) {
          if (j + 1 < sql.length() && sql.charAt(j + 1) == c) {
            j += 2; // a doubled quote
            continue;
          }
          return j + 1;
        }
        j++;
      }
      return sql.length();
    }
    if (sql.startsWith("--", i) || c == '#' && quoting == Quoting.MYSQL) {
      int eol = sql.indexOf('\n', i);
      return eol < 0 ? sql.length() : eol + 1;
    }
    if (sql.startsWith("/*", i)) {
      int close = sql.indexOf("*/", i + 2);
      return close < 0 ? sql.length() : close + 2;
    }
    if (c == '$' && quoting == Quoting.STANDARD && (i == 0 || !partOfName(sql.charAt(i - 1)))) {
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
