package io.mailferry.sync;

import io.mailferry.mail.FolderStatus;
import io.mailferry.mail.MessageRef;
import java.util.Collection;

/**
 * A re-run's cheap listing (CONDSTORE, RFC 7162): after a complete listing at some HIGHESTMODSEQ,
 * {@code UID FETCH 1:* (...) (CHANGEDSINCE modseq)} names the messages whose flags changed and
 * every message that came since; the others are as they were, or gone. These are the counts that
 * tell which.
 */
public final class ChangedSince {

  private ChangedSince() {}

  /**
   * The folder's last complete listing ({@code then}) can anchor a listing of what changed since:
   * the same UIDVALIDITY and a HIGHESTMODSEQ on both sides that did not go back (a server that
   * rebuilt its index may start over; then the folder is listed whole).
   */
  public static boolean usable(FolderStatus now, FolderStatus then) {
    return now != null
        && then != null
        && now.uidValidity() == then.uidValidity()
        && now.highestModSeq() != null
        && then.highestModSeq() != null
        && now.highestModSeq() >= then.highestModSeq();
  }

  /**
   * How many of the messages the folder held at {@code then} are gone now. UIDs only rise, so a
   * message the listing names at or above {@code then}'s UIDNEXT came since, and each other message
   * the folder holds now was there then.
   *
   * @param exists the folder's message count now
   * @param listed what the CHANGEDSINCE listing named
   */
  public static long vanished(FolderStatus then, long exists, Collection<MessageRef> listed) {
    return then.messages() + cameSince(then, listed) - exists;
  }

  /**
   * Every UID the folder gave out between {@code then} and {@code now} (both STATUS, before their
   * listings) is in the listing, and none beyond: so no message came and went unseen, and none that
   * came was left out of the listing (a server's fault). Only then may the counts alone say that
   * nothing left the folder; otherwise a UID SEARCH must.
   */
  public static boolean everyNewUidListed(
      FolderStatus then, FolderStatus now, Collection<MessageRef> listed) {
    long inGap = 0;
    for (MessageRef r : listed) {
      if (r.uid() >= now.uidNext()) {
        return false;
      }
      if (r.uid() >= then.uidNext()) {
        inGap++;
      }
    }
    return inGap == now.uidNext() - then.uidNext();
  }

  /** How many of the listed messages came after {@code then}. */
  public static long cameSince(FolderStatus then, Collection<MessageRef> listed) {
    return listed.stream().filter(r -> r.uid() >= then.uidNext()).count();
  }

  /** Their bytes. */
  public static long bytesCameSince(FolderStatus then, Collection<MessageRef> listed) {
    return listed.stream().filter(r -> r.uid() >= then.uidNext()).mapToLong(MessageRef::size).sum();
  }

  /**
   * How many of the ledger's {@code known} messages of the folder are gone now: every message it
   * holds that the ledger does not know ({@code fresh}) is among the listed, so the rest of {@code
   * exists} are known ones.
   */
  public static long goneOfKnown(long known, long exists, long fresh) {
    return known - (exists - fresh);
  }
}
