package io.mailferry.testsupport;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A POP3 server on loopback whose behaviour a test chooses: with or without UIDL, refusing the
 * first logins with "[IN-USE]", serving exactly the bytes it was given (dot-stuffed, and with the
 * CRLF that RFC 1939 requires before the final "." added only when a message lacks one). Deletions
 * take effect at QUIT, as in RFC 1939. A test may give a message a UIDL that an earlier one had, or
 * replace the answer to a command with one that breaks the protocol (endless lines, a RETR longer
 * than LIST said). Plaintext only: mailferry allows that on loopback.
 */
public final class ScriptedPop3Server implements AutoCloseable {

  private final ServerSocket listener;
  private final String password;
  private final boolean uidl;
  private final List<byte[]> messages = new CopyOnWriteArrayList<>();

  /** Each added message's unique id, by identity: equal bytes are still two messages. */
  private final Map<byte[], String> uids = new java.util.IdentityHashMap<>();

  private final AtomicInteger nextUid = new AtomicInteger();
  private final AtomicInteger refuseLogins = new AtomicInteger();
  private final AtomicInteger logins = new AtomicInteger();
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private final Map<String, Answer> answers = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<Integer, Long> longer = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, String> refusals = new java.util.concurrent.ConcurrentHashMap<>();

  public ScriptedPop3Server(String password, boolean uidl) throws IOException {
    this.password = password;
    this.uidl = uidl;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "scripted-pop3");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  public synchronized void add(byte[] raw) {
    add(raw, "uid-" + nextUid.incrementAndGet());
  }

  /**
   * Adds a message with this UIDL, which may be one an earlier message had: servers that number
   * their UIDLs afresh (or from a counter kept in the mailbox) reuse them once a message is gone.
   */
  public synchronized void add(byte[] raw, String uidl) {
    byte[] copy = raw.clone();
    uids.put(copy, uidl);
    messages.add(copy);
  }

  /** The bytes of each message the server holds now, in order. */
  public List<byte[]> messages() {
    return messages.stream().map(byte[]::clone).toList();
  }

  /**
   * From now on the server answers {@code verb} (in a logged-in session) with whatever {@code
   * answer} writes, instead of the protocol's answer: a broken or hostile server.
   */
  public void answer(String verb, Answer answer) {
    answers.put(verb.toUpperCase(java.util.Locale.ROOT), answer);
  }

  /**
   * What a misbehaving server writes for one command; it may write forever (until the client hangs
   * up).
   */
  @FunctionalInterface
  public interface Answer {
    void write(String[] words, OutputStream out) throws IOException;
  }

  /**
   * RETR of message {@code number} (of each session) sends {@code extraBytes} more than LIST says,
   * as filler lines before the final "."; {@code Long.MAX_VALUE}: a message without end.
   */
  public void serveLonger(int number, long extraBytes) {
    longer.put(number, extraBytes);
  }

  /**
   * From now on {@code verb} ("RETR" or "TOP") of message {@code number} (0: of every message) is
   * answered with the status line {@code status} ("-ERR ..."), in every session.
   */
  public void refuse(String verb, int number, String status) {
    refusals.put(verb.toUpperCase(java.util.Locale.ROOT) + " " + number, status);
  }

  /** An answer that starts with {@code head} and then repeats {@code repeated} for ever. */
  public static Answer endless(String head, String repeated) {
    return (words, out) -> {
      out.write(head.getBytes(StandardCharsets.UTF_8));
      byte[] piece =
          repeated.repeat(Math.max(1, 8192 / repeated.length())).getBytes(StandardCharsets.UTF_8);
      while (true) {
        out.write(piece); // ends with an IOException when the client hangs up
      }
    };
  }

  public int count() {
    return messages.size();
  }

  /**
   * The next {@code n} logins are refused with "-ERR [IN-USE]", as when another client holds the
   * lock.
   */
  public void refuseNextLogins(int n) {
    refuseLogins.set(n);
  }

  public int logins() {
    return logins.get();
  }

  /** Every command received, the password masked. */
  public List<String> commands() {
    return List.copyOf(commands);
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try (Socket s = listener.accept()) {
        serve(s); // one session at a time, like a server that locks the maildrop
      } catch (IOException e) {
        // a client that hung up; wait for the next
      }
    }
  }

  private void serve(Socket s) throws IOException {
    var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    OutputStream out = s.getOutputStream();
    write(out, "+OK scripted POP3 ready\r\n");
    List<byte[]> snapshot = new ArrayList<>(messages);
    Set<Integer> deleted = new TreeSet<>();
    boolean authenticated = false;
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.split(" ");
      String verb = words[0].toUpperCase();
      commands.add(verb.equals("PASS") ? "PASS ***" : line);
      switch (verb) {
        case "CAPA" -> write(out, "+OK\r\nUSER\r\nTOP\r\n" + (uidl ? "UIDL\r\n" : "") + ".\r\n");
        case "USER" -> write(out, "+OK\r\n");
        case "PASS" -> {
          logins.incrementAndGet();
          if (refuseLogins.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            write(out, "-ERR [IN-USE] Mailbox is locked by another session\r\n");
          } else if (words.length > 1 && line.substring(5).equals(password)) {
            authenticated = true;
            write(out, "+OK logged in\r\n");
          } else {
            write(out, "-ERR [AUTH] Authentication failed\r\n");
          }
        }
        case "QUIT" -> {
          if (authenticated) {
            List<byte[]> keep = new ArrayList<>();
            for (int i = 0; i < snapshot.size(); i++) {
              if (!deleted.contains(i + 1)) {
                keep.add(snapshot.get(i));
              }
            }
            messages.removeAll(snapshot);
            messages.addAll(0, keep);
          }
          write(out, "+OK bye\r\n");
          return;
        }
        default -> {
          if (!authenticated) {
            write(out, "-ERR log in first\r\n");
          } else {
            transaction(out, verb, words, snapshot, deleted);
          }
        }
      }
    }
  }

  private void transaction(
      OutputStream out, String verb, String[] words, List<byte[]> snapshot, Set<Integer> deleted)
      throws IOException {
    Answer scripted = answers.get(verb);
    if (scripted != null) {
      scripted.write(words, out);
      out.flush();
      return;
    }
    switch (verb) {
      case "STAT" -> write(out, "+OK " + snapshot.size() + " 0\r\n");
      case "LIST" -> {
        StringBuilder b = new StringBuilder("+OK\r\n");
        for (int i = 0; i < snapshot.size(); i++) {
          if (!deleted.contains(i + 1)) {
            b.append(i + 1).append(' ').append(snapshot.get(i).length).append("\r\n");
          }
        }
        write(out, b.append(".\r\n").toString());
      }
      case "UIDL" -> {
        if (!uidl) {
          write(out, "-ERR unknown command\r\n");
          return;
        }
        StringBuilder b = new StringBuilder("+OK\r\n");
        for (int i = 0; i < snapshot.size(); i++) {
          if (!deleted.contains(i + 1)) {
            b.append(i + 1).append(' ').append(uidOf(snapshot.get(i))).append("\r\n");
          }
        }
        write(out, b.append(".\r\n").toString());
      }
      case "RETR", "TOP" -> {
        int n = Integer.parseInt(words[1]);
        if (n < 1 || n > snapshot.size() || deleted.contains(n)) {
          write(out, "-ERR no such message\r\n");
          return;
        }
        String refusal = refusals.getOrDefault(verb + " " + n, refusals.get(verb + " 0"));
        if (refusal != null) {
          write(out, refusal + "\r\n");
          return;
        }
        byte[] raw = snapshot.get(n - 1);
        out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] answer = stuffed(verb.equals("TOP") ? header(raw) : raw);
        Long extra = verb.equals("RETR") ? longer.get(n) : null;
        if (extra == null) {
          out.write(answer);
        } else {
          out.write(answer, 0, answer.length - 3); // without its final ".\r\n"
          writeFiller(out, extra);
          out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
      }
      case "DELE" -> {
        deleted.add(Integer.parseInt(words[1]));
        write(out, "+OK marked\r\n");
      }
      case "NOOP", "RSET" -> write(out, "+OK\r\n");
      default -> write(out, "-ERR unknown command\r\n");
    }
  }

  private static void writeFiller(OutputStream out, long bytes) throws IOException {
    byte[] line = ("x".repeat(76) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] block = new byte[line.length * 800];
    for (int i = 0; i < 800; i++) {
      System.arraycopy(line, 0, block, i * line.length, line.length);
    }
    for (long left = bytes; left > 0; left -= block.length) {
      long want = Math.min(left, block.length);
      out.write(
          block,
          0,
          (int) ((want + line.length - 1) / line.length * line.length)); // whole lines only
    }
  }

  private synchronized String uidOf(byte[] message) {
    return uids.get(message);
  }

  /** The header section and the blank line after it (all of a message without a body). */
  private static byte[] header(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    int lfEnd = text.indexOf("\n\n");
    int cut = end >= 0 ? end + 4 : lfEnd >= 0 ? lfEnd + 2 : raw.length;
    return java.util.Arrays.copyOf(raw, cut);
  }

  /**
   * Dot-stuffs lines that start with '.', adds CRLF if the message does not end a line, then ".".
   */
  public static byte[] stuffed(byte[] raw) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(raw.length + 16);
    boolean lineStart = true;
    for (byte c : raw) {
      if (lineStart && c == '.') {
        b.write('.');
      }
      b.write(c);
      lineStart = c == '\n';
    }
    if (!lineStart) {
      b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    b.writeBytes(".\r\n".getBytes(StandardCharsets.US_ASCII));
    return b.toByteArray();
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
