package io.mailferry.sink;

import io.mailferry.testsupport.InMemorySink;
import io.mailferry.testsupport.TestMailbox;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The sink contract on {@link InMemorySink}, the fake the {@code sync} tests write to. Its reader
 * is its own record of what it holds (there is no other): the bytes kept, not what it was told.
 */
class InMemorySinkTests extends SinkContract {

  private InMemorySink sink;

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.of(
        Capability.KEYWORDS, Capability.UIDPLUS, Capability.MULTIAPPEND, Capability.UID_EDITS);
  }

  @Override
  protected void newDestination() {
    sink = InMemorySink.imapLike();
  }

  @Override
  protected MailSink openSink() {
    return sink;
  }

  @Override
  protected List<String> foldersSeen() {
    return sink.folderNames();
  }

  @Override
  protected List<Seen> readBack(String folder) {
    return sink.messages(folder).stream()
        .map(
            m ->
                new Seen(
                    m.uid(),
                    TestMailbox.sha256(m.raw()),
                    m.raw().length,
                    m.flags(),
                    m.internalDate()))
        .toList();
  }
}
