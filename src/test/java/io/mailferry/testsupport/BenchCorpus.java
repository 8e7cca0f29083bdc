package io.mailferry.testsupport;

import io.mailferry.demo.SampleMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;

/**
 * Deterministic mail for benchmarks: realistic sizes, folders, flags and dates, generated lazily so
 * even 20,000 messages never sit in memory together.
 *
 * <p>Size model (tuned so 2,000 messages come to about 140 MB, ~70 KB average):
 *
 * <ul>
 *   <li>text bodies log-uniform 2-20 KB (many small mails, fewer long ones), CRLF lines of varied
 *       length;
 *   <li>8.5% of messages also carry a base64 attachment of 50 KB-2 MB (decoded), log-uniform;
 *   <li>with {@code largeTail}, 0.2% instead carry a 3-21 MB attachment: messages of up to 30 MB.
 * </ul>
 *
 * <p>Message {@code i} depends only on (seed, i, count), so a run is reproducible and any message
 * can be regenerated on its own when a benchmark needs to check it.
 */
public final class BenchCorpus {

  private static final double ATTACHMENT_SHARE = 0.085;
  private static final double LARGE_TAIL_SHARE = 0.002;
  private static final int KB = 1024;
  private static final int MB = 1024 * KB;

  private static final Instant FIRST = Instant.parse("2015-01-01T00:00:00Z");
  private static final Instant LAST = Instant.parse("2026-12-31T23:59:59Z");

  /**
   * Parents before children, so any prefix of it is a creatable folder list; two names are
   * non-ASCII.
   */
  private static final List<String> FOLDER_POOL =
      List.of(
          "INBOX",
          "Sent",
          "Archive",
          "Archive/2019",
          "Lists",
          "Lists/dev",
          "Archive/2020",
          "Reçus",
          "Work",
          "Work/Clients",
          "Archive/2021",
          "Lists/announce",
          "Проекты",
          "Archive/2022",
          "Drafts",
          "Work/Clients/Acme",
          "Archive/2023",
          "Lists/security",
          "Archive/2024",
          "Newsletters",
          "Archive/2025",
          "Travel");

  private static final String[] WORDS =
      ("the of and to a in is it you that he was for on are with as his they be"
              + " at one have this from or had by hot word but what some we can out other were all there when up use"
              + " your how said an each she which do their time if will way about many then them write would like so"
              + " these her long make thing see him two has look more day could go come did number sound no most people"
              + " my over know water than call first who may down side been now find release build server deploy"
              + " meeting budget report review invoice schedule migration mailbox folder message backup restore"
              + " customer project deadline quarter update patch ticket issue question answer thanks please regards"
              + " tomorrow yesterday monday friday agenda notes draft final version change request approve")
          .split(" ");

  private static final String[] FIRST_NAMES = {
    "Anna", "Ben", "Carla", "David", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kofi",
    "Lena", "Marco", "Nina", "Omar", "Paula", "Quinn", "Rosa", "Sven", "Tara"
  };
  private static final String[] LAST_NAMES = {
    "Adams",
    "Berg",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Meyer",
    "Novak",
    "Olsen",
    "Patel",
    "Rossi",
    "Silva"
  };
  private static final String[] DOMAINS = {
    "example.com", "example.org", "example.net", "mail.example", "corp.example", "lists.example.org"
  };
  private static final String[][] ATTACHMENT_TYPES = {
    {"report.pdf", "application/pdf"},
    {"photo.jpg", "image/jpeg"},
    {"archive.zip", "application/zip"},
    {"slides.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    {"data.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
  };
  private static final ZoneOffset[] ZONES = {
    ZoneOffset.UTC,
    ZoneOffset.ofHours(1),
    ZoneOffset.ofHours(2),
    ZoneOffset.ofHours(-5),
    ZoneOffset.ofHours(-8),
    ZoneOffset.ofHours(9),
    ZoneOffset.ofHoursMinutes(5, 30)
  };
  private static final DateTimeFormatter RFC5322_DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

  private BenchCorpus() {}

  /** {@code count} messages over {@code folderCount} folders, without the large tail. */
  public static Iterator<SampleMessage> generate(long seed, int count, int folderCount) {
    return generate(seed, count, folderCount, false);
  }

  /**
   * As {@link #generate(long, int, int)}; with {@code largeTail} a rare message grows up to 30 MB.
   */
  public static Iterator<SampleMessage> generate(
      long seed, int count, int folderCount, boolean largeTail) {
    return generate(seed, count, folderCount, largeTail ? Sizes.LARGE_TAIL : Sizes.REALISTIC);
  }

  /**
   * The large-message profile: every message carries an attachment, 1-30 MB in all (log-uniform).
   */
  public static Iterator<SampleMessage> generateLarge(long seed, int count, int folderCount) {
    return generate(seed, count, folderCount, Sizes.LARGE_ONLY);
  }

  private enum Sizes {
    REALISTIC,
    LARGE_TAIL,
    LARGE_ONLY
  }

  private static Iterator<SampleMessage> generate(
      long seed, int count, int folderCount, Sizes sizes) {
    if (count < 0 || folderCount < 1) {
      throw new IllegalArgumentException("count >= 0 and folderCount >= 1 required");
    }
    List<List<String>> folders = folders(folderCount);
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public SampleMessage next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return message(seed, next++, count, folders, sizes);
      }
    };
  }

  /**
   * The first {@code folderCount} folders: INBOX first, parents before children, some nested, some
   * non-ASCII.
   */
  public static List<List<String>> folders(int folderCount) {
    List<List<String>> result = new ArrayList<>(folderCount);
    for (int i = 0; i < folderCount; i++) {
      String path =
          i < FOLDER_POOL.size()
              ? FOLDER_POOL.get(i)
              : String.format("Archive/Bulk-%03d", i - FOLDER_POOL.size() + 1);
      result.add(List.of(path.split("/")));
    }
    return List.copyOf(result);
  }

  private static SampleMessage message(
      long seed, int i, int count, List<List<String>> folders, Sizes sizes) {
    long key = mix(seed + 0x9E3779B97F4A7C15L * (i + 1L));
    Random r = new Random(key);

    // A third of all mail stays in INBOX, the rest spreads evenly.
    List<String> folder =
        r.nextDouble() < 0.3 ? folders.get(0) : folders.get(r.nextInt(folders.size()));

    // Dates rise with i (as mail arrives in order), jittered within each message's slot.
    long span = LAST.getEpochSecond() - FIRST.getEpochSecond();
    Instant internalDate =
        FIRST.plusSeconds((long) (span * (i + r.nextDouble()) / Math.max(count, 1)));
    Instant sent = internalDate.minusSeconds(2 + r.nextInt(900));

    Set<String> flags = new HashSet<>();
    if (r.nextDouble() < 0.70) {
      flags.add("\\Seen");
    }
    if (r.nextDouble() < 0.05) {
      flags.add("\\Flagged");
    }
    if (r.nextDouble() < 0.03) {
      flags.add("$Forwarded");
    }
    if (r.nextDouble() < 0.02) {
      flags.add("bench_todo");
    }

    int textSize = (int) logUniform(r, 2 * KB, 20 * KB);
    double kind = r.nextDouble();
    int attachmentSize = 0;
    if (sizes == Sizes.LARGE_ONLY) {
      attachmentSize =
          (int) logUniform(r, 3 * MB / 4, 21 * MB); // with base64 and text: about 1-30 MB
    } else if (sizes == Sizes.LARGE_TAIL && kind < LARGE_TAIL_SHARE) {
      attachmentSize = (int) logUniform(r, 3 * MB, 21 * MB); // base64 brings it to at most ~30 MB
    } else if (kind < LARGE_TAIL_SHARE + ATTACHMENT_SHARE) {
      attachmentSize = (int) logUniform(r, 50 * KB, 2 * MB);
    }

    byte[] raw = render(r, seed, i, sent, internalDate, textSize, attachmentSize);
    return new SampleMessage(folder, raw, flags, internalDate);
  }

  private static byte[] render(
      Random r,
      long seed,
      int i,
      Instant sent,
      Instant received,
      int textSize,
      int attachmentSize) {
    String fromName = pick(r, FIRST_NAMES) + " " + pick(r, LAST_NAMES);
    String from = fromName.toLowerCase(Locale.ROOT).replace(' ', '.') + "@" + pick(r, DOMAINS);
    String date = RFC5322_DATE.format(sent.atOffset(pick(r, ZONES)));
    String receivedDate = RFC5322_DATE.format(received.atOffset(ZoneOffset.UTC));
    String subject = sentence(r, 3 + r.nextInt(6));

    StringBuilder h = new StringBuilder(1024);
    h.append("Return-Path: <").append(from).append(">\r\n");
    h.append("Received: from mx")
        .append(1 + r.nextInt(9))
        .append(".")
        .append(from.substring(from.indexOf('@') + 1))
        .append(" (192.0.2.")
        .append(1 + r.nextInt(254))
        .append(")\r\n")
        .append("\tby imap.bench.mailferry.example with ESMTPS id ")
        .append(Long.toHexString(r.nextLong() >>> 4))
        .append(";\r\n\t")
        .append(receivedDate)
        .append("\r\n");
    h.append("From: \"").append(fromName).append("\" <").append(from).append(">\r\n");
    h.append("To: bench@bench.mailferry.example\r\n");
    if (i > 0 && r.nextDouble() < 0.2) {
      String parent = messageId(seed, i - 1 - r.nextInt(Math.min(i, 50)));
      h.append("Subject: Re: ").append(subject).append("\r\n");
      h.append("In-Reply-To: ").append(parent).append("\r\n");
      h.append("References: ").append(parent).append("\r\n");
    } else {
      h.append("Subject: ").append(subject).append("\r\n");
    }
    h.append("Date: ").append(date).append("\r\n");
    h.append("Message-ID: ").append(messageId(seed, i)).append("\r\n");
    h.append("MIME-Version: 1.0\r\n");

    String text = text(r, textSize, fromName);
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(textSize + attachmentSize * 14 / 10 + 2048);
    if (attachmentSize == 0) {
      h.append("Content-Type: text/plain; charset=US-ASCII\r\n");
      h.append("Content-Transfer-Encoding: 7bit\r\n\r\n");
      write(out, h);
      write(out, text);
      return out.toByteArray();
    }

    String boundary = "----=_Part_" + i + "_" + Long.toHexString(r.nextLong() >>> 8);
    String[] type = pick(r, ATTACHMENT_TYPES);
    h.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\r\n\r\n");
    h.append("This is a multi-part message in MIME format.\r\n\r\n");
    h.append("--").append(boundary).append("\r\n");
    h.append(
        "Content-Type: text/plain; charset=US-ASCII\r\nContent-Transfer-Encoding: 7bit\r\n\r\n");
    write(out, h);
    write(out, text);
    write(
        out,
        "\r\n--"
            + boundary
            + "\r\n"
            + "Content-Type: "
            + type[1]
            + "; name=\""
            + type[0]
            + "\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: attachment; filename=\""
            + type[0]
            + "\"\r\n\r\n");
    byte[] payload = new byte[attachmentSize]; // random bytes: incompressible, like real media
    r.nextBytes(payload);
    out.writeBytes(Base64.getMimeEncoder().encode(payload)); // 76-char lines, CRLF
    write(out, "\r\n--" + boundary + "--\r\n");
    return out.toByteArray();
  }

  /** Plain prose of about {@code size} bytes: greeting, paragraphs (some quoted), signature. */
  private static String text(Random r, int size, String fromName) {
    StringBuilder b = new StringBuilder(size + 200);
    b.append("Hi,\r\n\r\n");
    String signature = "\r\n-- \r\n" + fromName + "\r\n";
    while (b.length() + signature.length() < size) {
      String prefix = r.nextDouble() < 0.15 ? "> " : "";
      int lines = 2 + r.nextInt(7);
      for (int l = 0; l < lines; l++) {
        int width = 30 + r.nextInt(47); // ragged lines up to 76 chars + prefix
        StringBuilder line = new StringBuilder(prefix);
        while (line.length() < width) {
          line.append(line.length() == prefix.length() ? "" : " ").append(pick(r, WORDS));
        }
        b.append(line).append("\r\n");
      }
      b.append("\r\n");
    }
    return b.append(signature).toString();
  }

  private static String sentence(Random r, int words) {
    StringBuilder s = new StringBuilder();
    for (int w = 0; w < words; w++) {
      s.append(w == 0 ? "" : " ").append(pick(r, WORDS));
    }
    s.setCharAt(0, Character.toUpperCase(s.charAt(0)));
    return s.toString();
  }

  private static String messageId(long seed, int i) {
    return String.format("<%d.%016x@bench.mailferry.example>", i, mix(seed));
  }

  private static double logUniform(Random r, double min, double max) {
    return min * Math.pow(max / min, r.nextDouble());
  }

  private static <T> T pick(Random r, T[] items) {
    return items[r.nextInt(items.length)];
  }

  private static void write(ByteArrayOutputStream out, CharSequence ascii) {
    out.writeBytes(ascii.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * SplitMix64 finaliser: turns neighbouring seeds into unrelated ones (java.util.Random alone
   * would not).
   */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
