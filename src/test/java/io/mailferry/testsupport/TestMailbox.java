package io.mailferry.testsupport;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Literal;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.Namespaces;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * An IMAP client for tests that is independent of mailferry's own code: it seeds and inspects
 * mailboxes at the protocol level. Message bytes are appended and fetched verbatim (no MIME
 * parsing, no line-ending conversion). Flags use one string convention: system flags with a
 * backslash ("\\Seen"), keywords plain ("$Forwarded").
 */
public final class TestMailbox implements AutoCloseable {

  public record StoredMessage(
      long uid,
      String sha256,
      long size,
      Set<String> flags,
      Instant internalDate,
      String messageId) {}

  /**
   * RFC 6154 attributes (plus the Dovecot-supported draft ones) reported by {@link #specialUse()}.
   */
  private static final Set<String> SPECIAL_USE =
      Set.of(
          "\\All",
          "\\Archive",
          "\\Drafts",
          "\\Flagged",
          "\\Junk",
          "\\Sent",
          "\\Trash",
          "\\Important");

  private final IMAPStore store;

  private TestMailbox(IMAPStore store) {
    this.store = store;
  }

  public static TestMailbox connect(String host, int port, String user, String password)
      throws MessagingException {
    Properties props = new Properties();
    props.put("mail.imap.host", host);
    props.put("mail.imap.port", String.valueOf(port));
    props.put("mail.imap.peek", "true"); // never set \Seen as a side effect of reading
    props.put("mail.imap.starttls.enable", "false");
    props.put("mail.imap.connectiontimeout", "10000");
    props.put("mail.imap.timeout", "30000");
    IMAPStore store = (IMAPStore) Session.getInstance(props).getStore("imap");
    store.connect(host, port, user, password);
    return new TestMailbox(store);
  }

  /** Hierarchy separator of the personal namespace. */
  public char separator() throws MessagingException {
    Namespaces.Namespace ns = personalNamespace();
    return ns != null ? ns.delimiter : store.getDefaultFolder().getSeparator();
  }

  /** Raw personal namespace prefix including its trailing separator ("INBOX."), "" if none. */
  public String personalPrefix() throws MessagingException {
    Namespaces.Namespace ns = personalNamespace();
    return ns == null || ns.prefix == null ? "" : ns.prefix;
  }

  /**
   * CREATE with the full server-side name; Angus encodes non-ASCII names as modified UTF-7 (RFC
   * 3501 5.1.3).
   */
  public void createFolder(String fullName) throws MessagingException {
    root()
        .doCommand(
            p -> {
              p.create(fullName);
              return null;
            });
  }

  public void deleteFolder(String fullName) throws MessagingException {
    root()
        .doCommand(
            p -> {
              p.delete(fullName);
              return null;
            });
  }

  /** How many messages a folder holds (STATUS MESSAGES); 0 when it does not exist yet. */
  public int count(String fullName) throws MessagingException {
    try {
      return (Integer) root().doCommand(p -> p.status(fullName, new String[] {"MESSAGES"}).total);
    } catch (MessagingException noSuchFolder) {
      return 0;
    }
  }

  /** UIDVALIDITY of a folder, from STATUS (RFC 9051 6.3.11). */
  public long uidValidity(String fullName) throws MessagingException {
    return (Long)
        root().doCommand(p -> p.status(fullName, new String[] {"UIDVALIDITY"}).uidvalidity);
  }

  public void subscribe(String fullName) throws MessagingException {
    root()
        .doCommand(
            p -> {
              p.subscribe(fullName);
              return null;
            });
  }

  /**
   * APPENDs exactly these bytes; returns the APPENDUID uid (RFC 4315) or -1 if the server sent
   * none.
   */
  public long append(String folder, byte[] raw, Collection<String> flags, Instant internalDate)
      throws MessagingException {
    Flags imapFlags = toFlags(flags);
    Date date = internalDate == null ? null : Date.from(internalDate);
    Literal literal =
        new Literal() {
          @Override
          public int size() {
            return raw.length;
          }

          @Override
          public void writeTo(OutputStream os) throws IOException {
            os.write(raw);
          }
        };
    AppendUID uid =
        (AppendUID) root().doCommand(p -> p.appenduid(folder, imapFlags, date, literal));
    return uid == null ? -1 : uid.uid;
  }

  /** All folder full names (LIST "" "*"), decoded; includes \Noselect parents the server lists. */
  public List<String> folders() throws MessagingException {
    List<String> names = new ArrayList<>();
    for (Folder folder : store.getDefaultFolder().list("*")) {
      names.add(folder.getFullName());
    }
    return names;
  }

  public Set<String> subscribed() throws MessagingException {
    Set<String> names = new TreeSet<>();
    for (Folder folder : store.getDefaultFolder().listSubscribed("*")) {
      names.add(folder.getFullName());
    }
    return names;
  }

  /**
   * Full name to special-use attribute ("\\Sent"), from the attributes Dovecot puts on plain LIST
   * responses.
   */
  public Map<String, String> specialUse() throws MessagingException {
    Map<String, String> result = new LinkedHashMap<>();
    for (Folder folder : store.getDefaultFolder().list("*")) {
      for (String attribute : ((IMAPFolder) folder).getAttributes()) {
        if (SPECIAL_USE.contains(attribute)) {
          result.put(folder.getFullName(), attribute);
        }
      }
    }
    return result;
  }

  /**
   * Every message of a folder, ordered by UID, with a SHA-256 of the raw BODY[] bytes as served.
   * The folder is opened with EXAMINE and fetched with BODY.PEEK[], so reading never sets \Seen.
   */
  public List<StoredMessage> messages(String folderName) throws MessagingException {
    IMAPFolder folder = (IMAPFolder) store.getFolder(folderName);
    folder.open(Folder.READ_ONLY);
    try {
      int count = folder.getMessageCount();
      if (count == 0) {
        return List.of();
      }
      Response[] responses =
          (Response[])
              folder.doCommand(
                  p -> p.fetch(1, count, "UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[]"));
      List<StoredMessage> messages = new ArrayList<>();
      for (Response response : responses) {
        if (response instanceof FetchResponse fetch && fetch.getItem(BODY.class) != null) {
          messages.add(toStoredMessage(fetch));
        }
      }
      messages.sort(Comparator.comparingLong(StoredMessage::uid));
      return messages;
    } finally {
      folder.close(false);
    }
  }

  /** Adds flags (system flags and keywords) to message number {@code n} (1-based) of a folder. */
  public void setFlags(String folderName, int n, Set<String> flags) throws MessagingException {
    Folder folder = store.getFolder(folderName);
    folder.open(Folder.READ_WRITE);
    try {
      folder.getMessage(n).setFlags(jakartaFlags(flags), true);
    } finally {
      folder.close(false);
    }
  }

  private static jakarta.mail.Flags jakartaFlags(Set<String> flags) {
    jakarta.mail.Flags f = new jakarta.mail.Flags();
    for (String flag : flags) {
      switch (flag) {
        case "\\Seen" -> f.add(jakarta.mail.Flags.Flag.SEEN);
        case "\\Flagged" -> f.add(jakarta.mail.Flags.Flag.FLAGGED);
        case "\\Answered" -> f.add(jakarta.mail.Flags.Flag.ANSWERED);
        case "\\Draft" -> f.add(jakarta.mail.Flags.Flag.DRAFT);
        case "\\Deleted" -> f.add(jakarta.mail.Flags.Flag.DELETED);
        default -> f.add(flag);
      }
    }
    return f;
  }

  /** Takes flags (system flags and keywords) off message number {@code n} (1-based) of a folder. */
  public void removeFlags(String folderName, int n, Set<String> flags) throws MessagingException {
    Folder folder = store.getFolder(folderName);
    folder.open(Folder.READ_WRITE);
    try {
      folder.getMessage(n).setFlags(jakartaFlags(flags), false);
    } finally {
      folder.close(false);
    }
  }

  /** Takes \Deleted off message number {@code n} (1-based) of a folder. */
  public void undelete(String folderName, int n) throws MessagingException {
    markDeleted(folderName, n, false);
  }

  /** Deletes message number {@code n} (1-based) of a folder for good (\Deleted, then EXPUNGE). */
  public void expunge(String folderName, int n) throws MessagingException {
    markDeleted(folderName, n, true);
  }

  /** Sets or clears \Deleted; closing the folder expunges when it was set. */
  private void markDeleted(String folderName, int n, boolean deleted) throws MessagingException {
    Folder folder = store.getFolder(folderName);
    folder.open(Folder.READ_WRITE);
    try {
      folder.getMessage(n).setFlag(jakarta.mail.Flags.Flag.DELETED, deleted);
    } finally {
      folder.close(deleted);
    }
  }

  @Override
  public void close() {
    try {
      store.close();
    } catch (MessagingException e) {
      throw new IllegalStateException("closing IMAP connection failed", e);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      StringBuilder hex = new StringBuilder(64);
      for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
        hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- helpers

  private IMAPFolder root() throws MessagingException {
    return (IMAPFolder) store.getDefaultFolder();
  }

  private Namespaces.Namespace personalNamespace() throws MessagingException {
    // A server without NAMESPACE (RFC 2342), such as GreenMail, has one namespace: prefix "".
    if (!store.hasCapability("NAMESPACE")) {
      return null;
    }
    Namespaces namespaces = (Namespaces) root().doCommand(p -> p.namespace());
    return namespaces == null || namespaces.personal == null || namespaces.personal.length == 0
        ? null
        : namespaces.personal[0];
  }

  private static StoredMessage toStoredMessage(FetchResponse fetch) {
    ByteArray body = fetch.getItem(BODY.class).getByteArray();
    byte[] raw = body.getNewBytes();
    INTERNALDATE date = fetch.getItem(INTERNALDATE.class);
    RFC822SIZE size = fetch.getItem(RFC822SIZE.class);
    return new StoredMessage(
        fetch.getItem(UID.class).uid,
        sha256(raw),
        size != null ? size.size : raw.length,
        fromFlags(fetch.getItem(FLAGS.class)),
        date == null ? null : date.getDate().toInstant(),
        messageId(raw));
  }

  static Flags toFlags(Collection<String> flags) {
    Flags result = new Flags();
    if (flags == null) {
      return result;
    }
    for (String flag : flags) {
      if (!flag.startsWith("\\")) {
        result.add(flag); // keyword
        continue;
      }
      switch (flag.toLowerCase(Locale.ROOT)) {
        case "\\seen" -> result.add(Flags.Flag.SEEN);
        case "\\answered" -> result.add(Flags.Flag.ANSWERED);
        case "\\flagged" -> result.add(Flags.Flag.FLAGGED);
        case "\\draft" -> result.add(Flags.Flag.DRAFT);
        case "\\deleted" -> result.add(Flags.Flag.DELETED);
        default -> throw new IllegalArgumentException("not an appendable system flag: " + flag);
      }
    }
    return result;
  }

  /**
   * The inverse of {@link #toFlags}; \Recent is session state (RFC 3501 2.3.2), not a stored flag.
   */
  static Set<String> fromFlags(Flags flags) {
    Set<String> result = new LinkedHashSet<>();
    if (flags == null) {
      return result;
    }
    for (Flags.Flag flag : flags.getSystemFlags()) {
      if (flag == Flags.Flag.SEEN) {
        result.add("\\Seen");
      } else if (flag == Flags.Flag.ANSWERED) {
        result.add("\\Answered");
      } else if (flag == Flags.Flag.FLAGGED) {
        result.add("\\Flagged");
      } else if (flag == Flags.Flag.DRAFT) {
        result.add("\\Draft");
      } else if (flag == Flags.Flag.DELETED) {
        result.add("\\Deleted");
      }
    }
    result.addAll(List.of(flags.getUserFlags()));
    return result;
  }

  /**
   * First Message-ID header (unfolded, trimmed, with angle brackets) or null. Headers are 8-bit
   * tolerant.
   */
  static String messageId(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    String current = null;
    for (String line : text.split("\r?\n", -1)) {
      if (line.isEmpty()) {
        break; // end of header
      }
      if (line.startsWith(" ") || line.startsWith("\t")) {
        if (current != null) {
          current += line; // RFC 5322 2.2.3 folding
        }
        continue;
      }
      if (current != null) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Message-ID")) {
        current = line.substring(colon + 1);
      }
    }
    return current == null ? null : current.trim();
  }
}
