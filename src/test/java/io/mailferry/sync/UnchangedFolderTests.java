package io.mailferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.mail.FolderStatus;
import org.junit.jupiter.api.Test;

class UnchangedFolderTests {

  private static final FolderStatus THEN = new FolderStatus(7, 101, 100, 500L);

  @Test
  void same_uidvalidity_uidnext_and_messages_is_the_same_set_of_messages() {
    assertThat(UnchangedFolder.same(new FolderStatus(7, 101, 100, 999L), THEN, false)).isTrue();
  }

  @Test
  void an_append_an_expunge_or_a_new_uidvalidity_is_a_change() {
    assertThat(UnchangedFolder.same(new FolderStatus(7, 102, 101, 500L), THEN, false))
        .as("append")
        .isFalse();
    assertThat(UnchangedFolder.same(new FolderStatus(7, 101, 99, 500L), THEN, false))
        .as("expunge")
        .isFalse();
    assertThat(UnchangedFolder.same(new FolderStatus(8, 101, 100, 500L), THEN, false))
        .as("uidvalidity")
        .isFalse();
  }

  @Test
  void for_an_archive_a_flag_change_counts_and_without_condstore_nothing_is_taken_as_unchanged() {
    assertThat(UnchangedFolder.same(new FolderStatus(7, 101, 100, 500L), THEN, true)).isTrue();
    assertThat(UnchangedFolder.same(new FolderStatus(7, 101, 100, 501L), THEN, true))
        .as("flags")
        .isFalse();
    assertThat(
            UnchangedFolder.same(
                new FolderStatus(7, 101, 100, null), new FolderStatus(7, 101, 100, null), true))
        .as("no CONDSTORE")
        .isFalse();
  }
}
