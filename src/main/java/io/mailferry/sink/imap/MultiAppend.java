package io.mailferry.sink.imap;

import io.mailferry.imap.UidSets;
import io.mailferry.mail.RawMessage;
import io.mailferry.sink.SinkFolder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.Literal;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;

/**
 * MULTIAPPEND (RFC 3502), which Angus Mail lacks: one APPEND command carrying several messages,
 * each with its flags, INTERNALDATE and exact bytes as a literal (non-synchronising with LITERAL+,
 * which Angus uses when the server offers it). The server stores all of them or none.
 */
final class MultiAppend {

  private static final Pattern APPENDUID =
      Pattern.compile("\\[APPENDUID (\\d+) ([0-9:,]+)\\]", Pattern.CASE_INSENSITIVE);

  private MultiAppend() {}

  /**
   * Sends the command and returns the tagged response; the caller checks it. Untagged responses
   * (EXISTS, …) go to the folder's handlers as for any command.
   */
  static Response send(IMAPProtocol p, String mailbox, List<SinkFolder.Outgoing> messages)
      throws Exception {
    Argument args = mailboxArgument(p, mailbox);
    for (SinkFolder.Outgoing m : messages) {
      if (!m.flags().isEmpty()) {
        args.writeAtom("(" + String.join(" ", m.flags()) + ")");
      }
      args.writeString(INTERNALDATE.format(Date.from(m.internalDate())));
      args.writeBytes(literal(m.message()));
    }
    Response[] responses = p.command("APPEND", args);
    Response[] untagged = new Response[responses.length - 1];
    System.arraycopy(responses, 0, untagged, 0, untagged.length);
    p.notifyResponseHandlers(untagged);
    return responses[responses.length - 1];
  }

  /**
   * A folder name as a command's argument: quoted, or a literal where it must be; in modified UTF-7
   * (RFC 3501 5.1.3) unless UTF8=ACCEPT is enabled, as Angus names folders itself.
   */
  static Argument mailboxArgument(IMAPProtocol p, String mailbox) {
    Argument args = new Argument();
    if (p.supportsUtf8()) {
      args.writeString(mailbox, StandardCharsets.UTF_8);
    } else {
      args.writeString(BASE64MailboxEncoder.encode(mailbox));
    }
    return args;
  }

  static Literal literal(RawMessage message) {
    return new Literal() {
      @Override
      public int size() {
        return Math.toIntExact(message.size());
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        message.writeTo(out);
      }
    };
  }

  /**
   * Where each message went, from "[APPENDUID uidvalidity uid-set]" (RFC 4315: the UIDs in the
   * order of the messages); nulls when the server sent none or a set of another length.
   */
  static List<SinkFolder.Appended> appended(String taggedLine, int count) {
    List<SinkFolder.Appended> result = new ArrayList<>(count);
    Matcher m = APPENDUID.matcher(taggedLine == null ? "" : taggedLine);
    List<Long> uids = m.find() ? uids(m.group(2), count) : null;
    for (int i = 0; i < count; i++) {
      result.add(
          uids == null
              ? new SinkFolder.Appended(null, null)
              : new SinkFolder.Appended(Long.parseLong(m.group(1)), uids.get(i)));
    }
    return result;
  }

  /** Expands "5,7:9" to [5, 7, 8, 9]; null when it does not name exactly {@code count} UIDs. */
  static List<Long> uids(String set, int count) {
    List<Long> uids = UidSets.expand(set, count);
    return uids != null && uids.size() == count ? uids : null;
  }
}
