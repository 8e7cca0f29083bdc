package io.mailferry.mail;

import jakarta.mail.MessagingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

/**
 * Sends one FETCH (or UID FETCH) command on an open folder and hands back every untagged FETCH
 * response as {@link ImapFetchItems}, read from its raw bytes. Every other response (EXISTS,
 * EXPUNGE, BYE, ...) goes to the folder's own handlers, as Angus's {@code Protocol.command} does.
 *
 * <p>Why not {@code Protocol.command}: it builds a FetchResponse from each FETCH line and, when
 * that throws, drops the line ("ignoring bad response"): a message whose INTERNALDATE was NIL
 * vanished from the listing without a word. Here no response is dropped.
 */
public final class ImapFetchCommand {

  /** What came back: the FETCH responses, and the folder's message count after the command. */
  public record Answer(List<ImapFetchItems> fetches, int unreadableResponses, int exists) {}

  private ImapFetchCommand() {}

  public static Answer run(IMAPFolder folder, String command) throws MessagingException {
    List<ImapFetchItems> fetches = new ArrayList<>();
    int[] unreadable = {0};
    folder.doCommand(p -> {
      synchronized (p) {
        List<Response> others = new ArrayList<>();
        Response bye = null;
        Response done = null;
        String tag;
        try {
          tag = p.writeCommand(command, null);
        } catch (IOException e) {
          tag = null;
          bye = Response.byeResponse(e);
        }
        while (tag != null && done == null) {
          IMAPResponse r;
          try {
            r = new IMAPResponse(p);
          } catch (IOException e) {
            if (bye == null) {
              bye = Response.byeResponse(e); // the connection is gone: as Protocol.command does
            }
            break;
          } catch (ProtocolException e) {
            unreadable[0]++;
            continue;
          }
          if (r.isBYE()) {
            bye = r;
          } else if (r.isTagged() && tag.equals(r.getTag())) {
            done = r;
          } else if (r.isUnTagged() && r.keyEquals("FETCH")) {
            Raw raw = new Raw(r);
            fetches.add(ImapFetchItems.read(raw.bytes(), 0, raw.length()));
          } else {
            others.add(r);
          }
        }
        if (done != null) {
          others.add(done);
        }
        if (bye != null) {
          others.add(bye); // must be last: handleResult then throws ConnectionException
        }
        Response[] responses = others.toArray(Response[]::new);
        p.notifyResponseHandlers(responses);
        p.handleResult(responses[responses.length - 1]);
        return null;
      }
    });
    return new Answer(fetches, unreadable[0], folder.getMessageCount());
  }

  /** Reaches the response's bytes (protected in Angus's Response). */
  private static final class Raw extends IMAPResponse {
    Raw(IMAPResponse r) {
      super(r);
    }

    byte[] bytes() {
      return buffer;
    }

    int length() {
      return Math.max(0, Math.min(size, buffer == null ? 0 : buffer.length));
    }
  }
}
