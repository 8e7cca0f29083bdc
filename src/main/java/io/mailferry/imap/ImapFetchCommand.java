package io.mailferry.imap;

import io.mailferry.mail.AnnouncedSize;
import io.mailferry.net.ResponseGuard;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
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

  /**
   * As {@link #run}, for a FETCH of the bodies of messages whose sizes the listing announced: a
   * literal beyond the largest of them (with {@link AnnouncedSize}'s margin, and never beyond
   * --max-message-size) or the literals together beyond their sum break the protocol before the
   * bytes reach memory. A server that says 10 bytes and sends 10 MB is not believed.
   */
  public static Answer runForBodies(
      IMAPFolder folder, String command, List<Long> announcedSizes, long maxMessageSize)
      throws MessagingException {
    long largest = 0;
    long announcedLargest = 0;
    long total = 0;
    for (long size : announcedSizes) {
      long allowed = AnnouncedSize.allowed(size, maxMessageSize);
      if (allowed > largest) {
        largest = allowed;
        announcedLargest = size;
      }
      total = AnnouncedSize.saturatedAdd(total, allowed);
    }
    // Besides one FETCH per message: unsolicited EXISTS, EXPUNGE and flag changes of a folder in
    // use.
    long responses = 2L * announcedSizes.size() + 10_000;
    var expected =
        new ResponseGuard.Expectation(
            largest,
            total,
            responses,
            "responses to one FETCH of " + announcedSizes.size() + " messages",
            " for messages whose RFC822.SIZE said at most " + announcedLargest + " bytes each");
    ResponseGuard.Scope scope = ResponseGuard.expect(expected);
    try (scope) {
      return run(folder, command);
    }
  }

  /**
   * As {@link #run}, for a FETCH of header fields (no bodies) of at most {@code messages} messages:
   * a server that answers with more FETCH responses than the folder holds (an endless listing), or
   * with header literals beyond a header's size, breaks the protocol before the listing outgrows
   * memory.
   */
  public static Answer runForHeaders(IMAPFolder folder, String command, int messages)
      throws MessagingException {
    long responses =
        2L * Math.max(0, messages) + 10_000; // besides: EXISTS, EXPUNGE, flag changes meanwhile
    var expected =
        new ResponseGuard.Expectation(
            1L << 20,
            (16L << 20) + 4096L * Math.max(0, messages),
            responses,
            "responses to a FETCH of the header fields of " + messages + " messages",
            " for header fields");
    ResponseGuard.Scope scope = ResponseGuard.expect(expected);
    try (scope) {
      return run(folder, command);
    }
  }

  public static Answer run(IMAPFolder folder, String command) throws MessagingException {
    return run(folder, command, fetch -> true);
  }

  /**
   * As {@link #run(IMAPFolder, String)}, keeping only the FETCH responses that {@code answers}
   * accepts: the others (a flag change of another message, which a server may send at any time) go
   * to the folder's handlers, as Angus's own FetchResponse, as for any command.
   */
  public static Answer run(IMAPFolder folder, String command, Predicate<ImapFetchItems> answers)
      throws MessagingException {
    List<ImapFetchItems> fetches = new ArrayList<>();
    int[] unreadable = {0};
    folder.doCommand(
        p -> {
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
                ImapFetchItems items = ImapFetchItems.read(raw.bytes(), 0, raw.length());
                if (answers.test(items)) {
                  fetches.add(items);
                } else {
                  unsolicited(p, r, others);
                }
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

  /** Hands an unsolicited FETCH on as Angus reads it; one it cannot read it drops, as it does. */
  private static void unsolicited(IMAPProtocol p, IMAPResponse r, List<Response> others) {
    try {
      others.add(new FetchResponse(r, p.getFetchItems(), p));
    } catch (IOException | ProtocolException e) {
      // not the command's answer, and no handler could use it
    }
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
