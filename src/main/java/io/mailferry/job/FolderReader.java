package io.mailferry.job;

import io.mailferry.ledger.Ledger;
import io.mailferry.ledger.LedgerEntry;
import io.mailferry.mail.FolderStatus;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.MessageRef;
import io.mailferry.net.ServerRefusal;
import io.mailferry.report.FolderTally;
import io.mailferry.source.SourceFolder;
import io.mailferry.sync.ChangedSince;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.core.retry.RetryTemplate;

/**
 * Reads one folder's message references in UID order. Restarts by key, not by count: the checkpoint
 * is (UIDVALIDITY, last UID), and a changed UIDVALIDITY starts the folder over (the ledger and the
 * destination matcher then keep it free of duplicates).
 */
class FolderReader implements ItemStreamReader<MessageRef> {

  private static final String UIDVALIDITY_KEY = "uidValidity";
  private static final String LAST_UID_KEY = "lastUid";

  private final FolderSession session;
  private final RetryTemplate reconnect;
  private Iterator<MessageRef> refs;
  private long uidValidity;
  private long lastUid;

  FolderReader(FolderSession session, RetryTemplate reconnect) {
    this.session = session;
    this.reconnect = reconnect;
  }

  @Override
  public void open(ExecutionContext context) {
    if (session.plan().refusal() != null) {
      fail(
          session
              .plan()
              .refusal()); // the plan step's: a collision, or a CREATE the destination refused
      return;
    }
    reconnect.invoke(
        () -> {
          FolderTally before =
              session.tally().copy(); // a listing that broke halfway counts nothing
          try {
            list(context);
          } catch (RuntimeException e) {
            session.reset(before); // and a broken connection is not reused by the next try
            String refusal = ServerRefusal.words(e);
            if (refusal == null) {
              throw e;
            }
            // A NO to STATUS or EXAMINE is this folder's, and the same on every try: it fails
            // alone.
            fail("the source refused to open it: " + statusRefusal(refusal));
          }
        });
  }

  /**
   * The server's own words, from STATUS when it answers NO there: Angus may refuse to open a folder
   * without asking the server (its own LIST said \Noselect), and those are not its words.
   */
  private String statusRefusal(String otherwise) {
    try {
      session.runtime().source().status(session.plan().source());
      return otherwise;
    } catch (MailferryException e) {
      String words = ServerRefusal.words(e);
      return words != null ? words : otherwise;
    }
  }

  /**
   * The whole folder fails, named with the reason in the summary and the report; the others go on.
   */
  private void fail(String reason) {
    session.folderFailed(reason);
    refs = Collections.emptyIterator();
  }

  private void list(ExecutionContext context) {
    boolean resumed = context.containsKey(UIDVALIDITY_KEY);
    // Asked before the listing: whatever arrives meanwhile changes UIDNEXT, so the next run lists
    // again.
    FolderStatus status =
        resumed ? null : UnchangedFolders.status(session.runtime(), session.plan());
    Ledger.CompleteFolder unchanged =
        UnchangedFolders.unchanged(session.runtime(), session.plan(), status);
    if (unchanged != null) {
      skipUnchanged(status, unchanged);
      return;
    }
    uidValidity = session.source().uidValidity();
    boolean sameFolder = resumed && context.getLong(UIDVALIDITY_KEY) == uidValidity;
    lastUid = sameFolder ? context.getLong(LAST_UID_KEY) : 0;
    session.listing(
        lastUid == 0 && status != null && status.uidValidity() == uidValidity ? status : null);
    Changes changes = lastUid == 0 ? changesOnly(status) : null;
    List<MessageRef> all =
        changes != null
            ? changes.listed()
            : session.source().listAfter(lastUid, session.knownUids()::contains);
    FolderTally tally = session.tally();
    if (changes != null) {
      // Not listed, so not counted by the copy: each is in the ledger, as it was last time.
      tally.alreadyThere += changes.unchangedKnown();
    }
    FolderPromise.Counts atListing = FolderPromise.Counts.of(tally);
    SourceFolder.ListingNotes notes = session.source().listingNotes();
    long unlisted = 0;
    for (SourceFolder.ListingNotes.Unlisted u : notes.unlisted()) {
      // Never silence: a message the source holds but could not list is a failure with its reason.
      tally.fail(u.uid(), u.reason());
      tally.failedCount += u.count() - 1; // one line stands for them all
      unlisted += u.count();
    }
    if (changes != null) {
      tally.atSource = notes.held();
      tally.bytesAtSource = changes.bytes();
    } else if (lastUid == 0) {
      // Held against what the source says it holds (its EXISTS), not only against what it listed.
      tally.atSource = Math.max(all.size() + unlisted, notes.held());
      tally.bytesAtSource = all.stream().mapToLong(MessageRef::size).sum();
    }
    for (String warning : session.source().warnings()) {
      if (!tally.warnings.containsKey(warning)) {
        tally.warn(warning);
      }
    }
    notes.warnings().forEach(tally::warn);
    Set<Long> uids = new HashSet<>();
    all.forEach(ref -> uids.add(ref.uid()));
    session.promise(new FolderPromise(atListing, uids, unlisted, lastUid == 0), uidValidity);
    // A listing of changes only is taken for a destination that follows removals only when nothing
    // left the folder since its last complete listing: there is nothing to sweep.
    if (lastUid == 0 && changes == null && session.runtime().sink().followsRemovals()) {
      if (unlisted == 0 && all.size() >= notes.held()) {
        session.sweep(all);
      } else {
        // What the listing missed is not gone: marking or removing it would lose it (issue 16.4).
        tally.warn(
            "the listing was incomplete, so no archived message was marked or removed as gone from the source");
      }
    }
    session.noteSourceRefs(all);
    refs = all.iterator();
  }

  /**
   * A re-run's listing of what changed since the folder's last complete listing (see {@link
   * ChangedSince}).
   *
   * @param listed the messages whose flags changed and those that came since
   * @param unchangedKnown the folder's other messages: each in the ledger, flags as last time
   * @param bytes what the whole folder holds
   */
  private record Changes(List<MessageRef> listed, long unchangedKnown, long bytes) {}

  /**
   * The listing of changes only, where the source offers it and the ledger remembers the folder's
   * last complete listing; null to list the folder whole. Each of the folder's messages is then
   * accounted for, as by a whole listing: what the listing names, the ledger's messages the folder
   * still holds, and (counted, and found by UID SEARCH when there are any) those gone since.
   */
  private Changes changesOnly(FolderStatus status) {
    Ledger.CompleteFolder then = UnchangedFolders.lastComplete(session.runtime(), session.plan());
    if (then == null
        || !ChangedSince.usable(status, then.status())
        || status.uidValidity() != uidValidity) {
      return null;
    }
    SourceFolder source = session.source();
    List<MessageRef> listed = source.listChangedSince(then.status().highestModSeq());
    if (listed == null) {
      return null;
    }
    long exists = source.listingNotes().held();
    long unreadable =
        source.listingNotes().unlisted().stream()
            .mapToLong(SourceFolder.ListingNotes.Unlisted::count)
            .sum();
    long unchangedKnown = exists - listed.size() - unreadable;
    long vanished = ChangedSince.vanished(then.status(), exists, listed);
    if (vanished == 0
        && unchangedKnown >= 0
        && ChangedSince.everyNewUidListed(then.status(), status, listed)) {
      return new Changes(
          listed,
          unchangedKnown,
          then.bytes() + ChangedSince.bytesCameSince(then.status(), listed));
    }
    if (vanished < 0 || session.runtime().sink().followsRemovals()) {
      return null; // counts that do not add up, or a sweep to do: the whole listing settles it
    }
    Map<Long, LedgerEntry> known = session.known();
    Set<Long> notListed = new HashSet<>(known.keySet());
    listed.forEach(ref -> notListed.remove(ref.uid()));
    Set<Long> held = source.stillHeld(notListed);
    if (held == null || held.size() != unchangedKnown || !notListed.containsAll(held)) {
      return null;
    }
    long bytes = listed.stream().mapToLong(MessageRef::size).sum();
    for (long uid : held) {
      bytes += known.get(uid).key().size();
    }
    return new Changes(listed, unchangedKnown, bytes);
  }

  /**
   * Every message is in the ledger and none came or went since: nothing to read, no folder to open.
   */
  private void skipUnchanged(FolderStatus status, Ledger.CompleteFolder unchanged) {
    uidValidity = status.uidValidity();
    lastUid = status.uidNext() - 1;
    session.tally().atSource = status.messages();
    session.tally().bytesAtSource = unchanged.bytes();
    session.tally().alreadyThere = status.messages();
    refs = Collections.emptyIterator();
  }

  @Override
  public MessageRef read() {
    // The destination is full: this folder stopped in its last chunk, or another folder found it
    // full. End the step here, between chunks, with nothing sent. (A folder that stopped in its
    // final chunk is not read again: StopWhenFull fails its step.)
    var full = session.runtime().destinationFull();
    if (full != null && (session.stoppedAt() != null || (refs != null && refs.hasNext()))) {
      throw new MailferryException.DestinationFull(full.getMessage(), null);
    }
    if (refs == null || !refs.hasNext()) {
      return null;
    }
    MessageRef ref = refs.next();
    lastUid = ref.uid();
    return ref;
  }

  @Override
  public void update(ExecutionContext context) {
    Long stoppedAt = session.stoppedAt();
    if (stoppedAt != null && stoppedAt <= lastUid) {
      lastUid = stoppedAt - 1; // the rest of the chunk was not written: the next run starts there
    }
    context.putLong(UIDVALIDITY_KEY, uidValidity);
    context.putLong(LAST_UID_KEY, lastUid);
  }
}
