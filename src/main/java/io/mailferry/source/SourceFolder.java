package io.mailferry.source;

import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import java.util.List;

/** One open source folder. Not thread-safe: one partition uses it. */
public interface SourceFolder extends AutoCloseable {

  long uidValidity();

  /** Every message with a UID above {@code lastUid}, in UID order, without their bytes. */
  List<MessageRef> listAfter(long lastUid);

  /**
   * Reads the exact bytes of each message and hands them to {@code handler} in order; the
   * handler owns the RawMessage only during the call. A message gone from the source is
   * handed over as null.
   */
  void fetch(List<MessageRef> refs, BodyHandler handler);

  @FunctionalInterface
  interface BodyHandler {
    void accept(MessageRef ref, RawMessage body);
  }

  @Override
  void close();
}
