package io.mailferry.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted IMAP source with one INBOX, for listings no real server sends on demand: a test adds
 * messages (bytes, flags, INTERNALDATE as the server would write them, e.g. {@code NIL} or {@code
 * "99-Foo-2024 99:99:99 +9999"}) and may replace, per message, the raw bytes of its answer to the
 * listing FETCH or to the FETCH of its body (a literal longer than announced, a garbled line, or
 * nothing at all). Enough IMAP for mailferry's IMAP source: LOGIN, CAPABILITY, LIST, LSUB, STATUS,
 * SELECT/EXAMINE (and a folder refusing them, see {@link #refuseSelect}), FETCH and UID FETCH, UID
 * SEARCH UID. It records every command it was sent. Its answers to LIST, LSUB and NAMESPACE may be
 * replaced by raw bytes (see {@link #folderAnswers}), for folder listings no real server sends.
 */
public final class ScriptedImapSource implements AutoCloseable {

  /**
   * One message; {@code listing} and {@code body}, when set, are sent instead of the well-formed
   * answer.
   */
  public static final class Message {
    final long uid;
    final byte[] raw;
    String flags;
    String internalDate;
    String size;
    byte[] listing;
    byte[] body;
    byte[] uidOnly;

    Message(long uid, byte[] raw, String flags, String internalDate) {
      this.uid = uid;
      this.raw = raw;
      this.flags = flags;
      this.internalDate = internalDate;
      this.size = String.valueOf(raw.length);
    }

    /** What the server says for RFC822.SIZE, e.g. "-5". */
    public Message size(String size) {
      this.size = size;
      return this;
    }

    /**
     * The bytes sent instead of this message's answer to the listing FETCH ("" : no answer at all).
     */
    public Message listing(String bytes) {
      this.listing = bytes.getBytes(StandardCharsets.ISO_8859_1);
      return this;
    }

    /**
     * The bytes sent instead of this message's answer to a FETCH of its UID alone (Angus's
     * getMessageByUID).
     */
    public Message uidOnly(String bytes) {
      this.uidOnly = bytes.getBytes(StandardCharsets.ISO_8859_1);
      return this;
    }

    /** The bytes sent instead of this message's answer to a FETCH of its body. */
    public Message body(String bytes) {
      this.body = bytes.getBytes(StandardCharsets.ISO_8859_1);
      return this;
    }
  }

  private static final Pattern FETCH = Pattern.compile("(?i)^(UID )?FETCH (\\S+) \\((.*)\\)$");
  private static final Pattern PARTIAL = Pattern.compile("(?i)BODY\\.PEEK\\[\\]<(\\d+)\\.(\\d+)>");
  private static final Pattern FIELDS = Pattern.compile("(?i)HEADER\\.FIELDS \\(([^)]*)\\)");
  private static final long UIDVALIDITY = 42;

  private final ServerSocket listener;
  private final List<Message> messages = new CopyOnWriteArrayList<>();
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private final Map<Long, Message> byUid = new ConcurrentHashMap<>();
  private final Map<String, String> refusedSelect = new ConcurrentHashMap<>();

  /** When set, the words after "NO" in the answer to every LOGIN. */
  private volatile String loginRefusal;

  /** Raw untagged answers to LIST, LSUB, NAMESPACE (null: the well-formed one), set together. */
  private volatile byte[][] folderAnswers;

  public ScriptedImapSource() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    SessionThreads.acceptEach(listener, "scripted-imap-source", this::serve);
  }

  public int port() {
    return listener.getLocalPort();
  }

  public Account account() {
    return Account.imap("127.0.0.1", port(), "scripted", "pw");
  }

  /**
   * @param flags the FLAGS list's contents as sent, e.g. "\\Seen $Forwarded"
   * @param internalDate as sent, quotes included ({@code "01-Feb-2025 10:00:00 +0000"}) or NIL
   */
  public Message add(byte[] raw, String flags, String internalDate) {
    long uid = messages.isEmpty() ? 1 : messages.get(messages.size() - 1).uid + 1;
    Message m = new Message(uid, raw, flags, internalDate);
    messages.add(m);
    byUid.put(uid, m);
    return m;
  }

  public List<String> commands() {
    return List.copyOf(commands);
  }

  /**
   * Lists a second folder {@code name} beside INBOX, whose STATUS says it holds one message and
   * which answers {@code NO words} to SELECT and EXAMINE (a shared folder without the read right).
   */
  public ScriptedImapSource refuseSelect(String name, String words) {
    refusedSelect.put(name, words);
    return this;
  }

  /** Answers every LOGIN with {@code NO words} (sent as they are: control characters too). */
  public ScriptedImapSource refuseLogin(String words) {
    loginRefusal = words;
    return this;
  }

  /**
   * From the next connection on, answers every LIST (the separator query {@code LIST "" ""} too),
   * every LSUB and every NAMESPACE with these bytes as sent, then the tagged OK on a line of its
   * own; a non-null {@code namespace} also announces the NAMESPACE capability. Null for {@code
   * list} and {@code lsub} restores the well-formed answers.
   */
  public ScriptedImapSource folderAnswers(String list, String lsub, String namespace) {
    folderAnswers =
        list == null && lsub == null
            ? null
            : new byte[][] {bytes(list), bytes(lsub), bytes(namespace)};
    return this;
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Sends a raw answer, then the tagged OK alone on its line (a raw answer need not end its own).
   */
  private static void raw(OutputStream out, byte[] answer, String tag) throws IOException {
    out.write(answer);
    out.write(("\r\n" + tag + " OK done\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /**
   * The LIST or LSUB lines for the folders matching the command's pattern ('*' and '%'), then the
   * tagged OK.
   */
  private String[] listing(String verb, String command, String tag) {
    String pattern =
        ScriptedImapDestination.unquote(command.substring(command.lastIndexOf(' ') + 1));
    String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("%", "\\E[^/]*\\Q");
    List<String> lines = new ArrayList<>();
    for (String name : names()) {
      if (name.matches(regex)) {
        lines.add("* " + verb + " () \"/\" \"" + name + "\"");
      }
    }
    lines.add(tag + " OK done");
    return lines.toArray(String[]::new);
  }

  private List<String> names() {
    List<String> names = new ArrayList<>(List.of("INBOX"));
    names.addAll(refusedSelect.keySet());
    return names;
  }

  /** The mailbox a STATUS, SELECT or EXAMINE names. */
  private static String mailbox(String command) {
    String args = command.substring(command.indexOf(' ') + 1).strip();
    return ScriptedImapDestination.unquote(
        args.startsWith("\"")
            ? args.substring(0, args.indexOf('"', 1) + 1)
            : args.split(" ", 2)[0]);
  }

  private void serve(Socket socket) {
    try (socket;
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream()) {
      byte[][] scripted = folderAnswers;
      String capabilities =
          scripted != null && scripted[2] != null ? "IMAP4rev1 NAMESPACE" : "IMAP4rev1";
      send(out, "* OK [CAPABILITY " + capabilities + "] scripted source ready");
      String line;
      while ((line = readLine(in)) != null) {
        int space = line.indexOf(' ');
        if (space < 0) {
          continue;
        }
        String tag = line.substring(0, space);
        String command = line.substring(space + 1);
        commands.add(command);
        String upper = command.toUpperCase(Locale.ROOT);
        String verb = upper.split(" ", 2)[0];
        switch (verb) {
          case "CAPABILITY" -> send(out, "* CAPABILITY " + capabilities, tag + " OK done");
          case "LIST", "LSUB", "NAMESPACE" -> {
            byte[] answer =
                scripted == null
                    ? null
                    : scripted[List.of("LIST", "LSUB", "NAMESPACE").indexOf(verb)];
            if (answer != null) {
              raw(out, answer, tag);
            } else if (verb.equals("NAMESPACE")) {
              send(out, tag + " BAD not scripted");
            } else if (verb.equals("LSUB")) {
              send(out, listing("LSUB", command, tag));
            } else {
              send(
                  out,
                  command.endsWith("\"\"")
                      ? new String[] {"* LIST (\\Noselect) \"/\" \"\"", tag + " OK done"}
                      : listing("LIST", command, tag));
            }
          }
          case "STATUS" ->
              send(
                  out,
                  refusedSelect.containsKey(mailbox(command))
                      ? "* STATUS "
                          + mailbox(command)
                          + " (MESSAGES 1 UIDNEXT 2 UIDVALIDITY "
                          + UIDVALIDITY
                          + ")"
                      : "* STATUS INBOX (MESSAGES "
                          + messages.size()
                          + " UIDNEXT "
                          + uidNext()
                          + " UIDVALIDITY "
                          + UIDVALIDITY
                          + ")",
                  tag + " OK done");
          case "SELECT", "EXAMINE" ->
              send(
                  out,
                  refusedSelect.containsKey(mailbox(command))
                      ? new String[] {tag + " NO " + refusedSelect.get(mailbox(command))}
                      : new String[] {
                        "* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)",
                        "* " + messages.size() + " EXISTS",
                        "* 0 RECENT",
                        "* OK [UIDVALIDITY " + UIDVALIDITY + "] ok",
                        "* OK [UIDNEXT " + uidNext() + "] ok",
                        tag + " OK [READ-ONLY] examined"
                      });
          case "FETCH" -> fetch(tag, command, out);
          case "UID" -> {
            if (upper.startsWith("UID FETCH ")) {
              fetch(tag, command, out);
            } else if (upper.startsWith("UID SEARCH UID ")) {
              StringBuilder found = new StringBuilder("* SEARCH");
              for (Message m : select(command.substring("UID SEARCH UID ".length()).trim(), true)) {
                found.append(' ').append(m.uid);
              }
              send(out, found.toString(), tag + " OK done");
            } else {
              send(out, tag + " BAD not scripted");
            }
          }
          case "LOGOUT" -> {
            send(out, "* BYE bye", tag + " OK done");
            return;
          }
          case "LOGIN" ->
              send(out, loginRefusal == null ? tag + " OK done" : tag + " NO " + loginRefusal);
          default -> send(out, tag + " OK done");
        }
      }
    } catch (IOException ignored) {
      // the client went away
    }
  }

  private long uidNext() {
    return messages.isEmpty() ? 1 : messages.get(messages.size() - 1).uid + 1;
  }

  private void fetch(String tag, String command, OutputStream out) throws IOException {
    Matcher m = FETCH.matcher(command);
    if (!m.find()) {
      send(out, tag + " BAD cannot parse FETCH");
      return;
    }
    boolean byUid = m.group(1) != null;
    String items = m.group(3).toUpperCase(Locale.ROOT);
    for (Message msg : select(m.group(2), byUid)) {
      int number = messages.indexOf(msg) + 1;
      Matcher partial = PARTIAL.matcher(items);
      Matcher fields = FIELDS.matcher(items);
      if (partial.find()) {
        if (msg.body != null) {
          out.write(msg.body);
          continue;
        }
        int from = (int) Math.min(msg.raw.length, Long.parseLong(partial.group(1)));
        int to = (int) Math.min(msg.raw.length, from + Long.parseLong(partial.group(2)));
        literal(
            out,
            "* " + number + " FETCH (UID " + msg.uid + " BODY[]<" + from + "> ",
            slice(msg.raw, from, to));
      } else if (items.contains("BODY.PEEK[]")) {
        if (msg.body != null) {
          out.write(msg.body);
          continue;
        }
        literal(out, "* " + number + " FETCH (UID " + msg.uid + " BODY[] ", msg.raw);
      } else if (items.contains("RFC822.SIZE") && fields.find()) {
        if (msg.listing != null) {
          out.write(msg.listing);
          continue;
        }
        literal(
            out,
            "* "
                + number
                + " FETCH (UID "
                + msg.uid
                + " FLAGS ("
                + msg.flags
                + ") RFC822.SIZE "
                + msg.size
                + " INTERNALDATE "
                + msg.internalDate
                + " BODY[HEADER.FIELDS ("
                + fields.group(1)
                + ")] ",
            headerFields(msg.raw, fields.group(1)));
      } else if (fields.find()) {
        literal(
            out,
            "* "
                + number
                + " FETCH (UID "
                + msg.uid
                + " BODY[HEADER.FIELDS ("
                + fields.group(1)
                + ")] ",
            headerFields(msg.raw, fields.group(1)));
      } else if (msg.uidOnly != null && items.strip().equals("UID")) {
        out.write(msg.uidOnly);
      } else {
        StringBuilder line = new StringBuilder("* " + number + " FETCH (UID " + msg.uid);
        if (items.contains("FLAGS")) {
          line.append(" FLAGS (").append(msg.flags).append(')');
        }
        if (items.contains("RFC822.SIZE")) {
          line.append(" RFC822.SIZE ").append(msg.size);
        }
        if (items.contains("INTERNALDATE")) {
          line.append(" INTERNALDATE ").append(msg.internalDate);
        }
        send(out, line.append(')').toString());
      }
    }
    send(out, tag + " OK done");
  }

  /**
   * The messages of a sequence set (by UID or by number); "n:*" always includes the last (RFC 9051
   * 6.4.9).
   */
  private List<Message> select(String set, boolean byUid) {
    List<Message> out = new ArrayList<>();
    if (messages.isEmpty()) {
      return out;
    }
    long last = byUid ? messages.get(messages.size() - 1).uid : messages.size();
    for (String part : set.split(",")) {
      String[] range = part.split(":");
      long from = range[0].equals("*") ? last : Long.parseLong(range[0]);
      long to = range.length == 1 ? from : range[1].equals("*") ? last : Long.parseLong(range[1]);
      long lo = Math.min(from, to);
      long hi = Math.max(from, to);
      for (int i = 0; i < messages.size(); i++) {
        long key = byUid ? messages.get(i).uid : i + 1;
        if (key >= lo && key <= hi && !out.contains(messages.get(i))) {
          out.add(messages.get(i));
        }
      }
    }
    return out;
  }

  private static byte[] headerFields(byte[] raw, String names) {
    List<String> wanted = List.of(names.toLowerCase(Locale.ROOT).replace("\"", "").split(" "));
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    StringBuilder out = new StringBuilder();
    boolean keep = false;
    for (String line : (end < 0 ? text : text.substring(0, end)).split("\r\n")) {
      if (!line.startsWith(" ") && !line.startsWith("\t")) {
        int colon = line.indexOf(':');
        keep =
            colon > 0 && wanted.contains(line.substring(0, colon).trim().toLowerCase(Locale.ROOT));
      }
      if (keep) {
        out.append(line).append("\r\n");
      }
    }
    return out.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] slice(byte[] raw, int from, int to) {
    byte[] out = new byte[to - from];
    System.arraycopy(raw, from, out, 0, out.length);
    return out;
  }

  private static void literal(OutputStream out, String head, byte[] bytes) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write((head + "{" + bytes.length + "}\r\n").getBytes(StandardCharsets.ISO_8859_1));
    b.write(bytes);
    b.write(")\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.write(b.toByteArray());
  }

  private static String readLine(InputStream in) throws IOException {
    return ScriptedImapDestination.readLine(in);
  }

  private static void send(OutputStream out, String... lines) throws IOException {
    ScriptedImapDestination.send(out, lines);
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
