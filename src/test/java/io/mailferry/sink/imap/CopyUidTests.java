package io.mailferry.sink.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.eclipse.angus.mail.iap.Response;
import org.junit.jupiter.api.Test;

/** How a MOVE or COPY answer (COPYUID, RFC 4315) is read. */
class CopyUidTests {

  @Test
  void copyuid_maps_each_old_uid_to_its_new_one_in_the_order_of_the_sets() {
    Response[] answer = {
      new Response("* 2 EXPUNGE"),
      new Response("* OK [COPYUID 38505 304,319:320 3956:3958] Moved UIDs."),
      new Response("A3 OK Move completed")
    };
    assertThat(ImapSinkFolder.copyUid(answer, Set.of(304L, 319L, 320L, 400L)))
        .containsOnly(Map.entry(304L, 3956L), Map.entry(319L, 3957L), Map.entry(320L, 3958L));
    assertThat(ImapSinkFolder.copyUid(new Response[] {new Response("A3 OK done")}, Set.of(1L)))
        .as("no COPYUID: the server did not say")
        .isNull();
  }

  @Test
  void
      copyuid_that_names_a_pair_twice_counts_it_once_and_one_that_gives_two_partners_is_not_read() {
    Response[] greenMail = {new Response("A3 OK [COPYUID 9 1,1:2,4 1,1:3] MOVE completed.")};
    assertThat(ImapSinkFolder.copyUid(greenMail, Set.of(1L, 2L, 4L)))
        .containsOnly(Map.entry(1L, 1L), Map.entry(2L, 2L), Map.entry(4L, 3L));
    Response[] contradictory = {new Response("A3 OK [COPYUID 9 1,1 5,6] done")};
    assertThat(ImapSinkFolder.copyUid(contradictory, Set.of(1L))).isNull();
  }
}
