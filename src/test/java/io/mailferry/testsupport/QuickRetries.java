package io.mailferry.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code @ExtendWith(QuickRetries.class)}: runs in this JVM wait 50 ms before retrying a lost
 * connection instead of a second, so tests of servers that break connections stay quick.
 */
public final class QuickRetries implements BeforeAllCallback, AfterAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    System.setProperty("mailferry.retry-delay-ms", "50");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    System.clearProperty("mailferry.retry-delay-ms");
  }
}
