package io.mailferry.sink;

import static io.mailferry.testsupport.ContractMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mailferry.mail.ContentKey;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import io.mailferry.testsupport.ContractMessages;
import io.mailferry.testsupport.TestMailbox;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a caller of {@link MailSink} and {@link SinkFolder} relies on, run once per implementation
 * (as {@code source/SourceContract} is for sources). Every case reads the destination back through
 * a reader that is not the sink itself (a plain IMAP client, the archive's own reader): what a user
 * of the destination then sees. A case that needs what an implementation cannot do is skipped
 * there, named by its {@link Capability}; an implementation declaring a capability is held to it.
 */
public abstract class SinkContract {

  /** What a sink may lack; the cases that need it are skipped without it. */
  protected enum Capability {
    /** Keywords ("$Forwarded") are stored, not only the system flags. */
    KEYWORDS,
    /** {@code append} says where it stored the message (IMAP: UIDPLUS, RFC 4315). */
    UIDPLUS,
    /** Several messages in one command ({@code batchLimit() > 1}; IMAP: MULTIAPPEND, RFC 3502). */
    MULTIAPPEND
  }

  /** A message as the independent reader sees it at the destination. */
  protected record Seen(
      long uid, String sha256, long size, Set<String> flags, Instant internalDate) {}

  static final Instant FIRST = Instant.parse("2024-03-01T09:30:00Z");

  @TempDir Path spool;

  protected abstract Set<Capability> capabilities();

  /** Starts an empty destination (a new account, a new directory) for the case about to run. */
  protected abstract void newDestination() throws Exception;

  /** The implementation under test, on the destination of the case running now. */
  protected abstract MailSink openSink();

  /** The folders the reader sees, '/'-written ("Work/Projects"), INBOX as "INBOX". */
  protected abstract List<String> foldersSeen() throws Exception;

  /** The messages of a folder ('/'-written path) as the reader sees them, in the order stored. */
  protected abstract List<Seen> readBack(String folder) throws Exception;

  @BeforeEach
  final void startWithAnEmptyDestination() throws Exception {
    newDestination();
  }

  private boolean has(Capability c) {
    return capabilities().contains(c);
  }

  private void assumeCapability(Capability c) {
    assumeTrue(has(c), () -> getClass().getSimpleName() + " lacks " + c);
  }

  /**
   * The sink's name of a '/'-written path, as the job makes it: the layout's prefix and separator.
   */
  private static String serverName(MailSink sink, String path) {
    if (path.equalsIgnoreCase("INBOX")) {
      return "INBOX";
    }
    MailSink.Layout layout = sink.layout();
    return layout.prefix() + FolderPath.parse(path).join(layout.separator());
  }

  private static long sourceUid;

  /**
   * Appends as the job does, naming the source message (an archive names its file after it): a
   * message of a source folder "Old" under UIDVALIDITY 7, with the next UID.
   */
  private static SinkFolder.Appended append(
      SinkFolder folder,
      RawMessage raw,
      String messageId,
      Set<String> flags,
      Instant internalDate) {
    return folder.append(source(raw, messageId, flags, internalDate), raw, flags, internalDate);
  }

  private static MessageRef source(
      RawMessage raw, String messageId, Set<String> flags, Instant internalDate) {
    return new MessageRef(
        FolderPath.parse("Old"), 7, ++sourceUid, raw.size(), internalDate, flags, messageId);
  }

  private static Map<Long, ContentKey> indexed(SinkFolder folder) {
    return folder.index().stream()
        .collect(Collectors.toMap(SinkFolder.Stored::uid, SinkFolder.Stored::key));
  }

  @Test
  void
      ensuring_a_nested_folder_makes_it_exist_once_however_often_it_is_asked_and_the_layout_lists_it()
          throws Exception {
    try (MailSink sink = openSink()) {
      String name = serverName(sink, "Work/Projects");
      sink.ensureFolder(name, true);
      sink.ensureFolder(name, true);

      assertThat(foldersSeen()).containsOnlyOnce("Work/Projects");
      FolderInfo listed =
          sink.layout().folders().stream()
              .filter(f -> f.path().equals(new FolderPath(List.of("Work", "Projects"))))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("Work/Projects is not in " + sink.layout().folders()));
      assertThat(listed.selectable()).isTrue();
      assertThat(listed.serverName()).isEqualTo(name);
    }
  }

  @Test
  void
      an_appended_message_is_stored_with_its_exact_bytes_date_flags_and_keywords_and_the_index_lists_it()
          throws Exception {
    byte[] one = message("<one@example.org>", "one", FIRST, 3_000);
    byte[] two = message(null, "two, without Message-ID", FIRST.plusSeconds(60), 1);
    Set<String> flags =
        has(Capability.KEYWORDS)
            ? Set.of("\\Seen", "\\Flagged", "$Forwarded")
            : Set.of("\\Seen", "\\Flagged");
    try (MailSink sink = openSink()) {
      try (SinkFolder folder = sink.open("INBOX")) {
        append(folder, RawMessage.of(one), "<one@example.org>", flags, FIRST);
        append(folder, RawMessage.of(two), null, Set.of(), FIRST.plusSeconds(60));
      }

      List<Seen> seen = readBack("INBOX");
      assertThat(seen)
          .extracting(Seen::sha256)
          .containsExactly(TestMailbox.sha256(one), TestMailbox.sha256(two));
      assertThat(seen).extracting(Seen::size).containsExactly((long) one.length, (long) two.length);
      assertThat(seen).extracting(Seen::internalDate).containsExactly(FIRST, FIRST.plusSeconds(60));
      assertThat(seen).extracting(Seen::flags).containsExactly(flags, Set.of());

      try (SinkFolder folder = sink.open("INBOX")) {
        assertThat(indexed(folder))
            .containsOnly(
                Map.entry(
                    seen.get(0).uid(),
                    new ContentKey("<one@example.org>", one.length, FIRST.getEpochSecond())),
                Map.entry(
                    seen.get(1).uid(),
                    new ContentKey(null, two.length, FIRST.plusSeconds(60).getEpochSecond())));
        assertThat(folder.sha256(seen.get(0).uid())).isEqualTo(TestMailbox.sha256(one));
        assertThat(folder.sha256(seen.get(1).uid())).isEqualTo(TestMailbox.sha256(two));
        long absent = seen.stream().mapToLong(Seen::uid).max().orElseThrow() + 1_000;
        assertThat(folder.sha256(absent)).as("a UID that is not there").isNull();
      }
    }
  }

  @Test
  void a_message_above_four_mebibytes_handed_over_in_a_spool_file_is_stored_byte_for_byte()
      throws Exception {
    byte[] large = message("<large@example.org>", "large", FIRST, ContractMessages.LARGE);
    RawMessage spooled;
    try (RawMessage.Spool s = RawMessage.spool(spool)) {
      s.write(large, 0, large.length);
      spooled = s.finish();
    }
    assertThat(spooled.inMemory()).as("handed over in a spool file").isFalse();
    try (MailSink sink = openSink();
        RawMessage message = spooled) {
      try (SinkFolder folder = sink.open("INBOX")) {
        append(folder, message, "<large@example.org>", Set.of(), FIRST);
      }

      assertThat(readBack("INBOX"))
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.size()).isEqualTo(large.length);
                assertThat(s.sha256()).isEqualTo(TestMailbox.sha256(large));
              });
    }
  }

  @Test
  void append_all_stores_every_message_of_a_batch_in_the_order_given() throws Exception {
    try (MailSink sink = openSink();
        SinkFolder folder = sink.open("INBOX")) {
      assertThat(folder.batchLimit() > 1)
          .as("batchLimit() > 1, as its capabilities say")
          .isEqualTo(has(Capability.MULTIAPPEND));
      assumeCapability(Capability.MULTIAPPEND);
      List<byte[]> raws = new ArrayList<>();
      List<SinkFolder.Outgoing> batch = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        byte[] raw =
            message(
                "<batch" + i + "@example.org>",
                "batch " + i,
                FIRST.plusSeconds(60L * i),
                500 + 700 * i);
        raws.add(raw);
        Set<String> flags = i % 2 == 0 ? Set.of("\\Seen") : Set.of();
        RawMessage m = RawMessage.of(raw);
        Instant date = FIRST.plusSeconds(60L * i);
        batch.add(
            new SinkFolder.Outgoing(
                source(m, "<batch" + i + "@example.org>", flags, date), m, flags, date));
      }

      List<SinkFolder.Appended> appended = folder.appendAll(batch);

      assertThat(appended).hasSize(5);
      List<Seen> seen = readBack("INBOX");
      assertThat(seen)
          .extracting(Seen::sha256)
          .containsExactlyElementsOf(raws.stream().map(TestMailbox::sha256).toList());
      assertThat(seen)
          .extracting(Seen::internalDate)
          .containsExactlyElementsOf(
              batch.stream().map(SinkFolder.Outgoing::internalDate).toList());
      assertThat(seen)
          .extracting(Seen::flags)
          .containsExactlyElementsOf(batch.stream().map(SinkFolder.Outgoing::flags).toList());
      if (has(Capability.UIDPLUS)) {
        assertThat(appended)
            .extracting(SinkFolder.Appended::uid)
            .containsExactlyElementsOf(seen.stream().map(Seen::uid).toList());
      }
    }
  }

  @Test
  void
      the_flag_filter_keeps_the_flags_and_keywords_the_folder_stores_and_drops_the_rest_into_dropped()
          throws Exception {
    Set<String> system = Set.of("\\Seen", "\\Answered", "\\Flagged", "\\Draft");
    Set<String> given = new LinkedHashSet<>(system);
    given.add("$Forwarded");
    given.add(
        "\\NoSuchFlag"); // a backslash name that is no system flag: no destination can store it
    byte[] raw = message("<flags@example.org>", "flags", FIRST, 100);
    try (MailSink sink = openSink()) {
      Set<String> kept;
      Set<String> dropped = new HashSet<>();
      try (SinkFolder folder = sink.open("INBOX")) {
        kept = folder.flagFilter().keep(given, dropped);
        append(folder, RawMessage.of(raw), "<flags@example.org>", kept, FIRST);
      }

      assertThat(kept).containsAll(system).doesNotContain("\\NoSuchFlag");
      if (has(Capability.KEYWORDS)) {
        assertThat(kept).contains("$Forwarded");
      }
      assertThat(dropped)
          .as("what was not kept")
          .containsExactlyInAnyOrderElementsOf(
              given.stream().filter(f -> !kept.contains(f)).toList());
      assertThat(readBack("INBOX"))
          .singleElement()
          .extracting(Seen::flags)
          .as("what was kept is stored")
          .isEqualTo(kept);
    }
  }

  @Test
  void the_uid_an_append_returns_is_the_one_the_index_lists_for_that_message() throws Exception {
    byte[] one = message("<one@example.org>", "one", FIRST, 200);
    byte[] two = message("<two@example.org>", "two", FIRST.plusSeconds(60), 400);
    try (MailSink sink = openSink()) {
      List<SinkFolder.Appended> appended = new ArrayList<>();
      try (SinkFolder folder = sink.open("INBOX")) {
        appended.add(append(folder, RawMessage.of(one), "<one@example.org>", Set.of(), FIRST));
        appended.add(
            append(
                folder, RawMessage.of(two), "<two@example.org>", Set.of(), FIRST.plusSeconds(60)));
      }
      if (!has(Capability.UIDPLUS)) {
        assertThat(appended)
            .as("a sink without UIDPLUS says nothing")
            .allSatisfy(a -> assertThat(a.uid()).isNull());
      }
      assumeCapability(Capability.UIDPLUS);

      try (SinkFolder folder = sink.open("INBOX")) {
        Map<String, Long> uidByMessageId =
            folder.index().stream()
                .collect(Collectors.toMap(s -> s.key().messageId(), SinkFolder.Stored::uid));
        assertThat(appended)
            .extracting(SinkFolder.Appended::uid)
            .containsExactly(
                uidByMessageId.get("<one@example.org>"), uidByMessageId.get("<two@example.org>"));
      }
      assertThat(readBack("INBOX"))
          .extracting(Seen::uid)
          .containsExactlyElementsOf(appended.stream().map(SinkFolder.Appended::uid).toList());
    }
  }
}
