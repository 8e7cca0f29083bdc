package io.mailferry.source.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.archive.ArchiveLayout;
import io.mailferry.config.DateWindow;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import io.mailferry.source.SourceFolder;
import io.mailferry.testsupport.TestArchive;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No archive file is read beyond the largest message a run takes, even one that grows after it was
 * listed.
 */
class ArchiveReadBoundTests {

  @TempDir Path tmp;

  @Test
  void
      a_file_that_grew_past_max_message_size_since_it_was_listed_is_a_failed_message_and_nothing_is_spooled()
          throws Exception {
    TestArchive archive = new TestArchive(tmp.resolve("archive"));
    var small =
        archive.add(
            "INBOX",
            "Subject: small\r\n\r\nsmall\r\n".getBytes(),
            Set.of(),
            Instant.parse("2024-01-01T00:00:00Z"));
    archive.close();
    Path spool = Files.createDirectories(tmp.resolve("spool"));
    ArchiveSource source =
        new ArchiveSource(new ArchiveLayout(archive.dir()), DateWindow.ALL, spool, 1000);
    List<String> failed = new ArrayList<>();
    List<RawMessage> handed = new ArrayList<>();

    try (SourceFolder inbox = source.open(source.listFolders().get(0))) {
      List<MessageRef> refs = inbox.listAfter(0, uid -> false);
      try (var file = new RandomAccessFile(small.file().toFile(), "rw")) {
        file.setLength(5000); // written to meanwhile, by whoever made the archive
      }
      inbox.fetch(
          refs,
          new SourceFolder.BodyHandler() {
            @Override
            public void accept(MessageRef ref, RawMessage body) {
              handed.add(body);
            }

            @Override
            public void unreadable(MessageRef ref, String reason) {
              failed.add(reason);
            }
          });
    }

    assertThat(handed).isEmpty();
    assertThat(failed)
        .containsExactly(
            archive.dir().relativize(small.file())
                + ": more than --max-message-size (1000 bytes) since it was listed: skipped");
    try (var left = Files.list(spool)) {
      assertThat(left).isEmpty();
    }
  }
}
