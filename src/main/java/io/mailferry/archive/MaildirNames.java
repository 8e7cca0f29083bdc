package io.mailferry.archive;

import io.mailferry.mail.MessageFlags;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * Message file names. The base name is derived from the source message, so a backup killed after
 * writing a file but before recording it finds that file again instead of writing a second one:
 * {@code <INTERNALDATE epoch>.M<source UIDVALIDITY>U<source UID>.mailferry}. The full name adds the
 * size and the Maildir info: {@code ,S=<size>:2,<flags><keyword letters>}. Flags: D \Draft, F
 * \Flagged, R \Answered, S \Seen, T \Deleted, in ASCII order (Maildir spec); keywords are letters
 * a–z, numbered in the folder's dovecot-keywords file.
 */
public final class MaildirNames {

  private MaildirNames() {}

  /**
   * @param sourceKey "UIDVALIDITY" + "U" + "UID" (or a content hash for a message of unknown
   *     origin)
   */
  public static String baseName(Instant internalDate, String sourceKey) {
    return internalDate.getEpochSecond() + ".M" + sourceKey + ".mailferry";
  }

  /** The base name of a file name: everything before its first ',' or ':'. */
  public static String baseOf(String fileName) {
    int end = fileName.length();
    int comma = fileName.indexOf(',');
    int colon = fileName.indexOf(':');
    if (comma >= 0) {
      end = comma;
    }
    if (colon >= 0 && colon < end) {
      end = colon;
    }
    return fileName.substring(0, end);
  }

  public static String fileName(String base, long size, Set<String> flags, KeywordTable keywords) {
    return base + ",S=" + size + ":2," + info(flags, keywords);
  }

  /**
   * System flag letters then keyword letters; keywords the table cannot hold (over 26) are left
   * out.
   */
  static String info(Set<String> flags, KeywordTable keywords) {
    StringBuilder letters = new StringBuilder();
    if (flags.contains(MessageFlags.DRAFT)) {
      letters.append('D');
    }
    if (flags.contains(MessageFlags.FLAGGED)) {
      letters.append('F');
    }
    if (flags.contains(MessageFlags.ANSWERED)) {
      letters.append('R');
    }
    if (flags.contains(MessageFlags.SEEN)) {
      letters.append('S');
    }
    if (flags.contains(MessageFlags.DELETED)) {
      letters.append('T');
    }
    Set<Character> keywordLetters = new TreeSet<>();
    for (String flag : flags) {
      if (!MessageFlags.isSystem(flag)) {
        Character letter = keywords.letterFor(flag);
        if (letter != null) {
          keywordLetters.add(letter);
        }
      }
    }
    keywordLetters.forEach(letters::append);
    return letters.toString();
  }

  /** The flags and keywords of a file name's ":2," info. */
  public static Set<String> flagsOf(String fileName, KeywordTable keywords) {
    Set<String> flags = new TreeSet<>();
    int info = fileName.lastIndexOf(":2,");
    if (info < 0) {
      return flags;
    }
    for (char c : fileName.substring(info + 3).toCharArray()) {
      switch (c) {
        case 'D' -> flags.add(MessageFlags.DRAFT);
        case 'F' -> flags.add(MessageFlags.FLAGGED);
        case 'R' -> flags.add(MessageFlags.ANSWERED);
        case 'S' -> flags.add(MessageFlags.SEEN);
        case 'T' -> flags.add(MessageFlags.DELETED);
        default -> {
          String keyword = c >= 'a' && c <= 'z' ? keywords.keywordFor(c) : null;
          if (keyword != null) {
            flags.add(keyword);
          }
        }
      }
    }
    return flags;
  }
}
