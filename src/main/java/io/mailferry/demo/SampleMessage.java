package io.mailferry.demo;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One message to seed into a mailbox: where it lives, its exact bytes, its flags and its
 * INTERNALDATE.
 *
 * @param folder folder path as UTF-8 name segments, e.g. {@code List.of("Work", "Projects")}
 * @param raw the RFC 5322 message exactly as it should be stored (not copied, so large benchmark
 *     messages are not duplicated; treat it as read-only)
 * @param flags system flags with a backslash ({@code "\\Seen"}), anything else is a keyword
 * @param internalDate the IMAP INTERNALDATE to APPEND with
 */
public record SampleMessage(
    List<String> folder, byte[] raw, Set<String> flags, Instant internalDate) {

  public SampleMessage {
    folder = List.copyOf(folder);
    if (folder.isEmpty()) {
      throw new IllegalArgumentException("folder path must have at least one segment");
    }
    Objects.requireNonNull(raw, "raw");
    // Sorted rather than Set.copyOf: Set.copyOf iterates in a per-JVM random order,
    // and callers that write flags out (APPEND, reports) should be reproducible.
    flags = Collections.unmodifiableSet(new TreeSet<>(flags));
    Objects.requireNonNull(internalDate, "internalDate");
  }

  /** The folder path joined with {@code delimiter}, e.g. {@code "Work/Projects"}. */
  public String folderName(String delimiter) {
    return String.join(delimiter, folder);
  }
}
