package io.mailferry.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IMAP source that breaks the protocol in the one way a test picks (a {@link Scenario}): enough
 * IMAP for mailferry to log in, list, select and fetch (LOGIN, LIST, LSUB, SELECT/EXAMINE, STATUS,
 * UID FETCH, FETCH of pieces), and hostile where the scenario says. One INBOX of {@code messages}
 * messages of {@code size} bytes each, served exactly unless the scenario lies.
 */
public final class HostileImapServer implements AutoCloseable {

  public enum Scenario {
    /** A body FETCH, whole or partial, announces a literal of 2,000,000,000 bytes. */
    HUGE_LITERAL,
    /** The listing's FETCH answer is one line that never ends. */
    ENDLESS_LINE,
    /** LIST never ends: folder after folder. */
    ENDLESS_LIST,
    /** The listing's FETCH never ends: message after message, far more than EXISTS said. */
    ENDLESS_FETCH_LISTING,
    /**
     * RFC822.SIZE says 10 for every UID not divisible by 3, whose bodies are {@code size} bytes;
     * every third message is honest and 2,000 bytes.
     */
    LYING_SIZE,
    /** Every partial FETCH is answered with a full piece, past the message's end, for ever. */
    ENDLESS_PARTIAL,
    /**
     * RFC822.SIZE is -1 (unreadable: the size is unknown), and partial FETCHes are answered as for
     * ENDLESS_PARTIAL.
     */
    UNKNOWN_SIZE_ENDLESS,
    /** The answer to a body FETCH comes one byte a second. */
    DRIBBLE,
    /** No STARTTLS (no scenario at all: served on every address, for a non-loopback host). */
    NO_STARTTLS
  }

  private static final Pattern PIECE =
      Pattern.compile("(?i)FETCH (\\d+) \\(BODY\\.PEEK\\[\\]<(\\d+)\\.(\\d+)>\\)");
  private static final Pattern UIDS = Pattern.compile("(?i)UID FETCH ([0-9,:*]+) ");

  private final Scenario scenario;
  private final int messages;
  private final int size;
  private final ServerSocket listener;

  public HostileImapServer(Scenario scenario, int messages, int size) throws IOException {
    this.scenario = scenario;
    this.messages = messages;
    this.size = size;
    this.listener =
        scenario == Scenario.NO_STARTTLS
            ? new ServerSocket(0, 50)
            : new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    SessionThreads.acceptEach(listener, "hostile-imap", this::serve);
  }

  public int port() {
    return listener.getLocalPort();
  }

  /**
   * The account to give mailferry: on loopback, or on a non-loopback address of this machine for
   * NO_STARTTLS.
   */
  public Account account() throws IOException {
    return Account.imap(
        scenario == Scenario.NO_STARTTLS ? nonLoopbackAddress() : "127.0.0.1",
        port(),
        "victim",
        "pw");
  }

  private static String nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      for (InetAddress a : nic.inetAddresses().toList()) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return a.getHostAddress();
        }
      }
    }
    throw new IllegalStateException("this machine has no non-loopback IPv4 address");
  }

  /** The exact bytes of message {@code uid}: a small header, then lines up to the size. */
  public byte[] message(int uid) {
    byte[] head =
        ("Message-ID: <" + uid + "@hostile.test>\r\nSubject: message " + uid + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = new byte[Math.max(trueSize(uid), head.length)];
    System.arraycopy(head, 0, bytes, 0, head.length);
    for (int i = head.length; i < bytes.length; i++) {
      bytes[i] =
          (byte)
              ((i - head.length) % 64 == 62
                  ? '\r'
                  : (i - head.length) % 64 == 63 ? '\n' : 'a' + i % 26);
    }
    return bytes;
  }

  /** Whether the listing tells the truth about this message's size. */
  public boolean honest(int uid) {
    return scenario != Scenario.LYING_SIZE || uid % 3 == 0;
  }

  private int trueSize(int uid) {
    return scenario == Scenario.LYING_SIZE && honest(uid) ? 2_000 : size;
  }

  private long announcedSize(int uid) {
    if (scenario == Scenario.UNKNOWN_SIZE_ENDLESS) {
      return -1;
    }
    return honest(uid) ? message(uid).length : 10;
  }

  private void serve(Socket socket) {
    try (socket;
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream()) {
      send(out, "* OK [CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS] hostile server ready");
      String line;
      while ((line = readLine(in)) != null) {
        int space = line.indexOf(' ');
        if (space < 0) {
          continue;
        }
        String tag = line.substring(0, space);
        String command = line.substring(space + 1);
        String verb = command.split(" ", 2)[0].toUpperCase();
        switch (verb) {
          case "CAPABILITY" ->
              send(out, "* CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS", tag + " OK done");
          case "LIST" -> list(tag, command, out);
          case "LSUB" -> send(out, "* LSUB () \"/\" INBOX", tag + " OK done");
          case "STATUS" ->
              send(
                  out,
                  "* STATUS INBOX (MESSAGES "
                      + messages
                      + " UIDNEXT "
                      + (messages + 1)
                      + " UIDVALIDITY 7 UNSEEN 0 RECENT 0)",
                  tag + " OK done");
          case "SELECT", "EXAMINE" ->
              send(
                  out,
                  "* FLAGS (\\Seen \\Flagged)",
                  "* OK [PERMANENTFLAGS ()] none",
                  "* " + messages + " EXISTS",
                  "* 0 RECENT",
                  "* OK [UIDVALIDITY 7] ok",
                  "* OK [UIDNEXT " + (messages + 1) + "] ok",
                  tag + " OK [READ-ONLY] selected");
          case "UID" -> uidFetch(tag, command, out);
          case "FETCH" -> piece(tag, command, out);
          case "LOGOUT" -> {
            send(out, "* BYE bye", tag + " OK done");
            return;
          }
          default -> send(out, tag + " OK done");
        }
      }
    } catch (IOException ignored) {
      // the client went away (or gave up on us, as it should)
    }
  }

  private void list(String tag, String command, OutputStream out) throws IOException {
    if (command.endsWith("\"\"")) {
      send(out, "* LIST (\\Noselect) \"/\" \"\"", tag + " OK done");
    } else if (scenario == Scenario.ENDLESS_LIST) {
      for (long i = 0; ; i++) {
        out.write(("* LIST () \"/\" \"folder-" + i + "\"\r\n").getBytes(StandardCharsets.US_ASCII));
      }
    } else {
      send(out, "* LIST () \"/\" INBOX", tag + " OK done");
    }
  }

  private void uidFetch(String tag, String command, OutputStream out) throws IOException {
    Matcher m = UIDS.matcher(command);
    if (!m.find()) {
      send(out, tag + " OK done");
      return;
    }
    List<Integer> uids = uids(m.group(1));
    if (command.contains("RFC822.SIZE")) {
      listing(tag, uids, out);
    } else if (command.contains("BODY.PEEK[]")) {
      bodies(tag, uids, out);
    } else {
      for (int uid : uids) {
        send(out, "* " + uid + " FETCH (UID " + uid + ")");
      }
      send(out, tag + " OK done");
    }
  }

  private void listing(String tag, List<Integer> uids, OutputStream out) throws IOException {
    if (scenario == Scenario.ENDLESS_LINE) {
      out.write("* 1 FETCH (UID 1 FLAGS (".getBytes(StandardCharsets.US_ASCII));
      byte[] flags = "\\Seen ".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
      while (true) {
        out.write(flags);
      }
    }
    if (scenario == Scenario.ENDLESS_FETCH_LISTING) {
      OutputStream buffered = new java.io.BufferedOutputStream(out, 1 << 16);
      for (long uid = 1; ; uid++) {
        buffered.write(
            ("* "
                    + uid
                    + " FETCH (UID "
                    + uid
                    + " FLAGS (\\Seen) RFC822.SIZE 100 INTERNALDATE "
                    + "\"01-Jan-2024 10:00:00 +0000\" BODY[HEADER.FIELDS (MESSAGE-ID)] {4}\r\n\r\n\r\n)\r\n")
                .getBytes(StandardCharsets.US_ASCII));
      }
    }
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    for (int uid : uids) {
      byte[] header =
          ("Message-ID: <" + uid + "@hostile.test>\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      answer.writeBytes(
          ("* "
                  + uid
                  + " FETCH (UID "
                  + uid
                  + " FLAGS (\\Seen) RFC822.SIZE "
                  + announcedSize(uid)
                  + " INTERNALDATE \"01-Jan-2024 10:00:00 +0000\" BODY[HEADER.FIELDS (MESSAGE-ID)] {"
                  + header.length
                  + "}\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      answer.writeBytes(header);
      answer.writeBytes(")\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    answer.writeBytes((tag + " OK done\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(answer.toByteArray());
    out.flush();
  }

  private void bodies(String tag, List<Integer> uids, OutputStream out) throws IOException {
    if (scenario == Scenario.HUGE_LITERAL) {
      endlessLiteral("* " + uids.get(0) + " FETCH (UID " + uids.get(0) + " BODY[]", out);
    }
    if (scenario == Scenario.DRIBBLE) {
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      for (int uid : uids) {
        writeBody(uid, answer);
      }
      answer.writeBytes((tag + " OK done\r\n").getBytes(StandardCharsets.US_ASCII));
      for (byte b : answer.toByteArray()) {
        out.write(b);
        out.flush();
        sleep(1000);
      }
      return;
    }
    // One message at a time: a batch of lying sizes may be hundreds of megabytes.
    OutputStream buffered = new java.io.BufferedOutputStream(out, 1 << 16);
    for (int uid : uids) {
      writeBody(uid, buffered);
    }
    buffered.write((tag + " OK done\r\n").getBytes(StandardCharsets.US_ASCII));
    buffered.flush();
  }

  private void writeBody(int uid, OutputStream out) throws IOException {
    byte[] body = message(uid);
    out.write(
        ("* " + uid + " FETCH (UID " + uid + " BODY[] {" + body.length + "}\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.write(")\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static void endlessLiteral(String start, OutputStream out) throws IOException {
    out.write((start + " {2000000000}\r\n").getBytes(StandardCharsets.US_ASCII));
    byte[] zeros = new byte[64 * 1024];
    while (true) {
      out.write(zeros);
    }
  }

  /** A partial FETCH (BODY.PEEK[]&lt;start.count&gt;) of a large message. */
  private void piece(String tag, String command, OutputStream out) throws IOException {
    Matcher m = PIECE.matcher(command);
    if (!m.find()) {
      send(out, tag + " OK done");
      return;
    }
    int number = Integer.parseInt(m.group(1));
    long start = Long.parseLong(m.group(2));
    int count = Integer.parseInt(m.group(3));
    if (scenario == Scenario.HUGE_LITERAL) {
      endlessLiteral("* " + number + " FETCH (BODY[]<" + start + ">", out);
    }
    byte[] body = message(number);
    byte[] slice =
        scenario == Scenario.ENDLESS_PARTIAL || scenario == Scenario.UNKNOWN_SIZE_ENDLESS
            ? filler(count)
            : Arrays.copyOfRange(
                body,
                (int) Math.min(start, body.length),
                (int) Math.min(start + count, body.length));
    out.write(
        ("* " + number + " FETCH (BODY[]<" + start + "> {" + slice.length + "}\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(slice);
    out.write((")\r\n" + tag + " OK done\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static byte[] filler(int count) {
    byte[] bytes = new byte[count];
    Arrays.fill(bytes, (byte) 'z');
    return bytes;
  }

  private List<Integer> uids(String set) {
    List<Integer> uids = new ArrayList<>();
    for (String part : set.split(",")) {
      String[] range = part.split(":");
      int from = Integer.parseInt(range[0]);
      int to =
          range.length == 1 ? from : range[1].equals("*") ? messages : Integer.parseInt(range[1]);
      for (int uid = from; uid <= Math.min(to, messages); uid++) {
        uids.add(uid);
      }
    }
    return uids;
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String readLine(InputStream in) throws IOException {
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

  private static void send(OutputStream out, String... lines) throws IOException {
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
