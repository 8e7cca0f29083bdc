package io.mailferry.archive;

import io.mailferry.mail.MessageFlags;
import io.mailferry.mail.Printable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder's {@code dovecot-keywords} file, as Dovecot keeps it: one "N keyword" line per keyword,
 * N from 0 to 25, and keyword N is the letter 'a'+N in a file name's info. Dovecot shows the
 * keywords of an archive with this file; other Maildir readers ignore it.
 */
public final class KeywordTable {

  public static final int MAX = 26;

  /**
   * The longest keyword the table holds. IMAP sets no limit, but the keyword goes into an APPEND on
   * restore: one of a crafted archive's kilobytes would be sent as it is.
   */
  public static final int MAX_KEYWORD_LENGTH = 255;

  /** How much of a keyword that is not one a warning names. */
  private static final int NAMED = 64;

  private final Path file;

  /** A table of 26 keywords is far smaller; a larger file is not read into memory. */
  static final int MAX_BYTES = 64 * 1024;

  private final List<String> keywords = new ArrayList<>();

  /** Their "where" is given by {@link #problems(String)}. */
  private final ProblemLines problems = new ProblemLines();

  private KeywordTable(Path file) {
    this.file = file;
  }

  /**
   * The folder's table. The file may come from someone else: only a regular file is read, never
   * through a link, at most {@link #MAX_BYTES}; a line that is not "N keyword" with N from 0 to 25
   * is a problem (see {@link #problems()}) and the rest is read.
   */
  public static KeywordTable load(Path folderDir) {
    KeywordTable table = new KeywordTable(folderDir.resolve(ArchiveLayout.KEYWORDS));
    try {
      BasicFileAttributes attrs = ArchiveFiles.attributes(table.file);
      if (attrs == null) {
        return table;
      }
      String not = ArchiveFiles.notRegular(attrs);
      if (not != null) {
        table.problems.add("", not + ", not a keyword table: ignored");
        return table;
      }
      byte[] bytes = ArchiveFiles.readUpTo(table.file, MAX_BYTES);
      if (bytes.length > MAX_BYTES) {
        table.problems.add("", "longer than " + MAX_BYTES + " bytes: the rest is ignored");
        bytes = java.util.Arrays.copyOf(bytes, MAX_BYTES);
      }
      String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String problem = table.read(lines[i]);
        if (problem != null) {
          table.problems.add("", "line " + (i + 1) + ": " + problem + ": ignored");
        }
      }
    } catch (IOException e) {
      table.problems.add("", "cannot be read (" + e.getMessage() + "): ignored");
    }
    return table;
  }

  /** Takes one line of the file; null when it is a keyword or empty, else what is wrong with it. */
  private String read(String line) {
    if (line.isBlank()) {
      return null;
    }
    String[] parts = line.strip().split(" ", 2);
    if (parts.length != 2 || !parts[0].matches("[0-9]+") || parts[1].isBlank()) {
      return "not \"N keyword\"";
    }
    if (parts[0].length() > 9 || Integer.parseInt(parts[0]) >= MAX) {
      return "keyword number " + parts[0] + " has no letter (0 to " + (MAX - 1) + ")";
    }
    if (!holds(parts[1])) {
      String named = parts[1].length() > NAMED ? parts[1].substring(0, NAMED) + "…" : parts[1];
      return "\""
          + Printable.escape(named)
          + "\" is not an IMAP keyword (an atom of at most "
          + MAX_KEYWORD_LENGTH
          + " characters)";
    }
    int n = Integer.parseInt(parts[0]);
    while (keywords.size() <= n) {
      keywords.add(null);
    }
    keywords.set(n, parts[1]);
    return null;
  }

  /**
   * Whether the keyword may be in the table: an IMAP atom (a "\Seen" here is no system flag, "a b"
   * no two keywords), not over-long. An archive may come from someone else, and what the table says
   * goes into the APPEND of a restore.
   */
  private static boolean holds(String keyword) {
    return keyword.length() <= MAX_KEYWORD_LENGTH && MessageFlags.isValidKeyword(keyword);
  }

  /**
   * The lines of the file that were ignored (or why the whole file was), the file named {@code
   * where}.
   */
  public List<ArchiveProblem> problems(String where) {
    return problems.list(where).stream()
        .map(p -> new ArchiveProblem(where, p.reason(), false, p.count()))
        .toList();
  }

  public synchronized String keywordFor(char letter) {
    int n = letter - 'a';
    return n >= 0 && n < keywords.size() ? keywords.get(n) : null;
  }

  /**
   * The keyword's letter, adding it to the table (and the file) if new; null when the table is
   * full, or cannot hold the keyword (a reader would ignore its line).
   */
  public synchronized Character letterFor(String keyword) {
    int n = keywords.indexOf(keyword);
    if (n < 0) {
      if (keywords.size() >= MAX || !holds(keyword)) {
        return null;
      }
      keywords.add(keyword);
      n = keywords.size() - 1;
      save();
    }
    return (char) ('a' + n);
  }

  private void save() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < keywords.size(); i++) {
      if (keywords.get(i) != null) {
        text.append(i).append(' ').append(keywords.get(i)).append('\n');
      }
    }
    try {
      Path tmp = file.resolveSibling(ArchiveLayout.KEYWORDS + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      ArchiveLayout.makePrivate(tmp);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
