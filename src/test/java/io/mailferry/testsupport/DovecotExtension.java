package io.mailferry.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One private Dovecot per test class: {@code @RegisterExtension static DovecotExtension dovecot = ...}. */
public final class DovecotExtension implements BeforeAllCallback, AfterAllCallback {

  private final DovecotServer.Layout layout;
  private DovecotServer server;

  public DovecotExtension(DovecotServer.Layout layout) {
    this.layout = layout;
  }

  public DovecotServer server() {
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = DovecotServer.start(layout);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    server.close();
  }
}
