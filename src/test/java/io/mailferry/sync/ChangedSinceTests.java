package io.mailferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.mail.FolderPath;
import io.mailferry.mail.FolderStatus;
import io.mailferry.mail.MessageRef;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChangedSinceTests {

  /** The last complete listing: 10 messages, UIDs 1..10, HIGHESTMODSEQ 50. */
  static final FolderStatus THEN = new FolderStatus(7, 11, 10, 50L);

  static List<MessageRef> listed(long... uids) {
    return Arrays.stream(uids)
        .mapToObj(
            uid ->
                new MessageRef(
                    FolderPath.INBOX, 7, uid, 100, Instant.EPOCH, Set.of(), "<" + uid + ">"))
        .toList();
  }

  @Test
  void a_listing_of_changes_needs_the_same_uidvalidity_and_a_modseq_that_did_not_go_back() {
    assertThat(ChangedSince.usable(new FolderStatus(7, 12, 11, 55L), THEN)).isTrue();
    assertThat(ChangedSince.usable(new FolderStatus(8, 12, 11, 55L), THEN)).isFalse();
    assertThat(ChangedSince.usable(new FolderStatus(7, 12, 11, 40L), THEN)).isFalse();
    assertThat(ChangedSince.usable(new FolderStatus(7, 12, 11, null), THEN)).isFalse();
    assertThat(ChangedSince.usable(null, THEN)).isFalse();
  }

  @Test
  void one_new_one_changed_and_one_gone_is_counted_as_one_gone() {
    // UID 3 changed flags, UID 11 is new, one old message left: 10 + 1 - 1 = 10 now.
    assertThat(ChangedSince.vanished(THEN, 10, listed(3, 11))).isEqualTo(1);
    assertThat(ChangedSince.vanished(THEN, 11, listed(3, 11))).isZero();
    assertThat(ChangedSince.bytesCameSince(THEN, listed(3, 11))).isEqualTo(100);
  }

  @Test
  void counts_alone_are_trusted_only_when_every_uid_given_out_since_is_listed() {
    FolderStatus now = new FolderStatus(7, 13, 12, 60L);
    assertThat(ChangedSince.everyNewUidListed(THEN, now, listed(3, 11, 12))).isTrue();
    // A server that left new UID 12 out of its CHANGEDSINCE answer while an old message left:
    // 10 - 1 + 2 = 11 now, and 10 + 1 listed since - 11 makes the counts say none left.
    assertThat(ChangedSince.vanished(THEN, 11, listed(3, 11))).isZero();
    assertThat(ChangedSince.everyNewUidListed(THEN, now, listed(3, 11))).isFalse();
    // A message that arrived after the STATUS: past the UIDNEXT it gave.
    assertThat(ChangedSince.everyNewUidListed(THEN, now, listed(11, 12, 13))).isFalse();
  }

  @Test
  void of_the_known_messages_those_gone_are_what_the_folder_size_leaves_over() {
    // 10 known, 2 fresh, 11 now: one known is gone.
    assertThat(ChangedSince.goneOfKnown(10, 11, 2)).isEqualTo(1);
    assertThat(ChangedSince.goneOfKnown(10, 12, 2)).isZero();
  }
}
