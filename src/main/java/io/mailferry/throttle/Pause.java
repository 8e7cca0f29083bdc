package io.mailferry.throttle;

import io.mailferry.mail.MailferryException;
import java.util.concurrent.TimeUnit;

/** Sleeping for a throttle: an interrupt (a stop) ends the run resumably, as any stop does. */
final class Pause {

  private Pause() {}

  static void nanos(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailferryException.Temporary(
          "Interrupted while waiting for a rate limit or a server's backoff.", e);
    }
  }
}
