package io.mailferry.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One private PostgreSQL per test class: {@code @RegisterExtension static PostgresExtension
 * postgres = ...}.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

  private PostgresServer server;

  public PostgresServer server() {
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = PostgresServer.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }
}
