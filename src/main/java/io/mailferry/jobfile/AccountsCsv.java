package io.mailferry.jobfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The accounts of a bulk job as CSV lines: {@code from_user,to_user,from_secret,to_secret}. Only
 * from_user is required; an empty to_user is the same user, an empty secret is the job's. A first
 * line naming the columns may reorder them; blank lines and lines starting with # are skipped.
 * A field may be "quoted" (with "" for a quote) to hold a comma.
 */
final class AccountsCsv {

  static final List<String> COLUMNS = List.of("from_user", "to_user", "from_secret", "to_secret");

  /** One data line: its columns by name (empty ones left out). */
  record Row(Position at, java.util.Map<String, String> fields) {}

  private AccountsCsv() {}

  static List<Row> read(Path file, List<Problem> problems, Position referencedAt) {
    List<String> lines;
    try {
      String tooLarge = JobFileLimits.csvSizeRefusal(Files.size(file));
      if (tooLarge != null) {
        problems.add(new Problem(referencedAt, "csv", file + " " + tooLarge));
        return List.of();
      }
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      problems.add(new Problem(referencedAt, "csv", file + " is not UTF-8 text."));
      return List.of();
    } catch (IOException e) {
      problems.add(new Problem(referencedAt, "csv", "cannot read " + file + " (" + e.getClass().getSimpleName()
          + ": " + e.getMessage() + ")."));
      return List.of();
    }
    List<Row> rows = new ArrayList<>();
    List<String> columns = COLUMNS;
    boolean first = true;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      Position at = new Position(file, i + 1);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> fields;
      try {
        fields = split(line);
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(at, null, e.getMessage()));
        continue;
      }
      if (first && fields.get(0).equals("from_user")) {
        first = false;
        columns = fields;
        for (String column : columns) {
          if (!COLUMNS.contains(column)) {
            problems.add(new Problem(at, column, "unknown column; the columns are " + String.join(",", COLUMNS) + "."));
          }
        }
        continue;
      }
      first = false;
      if (fields.size() > columns.size()) {
        problems.add(new Problem(at, null, fields.size() + " fields, but at most " + columns.size() + " columns ("
            + String.join(",", columns) + ")."));
        continue;
      }
      java.util.Map<String, String> named = new java.util.LinkedHashMap<>();
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
    return rows;
  }

  private static List<String> split(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.toString().isBlank()) {
        field.setLength(0);
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString().strip());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("a quoted field is not closed.");
    }
    fields.add(field.toString().strip());
    return fields;
  }
}
