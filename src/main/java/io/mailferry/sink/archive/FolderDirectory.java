package io.mailferry.sink.archive;

import io.mailferry.archive.KeywordTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every partition writing to one archive folder directory shares: two source folders merged
 * into one archive folder (issue 16.1) are copied at once, and the directory has one set of message
 * names and one {@code dovecot-keywords}. Each partition with a table of its own would give its
 * first keyword the letter 'a' and write the file over the other's: the other's messages would read
 * back with its keyword, or none. Both parts are thread-safe.
 *
 * <p>Made once per directory and run, before any partition writes there: that is when a killed
 * run's leftovers in tmp/ are removed. A partition removing them when it opened the folder would
 * remove the message the other partition is writing.
 */
final class FolderDirectory {

  private final FolderFiles files;
  private final KeywordTable keywords;

  FolderDirectory(Path dir) {
    removeLeftovers(dir.resolve("tmp"));
    this.files = new FolderFiles(dir);
    this.keywords = KeywordTable.load(dir);
  }

  /** Half-written files of a killed backup: never visible to readers (tmp/), removed now. */
  private static void removeLeftovers(Path tmp) {
    try (var list = Files.list(tmp)) {
      list.filter(f -> f.getFileName().toString().contains(".mailferry."))
          .forEach(ArchiveSinkFolder::deleteQuietly);
    } catch (IOException e) {
      // an unreadable tmp/ will fail the first write with a clear message
    }
  }

  FolderFiles files() {
    return files;
  }

  KeywordTable keywords() {
    return keywords;
  }
}
