package io.mailferry.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder's {@code dovecot-keywords} file, as Dovecot keeps it: one "N keyword" line per
 * keyword, N from 0 to 25, and keyword N is the letter 'a'+N in a file name's info. Dovecot
 * shows the keywords of an archive with this file; other Maildir readers ignore it.
 */
public final class KeywordTable {

  public static final int MAX = 26;

  private final Path file;
  private final List<String> keywords = new ArrayList<>();

  private KeywordTable(Path file) {
    this.file = file;
  }

  public static KeywordTable load(Path folderDir) {
    KeywordTable table = new KeywordTable(folderDir.resolve(ArchiveLayout.KEYWORDS));
    if (Files.exists(table.file)) {
      try {
        for (String line : Files.readAllLines(table.file, StandardCharsets.UTF_8)) {
          String[] parts = line.strip().split(" ", 2);
          if (parts.length == 2 && parts[0].matches("\\d+")) {
            int n = Integer.parseInt(parts[0]);
            while (table.keywords.size() <= n) {
              table.keywords.add(null);
            }
            table.keywords.set(n, parts[1]);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + table.file, e);
      }
    }
    return table;
  }

  public synchronized String keywordFor(char letter) {
    int n = letter - 'a';
    return n >= 0 && n < keywords.size() ? keywords.get(n) : null;
  }

  /** The keyword's letter, adding it to the table (and the file) if new; null when the table is full. */
  public synchronized Character letterFor(String keyword) {
    int n = keywords.indexOf(keyword);
    if (n < 0) {
      if (keywords.size() >= MAX) {
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
