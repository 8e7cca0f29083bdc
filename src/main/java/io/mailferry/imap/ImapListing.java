package io.mailferry.imap;

import io.mailferry.mail.MessageHeaders;
import io.mailferry.mail.Printable;
import jakarta.mail.MessagingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * Describes every message of an open folder from UID {@code first} on (UID, flags, size,
 * INTERNALDATE, Message-ID) in one UID FETCH, read straight from the FETCH responses.
 *
 * <p>Why not {@code folder.fetch(messages, profile)}: Jakarta Mail parses each message's Message-ID
 * through {@code InternetHeaders}, which looks up its stream provider with a ServiceLoader on every
 * call (jakartaee/mail-api#861): on 20,000 messages that was most of the listing's CPU and ~1 GB of
 * garbage. This also keeps no IMAPMessage per message in the folder.
 *
 * <p>Nothing the server lists is lost here (issue 16): a message whose date cannot be read is dated
 * by its newest Received: (else Date:) header, with a warning; an unknown system flag is dropped
 * with a warning; a message whose response cannot be read at all is {@link Unlisted}, named by its
 * UID where the server gave one; and a full listing is held against the folder's EXISTS, so a
 * message the server answered for with nothing is named as missing too.
 */
public final class ImapListing {

  /**
   * One message as the listing saw it.
   *
   * @param size {@link ImapFetchItems#UNKNOWN} when the server's RFC822.SIZE could not be read
   */
  public record Entry(
      long uid, long size, Instant internalDate, Set<String> flags, String messageId) {}

  /**
   * Messages the server holds that are not in the listing: uid 0 when the server did not say which,
   * and how many the reason stands for.
   */
  public record Unlisted(long uid, String reason, long count) {}

  /**
   * Something about one message the user should know.
   *
   * @param text for the tally, where equal texts are counted (so without the UID)
   * @param detail what the server sent, for the log line that names the UID
   */
  public record Warning(long uid, String text, String detail) {}

  /**
   * @param exists the folder's message count when the listing was taken
   */
  public record Listing(
      List<Entry> entries, List<Unlisted> unlisted, List<Warning> warnings, int exists) {
    public static Listing empty() {
      return new Listing(List.of(), List.of(), List.of(), 0);
    }
  }

  private static final String ITEMS =
      "(UID FLAGS RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])";
  private static final String DATE_HEADERS = "(UID BODY.PEEK[HEADER.FIELDS (RECEIVED DATE)])";

  private ImapListing() {}

  /**
   * @return the entries in UID order
   */
  public static Listing from(IMAPFolder folder, long first) throws MessagingException {
    int exists = folder.getMessageCount();
    if (exists == 0) {
      return Listing.empty();
    }
    ImapFetchCommand.Answer answer =
        ImapFetchCommand.runForHeaders(folder, "UID FETCH " + first + ":* " + ITEMS, exists);
    Listing listing = read(answer.fetches(), first, answer.exists(), answer.unreadableResponses());
    return withFallbackDates(folder, listing);
  }

  /**
   * The messages whose flags changed since the folder's HIGHESTMODSEQ was {@code modSeq}, and every
   * message that arrived since (a new message's MODSEQ is higher than any before, RFC 7162 3.1.1),
   * in one {@code UID FETCH 1:* (...) (CHANGEDSINCE modSeq)}. Needs CONDSTORE. The listing is not
   * held against EXISTS (it names only what changed), but {@code exists} is the folder's count.
   */
  public static Listing changedSince(IMAPFolder folder, long modSeq) throws MessagingException {
    int exists = folder.getMessageCount();
    if (exists == 0) {
      return Listing.empty();
    }
    ImapFetchCommand.Answer answer =
        ImapFetchCommand.runForHeaders(
            folder, "UID FETCH 1:* " + ITEMS + " (CHANGEDSINCE " + modSeq + ")", exists);
    Listing listing =
        read(answer.fetches(), 1, answer.exists(), answer.unreadableResponses(), false);
    return withFallbackDates(folder, listing);
  }

  /**
   * Builds the listing from what the server answered: pure, so any bytes can be tried on it.
   * Entries without a readable date have a null {@code internalDate}, to be filled by {@link
   * #withFallbackDates}.
   *
   * @param exists the folder's EXISTS count; a listing from UID 1 must account for that many
   */
  public static Listing read(
      List<ImapFetchItems> fetches, long first, int exists, int unreadableResponses) {
    return read(fetches, first, exists, unreadableResponses, first <= 1);
  }

  /**
   * @param whole the answer should name every message of the folder (a listing from UID 1 without
   *     CHANGEDSINCE), so it is held against {@code exists}
   */
  private static Listing read(
      List<ImapFetchItems> fetches,
      long first,
      int exists,
      int unreadableResponses,
      boolean whole) {
    // A server may split one message's items over several FETCH responses: merge them by number.
    Map<Long, Merged> byNumber = new LinkedHashMap<>();
    List<Merged> withoutNumber = new ArrayList<>();
    for (ImapFetchItems f : fetches) {
      if (f.number < 1) {
        withoutNumber.add(new Merged().add(f));
      } else {
        byNumber.computeIfAbsent(f.number, n -> new Merged()).add(f);
      }
    }
    TreeMap<Long, Entry> entries = new TreeMap<>();
    List<String> nameless = new ArrayList<>();
    List<Warning> warnings = new ArrayList<>();
    long belowFirst = 0;
    for (Merged m : byNumber.values()) {
      if (m.uid < 0) {
        if (m.problem == null) {
          continue; // an unsolicited FETCH (a flag change by another session) of a message not
          // asked for
        }
        nameless.add(m.problem);
        continue;
      }
      if (m.uid < first) {
        belowFirst++;
        continue; // "UID FETCH n:*" always returns the highest message, even below n (RFC 9051
        // 6.4.9)
      }
      // A message the server names is listed, whatever else of its answer could not be read:
      // the fetch of its bytes decides whether it can be copied (else it fails, named by UID).
      Set<String> flags = m.flags == null ? Set.of() : m.flags;
      if (m.flags == null) {
        warnings.add(
            new Warning(
                m.uid,
                "FLAGS unreadable: copied without flags",
                m.problem == null ? "no FLAGS item" : m.problem));
      }
      for (String dropped : m.dropped) {
        warnings.add(
            new Warning(
                m.uid,
                "flag "
                    + Printable.escape(dropped)
                    + " is neither an IMAP system flag nor a keyword: dropped",
                dropped));
      }
      if (m.size < 0) {
        warnings.add(
            new Warning(
                m.uid,
                "RFC822.SIZE unreadable: the message is fetched on its own, in pieces",
                m.sizeText != null
                    ? m.sizeText
                    : m.problem == null ? "no RFC822.SIZE item" : m.problem));
      }
      if (m.date == null) {
        warnings.add(
            new Warning(
                m.uid,
                m.hasDate && m.dateText == null
                    ? "INTERNALDATE is NIL: dated by its newest Received: (else Date:) header"
                    : "INTERNALDATE unreadable: dated by its newest Received: (else Date:) header",
                m.dateText != null
                    ? m.dateText
                    : m.problem == null ? "no INTERNALDATE item" : m.problem));
      }
      entries.put(m.uid, new Entry(m.uid, m.size, m.date, flags, m.messageId));
    }
    for (Merged m : withoutNumber) {
      nameless.add(m.problem == null ? "a FETCH response without a message number" : m.problem);
    }
    List<Unlisted> missing = new ArrayList<>();
    // Held against EXISTS: from UID 1, every message the folder holds must be accounted for.
    long accounted = entries.size() + belowFirst;
    long shortfall = whole ? exists - accounted : nameless.size() + unreadableResponses;
    if (shortfall > 0) {
      String why =
          !nameless.isEmpty()
              ? "its answer for them could not be read: " + nameless.get(0)
              : unreadableResponses > 0
                  ? "its answer for them could not be read"
                  : "the server listed " + exists + " but answered for " + accounted;
      missing.add(
          new Unlisted(
              0,
              shortfall
                  + (shortfall == 1 ? " message" : " messages")
                  + " of the folder could not be listed ("
                  + why
                  + ")",
              shortfall));
    }
    return new Listing(List.copyOf(entries.values()), missing, warnings, exists);
  }

  /**
   * Dates each entry whose INTERNALDATE was unreadable by its newest Received: (else Date:) header,
   * else now.
   */
  private static Listing withFallbackDates(IMAPFolder folder, Listing listing)
      throws MessagingException {
    StringBuilder set = new StringBuilder();
    int undated = 0;
    for (Entry e : listing.entries()) {
      if (e.internalDate() == null) {
        set.append(set.isEmpty() ? "" : ",").append(e.uid());
        undated++;
      }
    }
    if (set.isEmpty()) {
      return listing;
    }
    Map<Long, Instant> dates = new TreeMap<>();
    for (ImapFetchItems f :
        ImapFetchCommand.runForHeaders(folder, "UID FETCH " + set + " " + DATE_HEADERS, undated)
            .fetches()) {
      if (f.uid > 0 && f.bodyStart >= 0) {
        Instant date =
            MessageHeaders.parse(
                    Arrays.copyOfRange(f.buffer(), f.bodyStart, f.bodyStart + f.bodyLength))
                .deliveryDate();
        if (date != null) {
          dates.put(f.uid, date);
        }
      }
    }
    return withDates(listing, dates, Instant.now());
  }

  /**
   * The listing with each missing date filled from {@code dates}, else {@code now} (with a
   * warning).
   */
  static Listing withDates(Listing listing, Map<Long, Instant> dates, Instant now) {
    List<Entry> entries = new ArrayList<>(listing.entries().size());
    List<Warning> warnings = new ArrayList<>(listing.warnings());
    for (Entry e : listing.entries()) {
      if (e.internalDate() != null) {
        entries.add(e);
        continue;
      }
      Instant date = dates.get(e.uid());
      if (date == null) {
        warnings.add(
            new Warning(
                e.uid(),
                "no readable INTERNALDATE, Received: or Date: header: dated by the time"
                    + " of the run",
                "no date header"));
        date = now;
      }
      entries.add(new Entry(e.uid(), e.size(), date, e.flags(), e.messageId()));
    }
    return new Listing(entries, listing.unlisted(), warnings, listing.exists());
  }

  /** One message's items, merged over its FETCH responses. */
  private static final class Merged {
    long uid = -1;
    long size = -1;
    Instant date;
    String dateText;
    String sizeText;
    boolean hasDate;
    Set<String> flags;
    final Set<String> dropped = new LinkedHashSet<>();
    String messageId;
    String problem;

    Merged add(ImapFetchItems f) {
      uid = f.uid > 0 ? f.uid : uid;
      size = f.size >= 0 ? f.size : size;
      sizeText = f.sizeText != null ? f.sizeText : sizeText;
      if (f.hasInternalDate) {
        hasDate = true;
        date = f.internalDate != null ? f.internalDate : date;
        dateText = f.internalDateText;
      }
      if (f.flags != null) {
        flags = new LinkedHashSet<>(f.flags);
      }
      dropped.addAll(f.droppedFlags);
      if (f.bodyStart >= 0) {
        byte[] header = Arrays.copyOfRange(f.buffer(), f.bodyStart, f.bodyStart + f.bodyLength);
        messageId = MessageHeaders.parse(header).messageId();
      }
      if (f.problem() != null) {
        problem = f.problem();
      }
      return this;
    }
  }
}
