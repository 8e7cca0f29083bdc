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
    MULTIAPPEND,
    /**
     * Messages stored earlier are read, changed, moved and expunged by UID ({@code editsByUid()};
     * IMAP: UIDPLUS, RFC 4315, with MOVE, RFC 6851, or COPY in its place).
     */
    UID_EDITS
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

  /** Stores the messages as the job does and returns their UIDs, in order. */
  private static List<Long> stored(SinkFolder folder, List<Set<String>> flags) {
    List<Long> uids = new ArrayList<>();
    for (int i = 0; i < flags.size(); i++) {
      String id = "<edit" + i + "@example.org>";
      Instant date = FIRST.plusSeconds(60L * i);
      uids.add(
          append(
                  folder,
                  RawMessage.of(message(id, "edit " + i, date, 300 + 50 * i)),
                  id,
                  flags.get(i),
                  date)
              .uid());
    }
    return uids;
  }

  private Set<String> keywords(String... keywords) {
    return has(Capability.KEYWORDS) ? Set.of(keywords) : Set.of();
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return u;
  }

  private static Map<Long, Set<String>> flagsByUid(List<Seen> seen) {
    return seen.stream().collect(Collectors.toMap(Seen::uid, Seen::flags));
  }

  /** A UID the folder does not hold: past every one it does. */
  private static long absent(List<Long> uids) {
    return uids.stream().mapToLong(Long::longValue).max().orElse(0) + 1_000;
  }

  @Test
  void flags_of_stored_messages_are_read_by_uid_with_their_keywords_and_an_unknown_uid_is_left_out()
      throws Exception {
    try (MailSink sink = openSink()) {
      List<Long> uids;
      try (SinkFolder folder = sink.open("INBOX")) {
        assertThat(folder.editsByUid())
            .as("editsByUid(), as its capabilities say")
            .isEqualTo(has(Capability.UID_EDITS));
        assumeCapability(Capability.UID_EDITS);
        uids =
            stored(
                folder,
                List.of(
                    union(Set.of("\\Seen", "\\Answered"), keywords("$Forwarded", "Work")),
                    Set.of(),
                    Set.of("\\Flagged", "\\Deleted", "\\Draft")));
      }

      try (SinkFolder folder = sink.open("INBOX")) {
        List<Long> asked = new ArrayList<>(uids);
        asked.add(absent(uids));
        // Read in a session that did not store them, where they are \Recent (never reported).
        assertThat(folder.flagsOf(asked)).isEqualTo(flagsByUid(readBack("INBOX")));
        assertThat(folder.flagsOf(List.of(uids.get(1)))).containsOnlyKeys(uids.get(1));
        assertThat(folder.flagsOf(List.of())).isEmpty();
      }
    }
  }

  @Test
  void store_flags_adds_and_removes_exactly_what_it_is_told_and_leaves_the_other_flags()
      throws Exception {
    assumeCapability(Capability.UID_EDITS);
    try (MailSink sink = openSink();
        SinkFolder folder = sink.open("INBOX")) {
      Set<String> mine = union(Set.of("\\Seen", "\\Deleted"), keywords("Old"));
      List<Long> uids = stored(folder, List.of(mine, Set.of("\\Answered")));

      folder.storeFlags(
          uids.get(0),
          union(Set.of("\\Flagged"), keywords("$Forwarded")),
          union(Set.of("\\Seen"), keywords("Old")));
      folder.storeFlags(uids.get(1), Set.of(), Set.of("\\Flagged")); // not set: nothing changes
      folder.storeFlags(absent(uids), Set.of("\\Seen"), Set.of("\\Answered"));

      assertThat(flagsByUid(readBack("INBOX")))
          .containsOnly(
              Map.entry(
                  uids.get(0), union(Set.of("\\Deleted", "\\Flagged"), keywords("$Forwarded"))),
              Map.entry(uids.get(1), Set.of("\\Answered")));
    }
  }

  @Test
  void expunge_removes_exactly_the_named_messages_and_one_the_user_flagged_deleted_stays()
      throws Exception {
    assumeCapability(Capability.UID_EDITS);
    try (MailSink sink = openSink();
        SinkFolder folder = sink.open("INBOX")) {
      List<Long> uids =
          stored(
              folder,
              List.of(Set.of("\\Seen"), Set.of("\\Deleted"), Set.of(), Set.of("\\Flagged")));

      folder.expunge(List.of(uids.get(0), uids.get(2), absent(uids)));

      assertThat(flagsByUid(readBack("INBOX")))
          .as("the user's \\Deleted message is not expunged with them")
          .containsOnly(
              Map.entry(uids.get(1), Set.of("\\Deleted")),
              Map.entry(uids.get(3), Set.of("\\Flagged")));
      assertThat(folder.flagsOf(uids)).containsOnlyKeys(uids.get(1), uids.get(3));
      folder.expunge(List.of());
    }
  }

  @Test
  void move_to_puts_the_messages_with_their_flags_in_the_other_folder_and_says_their_new_uids()
      throws Exception {
    assumeCapability(Capability.UID_EDITS);
    String other = "Ablage für Kunden"; // a space and a non-ASCII letter: quoted, modified UTF-7
    try (MailSink sink = openSink()) {
      String otherName = serverName(sink, other);
      sink.ensureFolder(otherName, false);
      try (SinkFolder folder = sink.open("INBOX")) {
        List<Set<String>> flags =
            List.of(
                union(Set.of("\\Seen"), keywords("$Forwarded")),
                Set.of("\\Flagged", "\\Answered"),
                Set.of(),
                Set.of("\\Seen"));
        List<Long> uids = stored(folder, flags);
        Map<Long, String> shaByUid =
            readBack("INBOX").stream().collect(Collectors.toMap(Seen::uid, Seen::sha256));

        Map<Long, Long> moved =
            folder.moveTo(List.of(uids.get(0), uids.get(1), uids.get(3), absent(uids)), otherName);

        assertThat(moved).containsOnlyKeys(uids.get(0), uids.get(1), uids.get(3));
        List<Seen> there = readBack(other);
        assertThat(there).extracting(Seen::uid).containsExactlyInAnyOrderElementsOf(moved.values());
        for (long uid : moved.keySet()) {
          Seen arrived =
              there.stream().filter(m -> m.uid() == moved.get(uid)).findFirst().orElseThrow();
          assertThat(arrived.sha256()).as("UID %d's bytes", uid).isEqualTo(shaByUid.get(uid));
          assertThat(arrived.flags())
              .as("UID %d's flags", uid)
              .isEqualTo(flags.get(uids.indexOf(uid)));
        }
        assertThat(readBack("INBOX")).extracting(Seen::uid).containsExactly(uids.get(2));
        assertThat(folder.flagsOf(uids)).containsOnlyKeys(uids.get(2));
      }
    }
  }
}
