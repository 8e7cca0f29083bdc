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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted IMAP server, for destination behaviour no real server shows on demand: PERMANENTFLAGS
 * that allow only the flags it is given (no \*), capabilities such as APPENDLIMIT, a folder listed
 * \Noselect that CREATE cannot change (Courier), a CREATE refused with given words, a quota refused
 * in a server's own words, a message stored altered (Cyrus's munge8bit) or refused (bare LF). It
 * records every APPEND: the folder, the flag list and the literal's exact bytes, and serves what it
 * stored back (UID FETCH). Enough IMAP for mailferry's sink, no more. Starts with an empty INBOX.
 */
public final class ScriptedImapDestination implements AutoCloseable {

  /**
   * What an APPEND carried: the bytes as sent (what is stored may differ, see {@link #storeAs}),
   * and its date-time as sent, or null when it had none.
   */
  public record Appended(String folder, String flags, byte[] raw, String internalDate) {}

  private record Stored(long uid, String flags, String internalDate, byte[] bytes) {}

  private static final class Mailbox {
    boolean noselect;
    final List<Stored> messages = new ArrayList<>();
  }

  private static final Pattern APPEND =
      Pattern.compile(
          "(?i)^APPEND (\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)(?: \\(([^)]*)\\))?(?: \"([^\"]+)\")? \\{(\\d+)(\\+?)}$");
  private static final Pattern MESSAGE_ID =
      Pattern.compile("(?im)^Message-ID:[ \\t]*(<[^>\\r\\n]*>)");
  private static final Pattern PARTIAL = Pattern.compile("BODY\\.PEEK\\[]<(\\d+)\\.(\\d+)>");

  private final ServerSocket listener;
  private final String permanentFlags;
  private final String capabilities;
  private final List<Appended> appended = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger readBacks =
      new java.util.concurrent.atomic.AtomicInteger();
  private final Map<String, Mailbox> mailboxes = new LinkedHashMap<>();
  private final Map<String, String> refusedCreates = new LinkedHashMap<>();
  private volatile int quotaMessages = Integer.MAX_VALUE;
  private volatile String quotaWords;
  private volatile UnaryOperator<byte[]> storeAs = UnaryOperator.identity();
  private volatile Predicate<byte[]> refuse = raw -> false;
  private volatile String refusalWords;

  public ScriptedImapDestination(String permanentFlags) throws IOException {
    this(permanentFlags, "");
  }

  /**
   * @param extraCapabilities advertised besides IMAP4rev1 LITERAL+ UIDPLUS, e.g. "APPENDLIMIT=5000"
   */
  public ScriptedImapDestination(String permanentFlags, String extraCapabilities)
      throws IOException {
    this.permanentFlags = permanentFlags;
    this.capabilities = ("IMAP4rev1 LITERAL+ UIDPLUS " + extraCapabilities).strip();
    mailboxes.put("INBOX", new Mailbox());
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    SessionThreads.acceptEach(listener, "scripted-imap", this::serve);
  }

  public int port() {
    return listener.getLocalPort();
  }

  public List<Appended> appended() {
    return List.copyOf(appended);
  }

  /** The bytes the folder holds now, in UID order (what it serves back). */
  public synchronized List<byte[]> stored(String folder) {
    Mailbox box = mailboxes.get(folder);
    return box == null ? List.of() : box.messages.stream().map(Stored::bytes).toList();
  }

  /**
   * How many messages were read back whole (UID FETCH BODY.PEEK[]&lt;0.n&gt;), not counting
   * listings.
   */
  public int readBacks() {
    return readBacks.get();
  }

  public synchronized List<String> folders() {
    return List.copyOf(mailboxes.keySet());
  }

  /**
   * Lists {@code name} \Noselect (as Courier lists a parent of a folder it has); CREATE cannot
   * change it.
   */
  public synchronized ScriptedImapDestination noselect(String name) {
    mailboxes.computeIfAbsent(name, n -> new Mailbox()).noselect = true;
    return this;
  }

  /** CREATE {@code name} is answered {@code NO words}. */
  public synchronized ScriptedImapDestination refuseCreate(String name, String words) {
    refusedCreates.put(name, words);
    return this;
  }

  /** Once the account holds {@code messages} messages, an APPEND is answered {@code NO words}. */
  public ScriptedImapDestination quota(int messages, String words) {
    this.quotaWords = words;
    this.quotaMessages = messages;
    return this;
  }

  /** The admin raised the quota: every APPEND is taken from now on. */
  public ScriptedImapDestination raiseQuota() {
    this.quotaMessages = Integer.MAX_VALUE;
    return this;
  }

  /**
   * Stores each message as {@code alter} rewrites it (and serves that back), as Cyrus's munge8bit
   * does.
   */
  public ScriptedImapDestination storeAs(UnaryOperator<byte[]> alter) {
    this.storeAs = alter;
    return this;
  }

  /** Answers {@code NO words} to an APPEND whose bytes match, as Cyrus refuses bare-LF messages. */
  public ScriptedImapDestination refuse(Predicate<byte[]> which, String words) {
    this.refusalWords = words;
    this.refuse = which;
    return this;
  }

  /** Cyrus's munge8bit: every byte of the header section above 0x7F becomes 'X'. */
  public static byte[] munge8bitHeader(byte[] raw) {
    byte[] out = raw.clone();
    for (int i = 0; i < out.length; i++) {
      if (i >= 3
          && out[i - 3] == '\r'
          && out[i - 2] == '\n'
          && out[i - 1] == '\r'
          && out[i] == '\n') {
        break;
      }
      if ((out[i] & 0xff) >= 0x80) {
        out[i] = 'X';
      }
    }
    return out;
  }

  /** A bare LF anywhere. */
  public static boolean hasBareLf(byte[] raw) {
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
        return true;
      }
    }
    return false;
  }

  private void serve(Socket socket) {
    try (socket;
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream()) {
      send(out, "* OK [CAPABILITY " + capabilities + "] scripted server ready");
      String selected = null;
      String line;
      while ((line = readLine(in)) != null) {
        int space = line.indexOf(' ');
        if (space < 0) {
          continue;
        }
        String tag = line.substring(0, space);
        String command = line.substring(space + 1);
        String[] words = command.split(" ", 2);
        String verb = words[0].toUpperCase();
        String rest = words.length > 1 ? words[1] : "";
        switch (verb) {
          case "CAPABILITY" -> send(out, "* CAPABILITY " + capabilities, tag + " OK done");
          case "LIST", "LSUB" -> list(tag, verb, rest, out);
          case "CREATE" -> create(tag, unquote(rest), out);
          case "SELECT", "EXAMINE" -> selected = select(tag, unquote(rest), out);
          case "STATUS" -> status(tag, rest, out);
          case "APPEND" -> append(tag, command, in, out);
          case "UID" -> {
            if (rest.toUpperCase().startsWith("FETCH ")) {
              fetch(tag, selected, rest.substring("FETCH ".length()), out);
            } else {
              send(out, tag + " OK done");
            }
          }
          case "LOGOUT" -> {
            send(out, "* BYE bye", tag + " OK done");
            return;
          }
          default -> send(out, tag + " OK done");
        }
      }
    } catch (IOException ignored) {
      // the client went away
    }
  }

  private void list(String tag, String verb, String args, OutputStream out) throws IOException {
    String pattern = unquote(args.substring(args.indexOf(' ') + 1).strip());
    List<String> lines = new ArrayList<>();
    if (pattern.isEmpty()) {
      lines.add("* LIST (\\Noselect) \"/\" \"\"");
    } else {
      String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("%", "\\E[^/]*\\Q");
      synchronized (this) {
        mailboxes.forEach(
            (name, box) -> {
              if (name.matches(regex)) {
                lines.add(
                    "* "
                        + verb
                        + " ("
                        + (box.noselect ? "\\Noselect" : "")
                        + ") \"/\" "
                        + quote(name));
              }
            });
      }
    }
    lines.add(tag + " OK done");
    send(out, lines.toArray(String[]::new));
  }

  private void create(String tag, String name, OutputStream out) throws IOException {
    synchronized (this) {
      String refusal = refusedCreates.get(name);
      if (refusal == null && mailboxes.containsKey(name)) {
        refusal =
            "[ALREADYEXISTS] Mailbox exists"; // a \Noselect one too: it stays \Noselect (Courier)
      }
      if (refusal != null) {
        send(out, tag + " NO " + refusal);
        return;
      }
      mailboxes.put(name, new Mailbox());
    }
    send(out, tag + " OK created");
  }

  private String select(String tag, String name, OutputStream out) throws IOException {
    int count;
    synchronized (this) {
      Mailbox box = mailboxes.get(name);
      if (box == null || box.noselect) {
        send(out, tag + " NO [NONEXISTENT] no such mailbox");
        return null;
      }
      count = box.messages.size();
    }
    send(
        out,
        "* FLAGS (" + permanentFlags + ")",
        "* OK [PERMANENTFLAGS (" + permanentFlags + ")] limited",
        "* " + count + " EXISTS",
        "* 0 RECENT",
        "* OK [UIDVALIDITY 7] ok",
        "* OK [UIDNEXT " + (count + 1) + "] ok",
        tag + " OK [READ-WRITE] selected");
    return name;
  }

  private void status(String tag, String args, OutputStream out) throws IOException {
    String name =
        args.startsWith("\"")
            ? unquote(args.substring(0, args.indexOf('"', 1) + 1))
            : args.substring(0, args.indexOf(' '));
    int count;
    synchronized (this) {
      Mailbox box = mailboxes.get(name);
      if (box == null || box.noselect) {
        send(out, tag + " NO [NONEXISTENT] no such mailbox");
        return;
      }
      count = box.messages.size();
    }
    send(
        out,
        "* STATUS "
            + quote(name)
            + " (MESSAGES "
            + count
            + " UIDNEXT "
            + (count + 1)
            + " UIDVALIDITY 7)",
        tag + " OK done");
  }

  private void append(String tag, String command, InputStream in, OutputStream out)
      throws IOException {
    Matcher m = APPEND.matcher(command);
    if (!m.find()) {
      send(out, tag + " BAD cannot parse APPEND");
      return;
    }
    int size = Integer.parseInt(m.group(4));
    if (m.group(5).isEmpty()) {
      send(out, "+ go ahead");
    }
    byte[] raw = in.readNBytes(size);
    readLine(in); // the CRLF that ends the command
    String folder = unquote(m.group(1));
    String flags = m.group(2) == null ? "" : m.group(2);
    long uid;
    synchronized (this) {
      Mailbox box = mailboxes.get(folder);
      if (box == null || box.noselect) {
        send(out, tag + " NO [TRYCREATE] no such mailbox");
        return;
      }
      int held = mailboxes.values().stream().mapToInt(b -> b.messages.size()).sum();
      if (held >= quotaMessages) {
        send(out, tag + " NO " + quotaWords);
        return;
      }
      if (refuse.test(raw)) {
        send(out, tag + " NO " + refusalWords);
        return;
      }
      appended.add(new Appended(folder, flags, raw, m.group(3)));
      uid = box.messages.size() + 1;
      box.messages.add(
          new Stored(
              uid,
              flags,
              m.group(3) == null ? "01-Jan-2025 00:00:00 +0000" : m.group(3),
              storeAs.apply(raw)));
    }
    send(out, tag + " OK [APPENDUID 7 " + uid + "] stored");
  }

  /**
   * UID FETCH of a UID, a range "a:b" or "a:*": the listing's items, or
   * BODY.PEEK[]&lt;start.size&gt;.
   */
  private void fetch(String tag, String selected, String args, OutputStream out)
      throws IOException {
    String set = args.substring(0, args.indexOf(' '));
    String items = args.substring(set.length() + 1).toUpperCase();
    List<Stored> messages;
    synchronized (this) {
      Mailbox box = selected == null ? null : mailboxes.get(selected);
      messages = box == null ? List.of() : List.copyOf(box.messages);
    }
    long first;
    long last;
    int colon = set.indexOf(':');
    first = Long.parseLong(colon < 0 ? set : set.substring(0, colon));
    last =
        colon < 0
            ? first
            : set.endsWith("*") ? Long.MAX_VALUE : Long.parseLong(set.substring(colon + 1));
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    for (int i = 0; i < messages.size(); i++) {
      Stored s = messages.get(i);
      if (s.uid() < first || s.uid() > last) {
        continue;
      }
      StringBuilder head = new StringBuilder("* " + (i + 1) + " FETCH (UID " + s.uid());
      byte[] literal = null;
      Matcher partial = PARTIAL.matcher(items);
      if (partial.find()) {
        if (partial.group(1).equals("0")) {
          readBacks.incrementAndGet();
        }
        int start = (int) Math.min(Long.parseLong(partial.group(1)), s.bytes().length);
        int end = (int) Math.min((long) start + Long.parseLong(partial.group(2)), s.bytes().length);
        literal = Arrays.copyOfRange(s.bytes(), start, end);
        head.append(" BODY[]<").append(start).append("> {").append(literal.length).append("}\r\n");
      } else {
        head.append(" FLAGS (")
            .append(s.flags())
            .append(") RFC822.SIZE ")
            .append(s.bytes().length)
            .append(" INTERNALDATE \"")
            .append(s.internalDate())
            .append('"');
        if (items.contains("MESSAGE-ID")) {
          Matcher id = MESSAGE_ID.matcher(new String(s.bytes(), StandardCharsets.ISO_8859_1));
          literal =
              (id.find() ? "Message-ID: " + id.group(1) + "\r\n\r\n" : "\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1);
          head.append(" BODY[HEADER.FIELDS (MESSAGE-ID)] {").append(literal.length).append("}\r\n");
        }
      }
      response.write(head.toString().getBytes(StandardCharsets.UTF_8));
      if (literal != null) {
        response.write(literal);
      }
      response.write(")\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    response.write((tag + " OK done\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(response.toByteArray());
    out.flush();
  }

  static String unquote(String s) {
    String t = s.strip();
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      return t.substring(1, t.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return t;
  }

  private static String quote(String name) {
    return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** One line without its CRLF (shared with ScriptedImapSource). */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  static void send(OutputStream out, String... lines) throws IOException {
    for (String l : lines) {
      out.write((l + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    out.flush();
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
