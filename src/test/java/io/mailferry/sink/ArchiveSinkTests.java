package io.mailferry.sink;

import io.mailferry.archive.ArchiveLayout;
import io.mailferry.config.DateWindow;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MessageRef;
import io.mailferry.sink.archive.ArchiveSink;
import io.mailferry.source.MailSource;
import io.mailferry.source.SourceFolder;
import io.mailferry.source.archive.ArchiveSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink contract on an archive written by {@link ArchiveSink} and read back by {@link
 * ArchiveSource}, as restore reads it. One file per APPEND: no batches.
 */
class ArchiveSinkTests extends SinkContract {

  @TempDir Path dir;

  private Path archive;
  private int n;

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.of(Capability.KEYWORDS, Capability.UIDPLUS);
  }

  @Override
  protected void newDestination() {
    archive = dir.resolve("archive" + (++n));
  }

  @Override
  protected MailSink openSink() {
    return new ArchiveSink(archive);
  }

  private MailSource reader() {
    return new ArchiveSource(new ArchiveLayout(archive), DateWindow.ALL, spool, 0);
  }

  @Override
  protected List<String> foldersSeen() {
    try (MailSource source = reader()) {
      return source.listFolders().stream().map(f -> f.path().toString()).toList();
    }
  }

  @Override
  protected List<Seen> readBack(String folder) {
    FolderPath path =
        folder.equalsIgnoreCase("INBOX") ? FolderPath.INBOX : FolderPath.parse(folder);
    try (MailSource source = reader();
        SourceFolder open = source.open(new FolderInfo(path, path.toString(), null, true, true))) {
      List<MessageRef> refs = open.listAfter(0, uid -> false);
      Map<Long, String> shas = new HashMap<>();
      open.fetch(refs, (ref, body) -> shas.put(ref.uid(), body.sha256()));
      List<Seen> seen = new ArrayList<>();
      for (MessageRef r : refs) {
        seen.add(new Seen(r.uid(), shas.get(r.uid()), r.size(), r.flags(), r.internalDate()));
      }
      return seen;
    }
  }
}
