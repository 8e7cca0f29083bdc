package io.mailferry.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One private Dovecot per test class: {@code @RegisterExtension static DovecotExtension dovecot =
 * ...}. Tests of a class share it and keep apart by fresh users ({@link Account#onDovecot}); the
 * only way a test class starts a Dovecot (TestSupportRulesTests).
 */
public final class DovecotExtension implements BeforeAllCallback, AfterAllCallback {

  private final DovecotServer.Layout layout;
  private final int maxUserIpConnections;
  private final boolean condstore;
  private DovecotServer server;

  public DovecotExtension(DovecotServer.Layout layout) {
    this(layout, DovecotServer.DEFAULT_MAX_USER_IP_CONNECTIONS);
  }

  /** A Dovecot that refuses a user's connection beyond {@code maxUserIpConnections} from one IP. */
  public DovecotExtension(DovecotServer.Layout layout, int maxUserIpConnections) {
    this(layout, maxUserIpConnections, true);
  }

  private DovecotExtension(
      DovecotServer.Layout layout, int maxUserIpConnections, boolean condstore) {
    this.layout = layout;
    this.maxUserIpConnections = maxUserIpConnections;
    this.condstore = condstore;
  }

  /**
   * The same Dovecot without CONDSTORE and QRESYNC on its IMAP port ({@link
   * DovecotServer#startWithoutCondstore}): {@code new DovecotExtension(SLASH).withoutCondstore()},
   * for a test class that runs with them off.
   */
  public DovecotExtension withoutCondstore() {
    return new DovecotExtension(layout, maxUserIpConnections, false);
  }

  public DovecotServer server() {
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server =
        condstore
            ? DovecotServer.start(layout, maxUserIpConnections)
            : DovecotServer.startWithoutCondstore(layout, maxUserIpConnections);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }
}
