package io.mailferry.source;

import io.mailferry.archive.ArchiveLayout;
import io.mailferry.config.DateWindow;
import io.mailferry.source.archive.ArchiveSource;
import io.mailferry.testsupport.TestArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source contract on an archive written by {@link TestArchive} in backup's format. Its UIDs are
 * hashes of file names under a constant UIDVALIDITY, in the order of the names (the date first):
 * stable whatever happens to the folder, so a recreated folder keeps its UIDVALIDITY.
 */
class ArchiveSourceTests extends SourceContract {

  @TempDir Path dir;

  @TempDir Path spool;

  private TestArchive archive;

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.of(
        Capability.FOLDERS,
        Capability.FLAGS,
        Capability.KEYWORDS,
        Capability.SPOOLS_LARGE,
        Capability.CONFIRMS_REMOVAL);
  }

  @Override
  protected void newMailbox() {
    archive = new TestArchive(dir.resolve("archive"));
  }

  @AfterEach
  void closeArchive() {
    archive.close();
  }

  @Override
  protected void put(String folder, byte[] raw, Set<String> flags, Instant internalDate) {
    archive.add(folder, raw, flags, internalDate);
  }

  @Override
  protected void remove(String folder, int n) throws Exception {
    String path = folder.equalsIgnoreCase("INBOX") ? "INBOX" : folder;
    List<TestArchive.Stored> inFolder =
        archive.messages().stream().filter(m -> m.folder().equals(path)).toList();
    Files.delete(inFolder.get(n).file());
  }

  @Override
  protected MailSource openSource() {
    return new ArchiveSource(new ArchiveLayout(archive.dir()), DateWindow.ALL, spool, 0);
  }
}
