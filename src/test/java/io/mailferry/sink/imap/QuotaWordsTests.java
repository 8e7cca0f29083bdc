package io.mailferry.sink.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A full destination in each server's words is a full destination, not a failure per message (issue
 * 16, case 6).
 */
class QuotaWordsTests {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[ALERT] You exceeded your mail quota", // Courier, without [OVERQUOTA]
        "Over quota", // Cyrus
        "[OVERQUOTA] Quota exceeded (mailbox for user is full)", // Dovecot 2.3
        "Quota exceeded (mailbox for user is full)", // Dovecot without the code
        "Mailbox is full"
      })
  void each_servers_words_for_a_full_mailbox_are_recognised(String words) {
    assertThat(ImapSinkFolder.isQuotaRefusal(words)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[OVERQUOTA] Account exceeded command or bandwidth limits", // Gmail: a rate limit
        "[CANNOT] Character not allowed in mailbox name: '.'",
        "Message contains bare newlines",
        "[LIMIT] Quota root name too long"
      })
  void other_refusals_are_not_a_full_mailbox(String words) {
    assertThat(ImapSinkFolder.isQuotaRefusal(words)).isFalse();
  }
}
