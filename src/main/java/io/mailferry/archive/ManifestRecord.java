package io.mailferry.archive;

import java.time.Instant;
import java.util.List;

/**
 * One message of the archive, as one line of JSON in the manifest. A later line for the same folder
 * and base name replaces an earlier one (flags changed, gone from the source).
 *
 * @param folder the folder's UTF-8 path, '/'-separated ("INBOX", "Work/Projects")
 * @param base the file's base name (see {@link MaildirNames}); the full name adds size and flags
 * @param sourceKey where it came from: "UIDVALIDITY:UID" in the source folder (POP3: key space and
 *     UIDL hash)
 * @param flags system flags and keywords, as IMAP writes them
 * @param atSource false once the message was gone from the source at a later backup
 */
public record ManifestRecord(
    String folder,
    String base,
    String sourceFolder,
    String sourceKey,
    String sha256,
    long size,
    List<String> flags,
    Instant internalDate,
    String messageId,
    boolean atSource) {

  public ManifestRecord {
    flags = List.copyOf(flags);
  }

  public String id() {
    return folder + "\u0000" + base;
  }

  public ManifestRecord withFlags(List<String> newFlags) {
    return new ManifestRecord(
        folder,
        base,
        sourceFolder,
        sourceKey,
        sha256,
        size,
        newFlags,
        internalDate,
        messageId,
        atSource);
  }

  public ManifestRecord goneFromSource() {
    return new ManifestRecord(
        folder, base, sourceFolder, sourceKey, sha256, size, flags, internalDate, messageId, false);
  }
}
