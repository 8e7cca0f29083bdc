package io.mailferry.source;

import static io.mailferry.testsupport.ContractMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.FolderStatus;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import io.mailferry.testsupport.ContractMessages;
import io.mailferry.testsupport.TestMailbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a caller of {@link MailSource} and {@link SourceFolder} relies on, run once per
 * implementation (the way james' MailboxManagerTest is). A subclass says how to put messages into
 * its source and how to open it; a case that needs what an implementation cannot do (folders,
 * flags, a folder recreated) is skipped there, named by its {@link Capability}.
 */
public abstract class SourceContract {

  /** What an implementation may lack; the cases that need it are skipped without it. */
  protected enum Capability {
    /** Folders besides INBOX (POP3 has INBOX only). */
    FOLDERS,
    /** RFC 6154 roles on the folders it lists ("\\Sent"). */
    SPECIAL_USE,
    /** System flags as they were put (POP3 has none). */
    FLAGS,
    /** Keywords ("$Forwarded") as they were put. */
    KEYWORDS,
    /**
     * UIDs that grow with each message put (IMAP); others keep the source's own order under hashed
     * UIDs.
     */
    ASCENDING_UIDS,
    /**
     * A folder deleted and created again gets a new UIDVALIDITY (an archive's UIDs are hashes:
     * stable).
     */
    RECREATE,
    /** STATUS without opening the folder. */
    STATUS,
    /** A large message is handed over in a spool file, not in the heap. */
    SPOOLS_LARGE,
    /**
     * A message removed since the listing is confirmed gone (IMAP: UID SEARCH no longer lists it;
     * an archive: the file is no longer there). Without it (POP3 cannot list again within its
     * session), such a message is handed over as unreadable: failed, never taken for gone.
     */
    CONFIRMS_REMOVAL
  }

  static final Instant FIRST = Instant.parse("2024-03-01T09:30:00Z");

  protected abstract Set<Capability> capabilities();

  /** Starts an empty mailbox (a new account, a new directory) for the case about to run. */
  protected abstract void newMailbox() throws Exception;

  /** Puts a message into a folder ('/'-written path), creating the folder when it is missing. */
  protected abstract void put(String folder, byte[] raw, Set<String> flags, Instant internalDate)
      throws Exception;

  /** Removes the folder's {@code n}-th message (0-based, in the order put) from the source. */
  protected abstract void remove(String folder, int n) throws Exception;

  /**
   * Deletes the folder with its messages and creates it again, empty (needs {@link
   * Capability#RECREATE}).
   */
  protected void recreate(String folder) throws Exception {
    throw new UnsupportedOperationException();
  }

  /** The implementation under test, reading the mailbox as it is now. */
  protected abstract MailSource openSource();

  @BeforeEach
  final void startWithAnEmptyMailbox() throws Exception {
    newMailbox();
  }

  private boolean has(Capability c) {
    return capabilities().contains(c);
  }

  private void assumeCapability(Capability c) {
    assumeTrue(has(c), () -> getClass().getSimpleName() + " lacks " + c);
  }

  private Set<String> flags(String... flags) {
    Set<String> kept = new HashSet<>();
    for (String f : flags) {
      if (f.startsWith("\\") ? has(Capability.FLAGS) : has(Capability.KEYWORDS)) {
        kept.add(f);
      }
    }
    return kept;
  }

  private static FolderInfo folder(MailSource source, String path) {
    FolderPath wanted = FolderPath.parse(path);
    return source.listFolders().stream()
        .filter(f -> f.path().equals(wanted))
        .findFirst()
        .orElseThrow(() -> new AssertionError(path + " is not listed: " + source.listFolders()));
  }

  private static List<MessageRef> listAll(SourceFolder folder) {
    return folder.listAfter(0, uid -> false);
  }

  private static final String UNREADABLE = "unreadable: ";

  /**
   * Each message handed over, by UID: its SHA-256, null when handed over as gone, or UNREADABLE and
   * the reason.
   */
  private static Map<Long, String> fetched(SourceFolder folder, List<MessageRef> refs) {
    Map<Long, String> out = new LinkedHashMap<>();
    folder.fetch(
        refs,
        new SourceFolder.BodyHandler() {
          @Override
          public void accept(MessageRef ref, RawMessage body) {
            out.put(ref.uid(), body == null ? null : body.sha256());
          }

          @Override
          public void unreadable(MessageRef ref, String reason) {
            out.put(
                ref.uid(),
                UNREADABLE
                    + reason); // never equal to a SHA-256: any other case asserting one fails
          }
        });
    return out;
  }

  private byte[][] putThree(String folder) throws Exception {
    byte[][] raws = {
      message("<one@example.org>", "one", FIRST, 300),
      message("<two@example.org>", "two", FIRST.plusSeconds(60), 5_000),
      message(null, "three, without Message-ID", FIRST.plusSeconds(120), 1)
    };
    put(folder, raws[0], flags("\\Seen"), FIRST);
    put(folder, raws[1], flags("\\Flagged", "\\Answered", "$Forwarded"), FIRST.plusSeconds(60));
    put(folder, raws[2], flags(), FIRST.plusSeconds(120));
    return raws;
  }

  @Test
  void lists_inbox_and_every_folder_it_holds_by_its_path_nested_spaced_or_not_ascii()
      throws Exception {
    put("INBOX", message("<in@example.org>", "in", FIRST, 10), Set.of(), FIRST);
    if (!has(Capability.FOLDERS)) {
      try (MailSource source = openSource()) {
        assertThat(source.listFolders())
            .extracting(FolderInfo::path)
            .containsExactly(FolderPath.INBOX);
      }
      return;
    }
    for (String path : List.of("Work/Projects", "Entwürfe 2024", "Sent")) {
      put(path, message("<" + path.hashCode() + "@example.org>", path, FIRST, 10), Set.of(), FIRST);
    }
    try (MailSource source = openSource()) {
      List<FolderInfo> folders = source.listFolders();
      assertThat(folders)
          .extracting(FolderInfo::path)
          .contains(
              FolderPath.INBOX,
              new FolderPath(List.of("Work", "Projects")),
              new FolderPath(List.of("Entwürfe 2024")),
              new FolderPath(List.of("Sent")));
      for (String path : List.of("INBOX", "Work/Projects", "Entwürfe 2024", "Sent")) {
        FolderInfo info = folder(source, path);
        assertThat(info.selectable()).as(path).isTrue();
        try (SourceFolder open = source.open(info)) {
          assertThat(listAll(open)).as(path).hasSize(1);
        }
      }
      if (has(Capability.SPECIAL_USE)) {
        assertThat(folder(source, "Sent").specialUse()).isEqualTo("\\Sent");
        assertThat(folder(source, "Work/Projects").specialUse()).isNull();
      }
    }
  }

  @Test
  void a_folder_lists_every_message_with_its_uid_size_date_flags_and_message_id_in_the_order_put()
      throws Exception {
    byte[][] raws = putThree("INBOX");
    try (MailSource source = openSource();
        SourceFolder folder = source.open(folder(source, "INBOX"))) {
      List<MessageRef> refs = listAll(folder);

      assertThat(refs).hasSize(3);
      assertThat(refs)
          .extracting(MessageRef::size)
          .containsExactly((long) raws[0].length, (long) raws[1].length, (long) raws[2].length);
      assertThat(refs)
          .extracting(MessageRef::internalDate)
          .containsExactly(FIRST, FIRST.plusSeconds(60), FIRST.plusSeconds(120));
      assertThat(refs)
          .extracting(MessageRef::messageId)
          .containsExactly("<one@example.org>", "<two@example.org>", null);
      assertThat(refs)
          .extracting(MessageRef::flags)
          .containsExactly(
              flags("\\Seen"), flags("\\Flagged", "\\Answered", "$Forwarded"), Set.of());
      assertThat(refs)
          .allSatisfy(
              r -> {
                assertThat(r.folder()).isEqualTo(FolderPath.INBOX);
                assertThat(r.uidValidity()).isEqualTo(folder.uidValidity());
                assertThat(r.uid()).isPositive();
              });
      assertThat(refs).extracting(MessageRef::uid).doesNotHaveDuplicates();
      if (has(Capability.ASCENDING_UIDS)) {
        assertThat(refs).extracting(MessageRef::uid).isSorted();
      }
    }
  }

  @Test
  void listing_after_a_uid_gives_only_the_messages_after_it_and_those_put_since() throws Exception {
    putThree("INBOX");
    List<MessageRef> first;
    try (MailSource source = openSource();
        SourceFolder folder = source.open(folder(source, "INBOX"))) {
      first = listAll(folder);
      assertThat(folder.listAfter(first.get(0).uid(), uid -> false))
          .containsExactlyElementsOf(first.subList(1, 3));
      assertThat(folder.listAfter(first.get(2).uid(), uid -> false)).isEmpty();
    }
    byte[] later = message("<four@example.org>", "four", FIRST.plusSeconds(180), 700);
    put("INBOX", later, Set.of(), FIRST.plusSeconds(180));
    try (MailSource source = openSource();
        SourceFolder folder = source.open(folder(source, "INBOX"))) {
      List<MessageRef> since = folder.listAfter(first.get(2).uid(), uid -> false);
      assertThat(since).extracting(MessageRef::messageId).containsExactly("<four@example.org>");
      assertThat(since.get(0).size()).isEqualTo(later.length);
      assertThat(listAll(folder))
          .extracting(MessageRef::uid)
          .startsWith(first.stream().map(MessageRef::uid).toArray(Long[]::new));
    }
  }

  @Test
  void a_listing_of_messages_already_copied_still_gives_each_its_uid_and_size() throws Exception {
    putThree("INBOX");
    try (MailSource source = openSource();
        SourceFolder folder = source.open(folder(source, "INBOX"))) {
      List<MessageRef> full = listAll(folder);
      List<MessageRef> known = folder.listAfter(0, uid -> true);
      assertThat(known)
          .extracting(MessageRef::uid)
          .containsExactlyElementsOf(full.stream().map(MessageRef::uid).toList());
      assertThat(known)
          .extracting(MessageRef::size)
          .containsExactlyElementsOf(full.stream().map(MessageRef::size).toList());
    }
  }

  @Test
  void fetch_hands_over_each_message_s_exact_bytes_in_the_order_asked() throws Exception {
    byte[][] raws = putThree("INBOX");
    try (MailSource source = openSource();
        SourceFolder folder = source.open(folder(source, "INBOX"))) {
      List<MessageRef> refs = new ArrayList<>(listAll(folder));
      Map<Long, String> shas = fetched(folder, List.of(refs.get(2), refs.get(0), refs.get(1)));

      assertThat(shas.keySet())
          .containsExactly(refs.get(2).uid(), refs.get(0).uid(), refs.get(1).uid());
      for (int i = 0; i < 3; i++) {
        assertThat(shas.get(refs.get(i).uid()))
            .as("message %d", i)
            .isEqualTo(TestMailbox.sha256(raws[i]));
      }
    }
  }

  @Test
  void a_message_above_the_in_memory_limit_is_handed_over_whole_between_small_ones()
      throws Exception {
    byte[] small = message("<small@example.org>", "small", FIRST, 2_000);
    byte[] large =
        message("<large@example.org>", "large", FIRST.plusSeconds(60), ContractMessages.LARGE);
    byte[] after = message("<after@example.org>", "after", FIRST.plusSeconds(120), 2_000);
    put("INBOX", small, Set.of(), FIRST);
    put("INBOX", large, Set.of(), FIRST.plusSeconds(60));
    put("INBOX", after, Set.of(), FIRST.plusSeconds(120));
    try (MailSource source = openSource();
        SourceFolder folder = source.open(folder(source, "INBOX"))) {
      List<MessageRef> refs = listAll(folder);
      assertThat(refs.get(1).size()).isEqualTo(large.length);
      List<String> shas = new ArrayList<>();
      List<Boolean> inMemory = new ArrayList<>();
      folder.fetch(
          refs,
          (ref, body) -> {
            shas.add(body.sha256());
            inMemory.add(body.inMemory());
            assertThat(body.size()).isEqualTo(ref.size());
            try (var in = body.open()) {
              assertThat(in.readAllBytes()).hasSize((int) ref.size());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
      assertThat(shas)
          .containsExactly(
              TestMailbox.sha256(small), TestMailbox.sha256(large), TestMailbox.sha256(after));
      if (has(Capability.SPOOLS_LARGE)) {
        assertThat(inMemory).containsExactly(true, false, true);
      }
    }
  }

  @Test
  void a_message_removed_after_the_listing_is_handed_over_as_gone_or_failed_and_the_others_whole()
      throws Exception {
    byte[][] raws = putThree("INBOX");
    try (MailSource source = openSource();
        SourceFolder folder = source.open(folder(source, "INBOX"))) {
      List<MessageRef> refs = listAll(folder);
      remove("INBOX", 1);

      Map<Long, String> shas = fetched(folder, refs);

      if (has(Capability.CONFIRMS_REMOVAL)) {
        assertThat(shas).containsEntry(refs.get(1).uid(), null);
      } else {
        assertThat(shas.get(refs.get(1).uid())).startsWith(UNREADABLE);
      }
      assertThat(shas)
          .containsEntry(refs.get(0).uid(), TestMailbox.sha256(raws[0]))
          .containsEntry(refs.get(2).uid(), TestMailbox.sha256(raws[2]));
    }
  }

  @Test
  void uidvalidity_is_the_same_at_every_open_and_in_every_listing() throws Exception {
    putThree("INBOX");
    long first;
    try (MailSource source = openSource();
        SourceFolder folder = source.open(folder(source, "INBOX"))) {
      first = folder.uidValidity();
      assertThat(listAll(folder)).extracting(MessageRef::uidValidity).containsOnly(first);
    }
    try (MailSource source = openSource();
        SourceFolder folder = source.open(folder(source, "INBOX"))) {
      assertThat(folder.uidValidity()).isEqualTo(first);
    }
  }

  @Test
  void a_folder_deleted_and_created_again_has_a_new_uidvalidity() throws Exception {
    assumeCapability(Capability.RECREATE);
    put("Work", message("<old@example.org>", "old", FIRST, 100), Set.of(), FIRST);
    long before;
    try (MailSource source = openSource();
        SourceFolder folder = source.open(folder(source, "Work"))) {
      before = folder.uidValidity();
    }
    recreate("Work");
    put("Work", message("<new@example.org>", "new", FIRST, 100), Set.of(), FIRST);
    try (MailSource source = openSource();
        SourceFolder folder = source.open(folder(source, "Work"))) {
      assertThat(folder.uidValidity()).isNotEqualTo(before);
      assertThat(listAll(folder))
          .extracting(MessageRef::messageId)
          .containsExactly("<new@example.org>");
    }
  }

  @Test
  void status_asked_without_opening_agrees_with_the_open_folder() throws Exception {
    putThree("INBOX");
    try (MailSource source = openSource()) {
      FolderStatus status = source.status(folder(source, "INBOX"));
      if (!has(Capability.STATUS)) {
        assertThat(status).as("a source that cannot say answers null").isNull();
        return;
      }
      try (SourceFolder folder = source.open(folder(source, "INBOX"))) {
        List<MessageRef> refs = listAll(folder);
        assertThat(status.uidValidity()).isEqualTo(folder.uidValidity());
        assertThat(status.messages()).isEqualTo(refs.size());
        assertThat(status.uidNext()).isGreaterThan(refs.get(refs.size() - 1).uid());
      }
    }
  }
}
