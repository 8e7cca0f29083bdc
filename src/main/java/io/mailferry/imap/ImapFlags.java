package io.mailferry.imap;

import io.mailferry.mail.MessageFlags;
import io.mailferry.mail.MessageHeaders;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.util.LinkedHashSet;
import java.util.Set;

/** Converts between Jakarta Mail's Flags and mailferry's flag strings. */
public final class ImapFlags {

  private ImapFlags() {}

  public static Set<String> toStrings(Flags flags) {
    Set<String> out = new LinkedHashSet<>();
    for (Flags.Flag f : flags.getSystemFlags()) {
      if (f == Flags.Flag.SEEN) out.add(MessageFlags.SEEN);
      else if (f == Flags.Flag.ANSWERED) out.add(MessageFlags.ANSWERED);
      else if (f == Flags.Flag.FLAGGED) out.add(MessageFlags.FLAGGED);
      else if (f == Flags.Flag.DELETED) out.add(MessageFlags.DELETED);
      else if (f == Flags.Flag.DRAFT) out.add(MessageFlags.DRAFT);
      // \Recent is per-session state and is never copied.
    }
    for (String keyword : flags.getUserFlags()) {
      out.add(keyword);
    }
    return out;
  }

  public static Flags toFlags(Set<String> flags) {
    Flags out = new Flags();
    for (String flag : flags) {
      switch (flag) {
        case MessageFlags.SEEN -> out.add(Flags.Flag.SEEN);
        case MessageFlags.ANSWERED -> out.add(Flags.Flag.ANSWERED);
        case MessageFlags.FLAGGED -> out.add(Flags.Flag.FLAGGED);
        case MessageFlags.DELETED -> out.add(Flags.Flag.DELETED);
        case MessageFlags.DRAFT -> out.add(Flags.Flag.DRAFT);
        default -> {
          // Never sent as it is: a space or parenthesis would make it two flags or end the list.
          // The sink's flag filter drops such a keyword with a warning before it gets here.
          if (MessageFlags.isValidKeyword(flag)) {
            out.add(flag);
          }
        }
      }
    }
    return out;
  }

  /** The Message-ID header, trimmed, or null when there is none. */
  public static String messageId(Message m) throws MessagingException {
    String[] values = m.getHeader("Message-ID");
    if (values == null || values.length == 0 || values[0] == null) {
      return null;
    }
    return MessageHeaders.normalizeMessageId(values[0]);
  }
}
