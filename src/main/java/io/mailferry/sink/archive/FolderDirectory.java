package io.mailferry.sink.archive;

import io.mailferry.archive.KeywordTable;
import java.nio.file.Path;

/**
 * What every partition writing to one archive folder directory shares: two source folders merged
 * into one archive folder (issue 16.1) are copied at once, and the directory has one set of
 * message names and one {@code dovecot-keywords}. Each partition with a table of its own would
 * give its first keyword the letter 'a' and write the file over the other's: the other's
 * messages would read back with its keyword, or none. Both parts are thread-safe.
 */
final class FolderDirectory {

  private final FolderFiles files;
  private final KeywordTable keywords;

  FolderDirectory(Path dir) {
    this.files = new FolderFiles(dir);
    this.keywords = KeywordTable.load(dir);
  }

  FolderFiles files() {
    return files;
  }

  KeywordTable keywords() {
    return keywords;
  }
}
