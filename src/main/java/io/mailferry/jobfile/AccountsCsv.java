package io.mailferry.jobfile;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The accounts of a bulk job as CSV lines: {@code from_user,to_user,from_secret,to_secret}. Only
 * from_user is required; an empty to_user is the same user, an empty secret is the job's. A first
 * line naming the columns may reorder them; blank lines and lines starting with # are skipped. A
 * field may be "quoted" (with "" for a quote) to hold a comma or a line end. Commons CSV splits the
 * text; this class names each record by the line it starts on.
 */
final class AccountsCsv {

  static final List<String> COLUMNS = List.of("from_user", "to_user", "from_secret", "to_secret");

  /**
   * Surrounding spaces go, even inside quotes (a hand-written CSV has them by accident); text after
   * a closing quote joins the field ("a"b is ab) rather than failing the whole file. So the one
   * error left is a quote that is never closed.
   */
  private static final CSVFormat FORMAT =
      CSVFormat.DEFAULT
          .builder()
          .setIgnoreSurroundingSpaces(true)
          .setIgnoreEmptyLines(true)
          .setCommentMarker('#')
          .setTrailingData(true)
          .get();

  /** One data line: its columns by name (empty ones left out). */
  record Row(Position at, Map<String, String> fields) {}

  private AccountsCsv() {}

  static List<Row> read(Path file, List<Problem> problems, Position referencedAt) {
    String text;
    try {
      String tooLarge = JobFileLimits.csvSizeRefusal(Files.size(file));
      if (tooLarge != null) {
        problems.add(new Problem(referencedAt, "csv", file + " " + tooLarge));
        return List.of();
      }
      text = Files.readString(file);
    } catch (java.nio.charset.CharacterCodingException e) {
      problems.add(new Problem(referencedAt, "csv", file + " is not UTF-8 text."));
      return List.of();
    } catch (IOException e) {
      problems.add(
          new Problem(
              referencedAt,
              "csv",
              "cannot read "
                  + file
                  + " ("
                  + e.getClass().getSimpleName()
                  + ": "
                  + e.getMessage()
                  + ")."));
      return List.of();
    }
    List<String> lines = text.lines().toList();
    List<Row> rows = new ArrayList<>();
    List<String> columns = COLUMNS;
    boolean first = true;
    // Line ends read before the current record: the parser counts \n, \r\n and \r as String.lines
    // does.
    long lineEndsBefore = 0;
    try (CSVParser parser = FORMAT.parse(new StringReader(text))) {
      for (CSVRecord record : parser) {
        Position at = new Position(file, startLine(lines, lineEndsBefore));
        lineEndsBefore = parser.getCurrentLineNumber();
        List<String> fields = record.stream().map(String::strip).toList();
        if (blankOrComment(lines, at.line())) {
          continue;
        }
        if (first && fields.get(0).equals("from_user")) {
          first = false;
          columns = fields;
          for (String column : columns) {
            if (!COLUMNS.contains(column)) {
              problems.add(
                  new Problem(
                      at,
                      column,
                      "unknown column; the columns are " + String.join(",", COLUMNS) + "."));
            }
          }
          continue;
        }
        first = false;
        if (fields.size() > columns.size()) {
          problems.add(
              new Problem(
                  at,
                  null,
                  fields.size()
                      + " fields, but at most "
                      + columns.size()
                      + " columns ("
                      + String.join(",", columns)
                      + ")."));
          continue;
        }
        Map<String, String> named = new LinkedHashMap<>();
        for (int c = 0; c < fields.size(); c++) {
          if (!fields.get(c).isEmpty()) {
            named.put(columns.get(c), fields.get(c));
          }
        }
        if (!named.containsKey("from_user")) {
          problems.add(new Problem(at, "from_user", "missing."));
          continue;
        }
        rows.add(new Row(at, named));
      }
    } catch (UncheckedIOException | IOException e) {
      // Never the parser's words: they may quote the rest of the file, secrets included.
      problems.add(
          new Problem(
              new Position(file, startLine(lines, lineEndsBefore)),
              null,
              "a quoted field is not closed."));
    }
    return rows;
  }

  /** The 1-based line a record starts on: the parser skips blank lines and # lines before it. */
  private static int startLine(List<String> lines, long lineEndsBefore) {
    int index = (int) lineEndsBefore;
    while (index < lines.size()
        && (lines.get(index).isEmpty() || lines.get(index).startsWith("#"))) {
      index++;
    }
    return index + 1;
  }

  /**
   * Spaces alone, or # after spaces: the parser skips only empty lines and # in the first column.
   */
  private static boolean blankOrComment(List<String> lines, int line) {
    String text = line <= lines.size() ? lines.get(line - 1).strip() : "";
    return text.isEmpty() || text.startsWith("#");
  }
}
