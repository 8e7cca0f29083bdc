package io.mailferry.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.CapabilityHidingProxy;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink contract on a Dovecot without MOVE (RFC 6851), as older servers are: a move is UID COPY,
 * then the originals expunged. A proxy takes MOVE out of the capabilities and answers a MOVE with
 * BAD, so a sink that moved all the same fails here.
 */
class ImapSinkDovecotWithoutMoveIntegrationTests extends ImapSinkContract {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  private static CapabilityHidingProxy withoutMove;

  @BeforeAll
  static void hideMove() throws IOException {
    withoutMove =
        new CapabilityHidingProxy(dovecot.server().host(), dovecot.server().imapPort(), "MOVE");
  }

  @AfterAll
  static void closeProxy() throws IOException {
    withoutMove.close();
  }

  private int refusedBefore;

  @BeforeEach
  void countMoves() {
    refusedBefore = withoutMove.refusedCommands();
  }

  @AfterEach
  void noMoveWasSent() {
    assertThat(withoutMove.refusedCommands() - refusedBefore)
        .as("MOVE commands sent all the same")
        .isZero();
  }

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.allOf(Capability.class);
  }

  @Override
  protected Account newAccount() {
    return Account.onDovecot(dovecot.server(), "nomove" + USERS.incrementAndGet());
  }

  /** Through the proxy, in clear on loopback; the reader goes to Dovecot directly. */
  @Override
  protected Account sinkAccount() {
    return Account.imap("127.0.0.1", withoutMove.port(), account.user(), account.password());
  }
}
