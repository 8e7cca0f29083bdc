package io.mailferry.sink.imap;

import io.mailferry.imap.ImapFlags;
import io.mailferry.mail.MessageFlags;
import io.mailferry.sink.SinkFolder;
import jakarta.mail.Flags;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Keeps what the folder's PERMANENTFLAGS allow (RFC 9051 7.1): the system flags it lists, any
 * keyword when it lists \*, otherwise only the keywords it names. An invalid flag (a backslash name
 * that is no system flag, such as \$NOTJUNK, or a keyword with forbidden characters) would make the
 * server refuse the whole APPEND, so it is dropped instead.
 */
final class PermanentFlagsFilter implements SinkFolder.FlagFilter {

  private final Set<String> allowed;
  private final boolean anyKeyword;

  PermanentFlagsFilter(Flags permanent) {
    this.allowed = permanent == null ? Set.of() : ImapFlags.toStrings(permanent);
    this.anyKeyword = permanent != null && permanent.contains(Flags.Flag.USER);
  }

  @Override
  public Set<String> keep(Set<String> flags, Set<String> dropped) {
    Set<String> kept = new LinkedHashSet<>();
    for (String flag : flags) {
      boolean ok;
      if (MessageFlags.isSystem(flag)) {
        // A server that lists no PERMANENTFLAGS at all still stores system flags in practice.
        ok = allowed.isEmpty() || allowed.contains(flag);
      } else {
        ok = MessageFlags.isValidKeyword(flag) && (anyKeyword || allowed.contains(flag));
      }
      (ok ? kept : dropped).add(flag);
    }
    return kept;
  }
}
