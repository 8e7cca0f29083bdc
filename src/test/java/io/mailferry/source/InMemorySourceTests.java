package io.mailferry.source;

import io.mailferry.testsupport.InMemorySource;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * The source contract on {@link InMemorySource}, the fake the {@code sync} tests read from: held to
 * what the real sources are held to, it cannot teach those tests anything a real source would not
 * do.
 */
class InMemorySourceTests extends SourceContract {

  private InMemorySource source;

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.of(
        Capability.FOLDERS,
        Capability.FLAGS,
        Capability.KEYWORDS,
        Capability.ASCENDING_UIDS,
        Capability.RECREATE,
        Capability.STATUS,
        Capability.CONFIRMS_REMOVAL);
  }

  @Override
  protected void newMailbox() {
    source = new InMemorySource(true);
  }

  @Override
  protected void put(String folder, byte[] raw, Set<String> flags, Instant internalDate) {
    source.put(folder, raw, flags, internalDate);
  }

  @Override
  protected void remove(String folder, int n) {
    source.remove(folder, source.uids(folder).get(n));
  }

  @Override
  protected void recreate(String folder) {
    source.recreate(folder);
  }

  @Override
  protected MailSource openSource() {
    return source;
  }
}
