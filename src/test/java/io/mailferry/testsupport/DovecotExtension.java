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
  private DovecotServer server;

  public DovecotExtension(DovecotServer.Layout layout) {
    this(layout, DovecotServer.DEFAULT_MAX_USER_IP_CONNECTIONS);
  }

  /** A Dovecot that refuses a user's connection beyond {@code maxUserIpConnections} from one IP. */
  public DovecotExtension(DovecotServer.Layout layout, int maxUserIpConnections) {
    this.layout = layout;
    this.maxUserIpConnections = maxUserIpConnections;
  }

  public DovecotServer server() {
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = DovecotServer.start(layout, maxUserIpConnections);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }
}
