package io.mailferry.scheme;

import io.mailferry.config.Throttling;
import io.mailferry.throttle.Limits;

/** A run's throttling settings as the throttles take them. */
public final class ThrottleLimits {

  private ThrottleLimits() {}

  public static Limits of(Throttling t) {
    return new Limits(
        t.maxHostConnections(),
        t.loginInterval(),
        t.bytesPerSecond(),
        t.hostBytesPerSecond(),
        t.messagesPerSecond(),
        t.hostMessagesPerSecond(),
        t.maxBackoffWait());
  }
}
