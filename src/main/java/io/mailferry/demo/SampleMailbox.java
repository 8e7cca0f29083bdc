package io.mailferry.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A small, friendly mailbox for {@code mailferry demo}: a handful of folders (nested, empty and
 * non-ASCII ones) and about 25 ordinary messages, so a new user sees the whole pipeline move
 * real-looking mail. Everything is fixed, so every demo run copies exactly the same bytes.
 */
public final class SampleMailbox {

  private static final List<String> INBOX = List.of("INBOX");
  private static final List<String> WORK = List.of("Work");
  private static final List<String> PROJECTS = List.of("Work", "Projects");
  private static final List<String> FAMILIA = List.of("Família");
  private static final List<String> NIHONGO = List.of("日本語");
  private static final List<String> PROEKTY = List.of("Проекты");
  private static final List<String> SENT = List.of("Sent");
  private static final List<String> DRAFTS = List.of("Drafts");
  private static final List<String> ARCHIVE = List.of("Archive");

  private static final String ME = "Alex Demo <alex@example.com>";

  private SampleMailbox() {}

  /**
   * Every folder, including the empty ones, parents before children (so they can be created in
   * order).
   */
  public static List<List<String>> folders() {
    return List.of(
        INBOX,
        WORK,
        PROJECTS,
        List.of("Work", "Projects", "2026"), // deliberately empty
        FAMILIA,
        NIHONGO,
        PROEKTY,
        SENT,
        DRAFTS,
        ARCHIVE,
        List.of("Archive", "Old")); // deliberately empty
  }

  /** The sample messages, in a fixed order. */
  public static List<SampleMessage> messages() {
    List<SampleMessage> m = new ArrayList<>();

    m.add(
        mail(INBOX, "2025-01-06T09:00:00+01:00", "welcome")
            .from("Mailferry Team <hello@mailferry.example>")
            .to(ME)
            .subject("Welcome to the mailferry demo")
            .body(
                """
                        Hi Alex,

                        this mailbox is a sample. mailferry is about to copy every message in it,
                        byte for byte, together with its flags and its original date.

                        Have a look at the folders: some are nested, some are empty and some
                        have names that are not in English. All of them should arrive intact.

                        --\s
                        The mailferry team
                        """)
            .flags("\\Seen"));

    m.add(
        mail(INBOX, "2025-03-05T11:42:00+01:00", "lunch")
            .from("Priya Raman <priya@example.org>")
            .to(ME)
            .subject("Lunch on Friday?")
            .body(
                """
                        Hey Alex,

                        are you free for lunch on Friday? The new place next to the station
                        opens at noon.

                        Priya
                        """)
            .flags("\\Seen", "\\Answered"));

    m.add(invoiceWithPdf());

    m.add(
        mail(INBOX, "2025-04-11T16:05:00+02:00", "gruesse")
            .from("Jonas Weber <jonas@example.de>")
            .to(ME)
            .subject("Grüße aus München") // goes out RFC 2047 encoded
            .body(
                """
                        Hallo Alex,

                        viele Grüße aus München! Das Wetter ist großartig, der Biergarten
                        ist geöffnet und die Brezeln sind frisch.

                        Bis bald,
                        Jonas
                        """)
            .flags("\\Flagged"));

    m.add(
        mail(INBOX, "2025-05-02T07:30:00+00:00", "digest-18")
            .from("Open Source Weekly <digest@news.example.net>")
            .to(ME)
            .subject("Open Source Weekly #18: release roundup")
            .header("List-Id", "Open Source Weekly <weekly.news.example.net>")
            .header("List-Unsubscribe", "<mailto:unsubscribe@news.example.net>")
            .body(
                """
                        This week in open source

                        * Three databases shipped major releases.
                        * A build tool finally learned incremental compilation.
                        * Lots of small fixes everywhere; thank you, contributors.

                        You receive this because you subscribed at news.example.net.
                        """)
            .flags()); // unread

    m.add(
        mail(INBOX, "2025-06-14T20:15:00+02:00", "flight")
            .from("Example Airlines <booking@airline.example>")
            .to(ME)
            .subject("Your booking ABC123 is confirmed")
            .body(
                """
                        Dear Alex Demo,

                        your flight is confirmed.

                          Booking reference: ABC123
                          Flight:            EX 4711, Lisbon -> Berlin
                          Departure:         2025-07-20 08:35

                        Have a pleasant trip.
                        """)
            .flags("\\Seen", "$Forwarded"));

    m.add(
        mail(INBOX, "2025-09-30T03:12:00+00:00", "alert-disk")
            .from("Monitoring <alerts@ops.example.com>")
            .to(ME)
            .subject("[ALERT] disk usage above 90% on mail-02")
            .body(
                """
                        Host:      mail-02
                        Check:     disk /var/mail
                        Status:    CRITICAL (91% used)
                        Since:     2025-09-30 03:10 UTC
                        """)
            .flags("\\Flagged"));

    m.add(
        mail(INBOX, "2026-01-08T10:20:00+01:00", "q4-numbers")
            .from("Chen Li <chen@example.com>")
            .to(ME)
            .subject("Re: Q4 numbers")
            .header("In-Reply-To", "<q4-numbers-request@example.com>")
            .header("References", "<q4-numbers-request@example.com>")
            .body(
                """
                        Alex,

                        the Q4 numbers are final: revenue up 4%, costs flat.

                        > Could you send the final Q4 numbers before Friday?

                        Chen
                        """)
            .flags("\\Seen"));

    m.add(
        mail(WORK, "2025-02-03T09:15:00+01:00", "planning")
            .from("Chen Li <chen@example.com>")
            .to(ME)
            .subject("Quarterly planning")
            .body(
                """
                        Hi all,

                        planning for next quarter is on Thursday, 14:00, room Ada.
                        Please bring your top three priorities.

                        Chen
                        """)
            .flags("\\Seen", "project-x"));

    m.add(
        mail(WORK, "2025-08-19T13:00:00+02:00", "offsite")
            .from("Office <office@example.com>")
            .to(ME)
            .subject("Team offsite: save the date")
            .body(
                """
                        The team offsite will be on 25-26 September at the lake house.
                        Travel details follow next week.
                        """)
            .flags("\\Seen", "\\Flagged"));

    m.add(
        mail(WORK, "2026-02-02T08:45:00+01:00", "one-on-one")
            .from("Chen Li <chen@example.com>")
            .to(ME)
            .subject("Notes from our 1:1")
            .body(
                """
                        Thanks for the chat. Notes:

                        1. Finish the migration plan.
                        2. Pair with Priya on the test corpus.
                        3. Take that week off in March.
                        """)
            .flags()); // unread

    m.add(
        mail(PROJECTS, "2025-10-01T10:00:00+02:00", "px-kickoff")
            .from("Priya Raman <priya@example.org>")
            .to(ME)
            .subject("Project X kickoff")
            .body(
                """
                        Welcome to Project X!

                        Goal: move 40 mailboxes without losing a single message.
                        Kickoff call: Monday 10:00.
                        """)
            .flags("\\Seen", "project-x", "$Label1"));

    m.add(
        mail(PROJECTS, "2025-11-12T15:30:00+01:00", "px-design")
            .from("Priya Raman <priya@example.org>")
            .to(ME)
            .subject("Project X: design review")
            .body(
                """
                        The design doc is ready for review. Main open question: how do we
                        recognise a message that was already copied? Comments welcome.
                        """)
            .flags("\\Seen", "project-x"));

    m.add(
        mail(PROJECTS, "2026-01-20T17:05:00+01:00", "px-milestone")
            .from("Chen Li <chen@example.com>")
            .to(ME)
            .subject("Project X: milestone 1 done")
            .body(
                """
                        Milestone 1 is done: all test mailboxes copied and verified.
                        """)
            .flags("project-x"));

    m.add(
        mail(FAMILIA, "2025-03-16T12:30:00+00:00", "almoco")
            .from("Mãe <mae@example.pt>")
            .to(ME)
            .subject("Almoço de domingo")
            .body(
                """
                        Olá querido,

                        o almoço de domingo é às 13h. Vou fazer bacalhau à Brás.
                        Não te esqueças do pão!

                        Beijinhos,
                        Mãe
                        """)
            .flags("\\Seen"));

    m.add(
        mail(FAMILIA, "2025-08-02T21:10:00+01:00", "fotos")
            .from("João Silva <joao@example.pt>")
            .to(ME)
            .subject("Fotos da viagem")
            .body(
                """
                        As fotos da viagem ao Algarve já estão no álbum partilhado.
                        A do pôr do sol ficou incrível.
                        """)
            .flags("\\Seen", "$Label1"));

    m.add(
        mail(FAMILIA, "2026-03-01T09:00:00+00:00", "avo")
            .from("Mãe <mae@example.pt>")
            .to(ME)
            .subject("Aniversário da avó")
            .body(
                """
                        Não te esqueças: o aniversário da avó é no sábado, dia 14.
                        """)
            .flags("\\Flagged"));

    m.add(
        mail(NIHONGO, "2025-04-21T10:00:00+09:00", "kaigi")
            .from("田中 太郎 <tanaka@example.jp>")
            .to(ME)
            .subject("会議のお知らせ")
            .body(
                """
                        アレックスさん

                        来週の月曜日、午前十時から会議があります。
                        よろしくお願いします。

                        田中
                        """)
            .flags("\\Seen"));

    m.add(
        mail(NIHONGO, "2025-12-24T18:30:00+09:00", "arigato")
            .from("佐藤 花子 <sato@example.jp>")
            .to(ME)
            .subject("ありがとうございます")
            .body(
                """
                        素敵なプレゼントをありがとうございます。
                        良いお年をお迎えください。
                        """)
            .flags()); // unread

    m.add(
        mail(PROEKTY, "2025-07-07T09:30:00+03:00", "otchet")
            .from("Иван Петров <ivan@example.ru>")
            .to(ME)
            .subject("Отчёт за квартал")
            .body(
                """
                        Алекс, добрый день!

                        Отчёт за второй квартал во вложении к следующему письму.
                        Основные цифры: рост 7%, расходы без изменений.

                        Иван
                        """)
            .flags("\\Seen"));

    m.add(
        mail(PROEKTY, "2025-10-13T11:00:00+03:00", "vstrecha")
            .from("Ольга Смирнова <olga@example.ru>")
            .to(ME)
            .subject("Встреча в понедельник")
            .body(
                """
                        Встреча переносится на понедельник, 11:00.
                        """)
            .flags("\\Seen", "$Forwarded"));

    m.add(
        mail(SENT, "2025-03-05T12:03:00+01:00", "lunch-reply")
            .from(ME)
            .to("Priya Raman <priya@example.org>")
            .subject("Re: Lunch on Friday?")
            .header("In-Reply-To", "<lunch@demo.mailferry.example>")
            .header("References", "<lunch@demo.mailferry.example>")
            .body(
                """
                        Sounds great, see you at noon!

                        > are you free for lunch on Friday?

                        Alex
                        """)
            .flags("\\Seen"));

    m.add(
        mail(SENT, "2025-06-14T20:40:00+02:00", "flight-fwd")
            .from(ME)
            .to("Sam Demo <sam@example.com>")
            .subject("Fwd: Your booking ABC123 is confirmed")
            .body(
                """
                        FYI, here are the flight details.

                        ---------- Forwarded message ----------
                        Booking reference: ABC123
                        Flight: EX 4711, Lisbon -> Berlin
                        """)
            .flags("\\Seen"));

    m.add(
        mail(DRAFTS, "2026-03-10T18:00:00+01:00", "draft-notes")
            .from(ME)
            .to("Chen Li <chen@example.com>")
            .subject("Notes for next week")
            .body(
                """
                        Chen,

                        a few things for next week (unfinished):
                        - migration dry run
                        -
                        """)
            .flags("\\Draft", "\\Seen"));

    m.add(
        mail(ARCHIVE, "2025-01-15T14:22:00+00:00", "receipt")
            .from("Example Shop <orders@shop.example>")
            .to(ME)
            .subject("Your receipt for order 10042")
            .body(
                """
                        Thank you for your order.

                          1 x USB-C cable      9.90 EUR
                          1 x Notebook         4.50 EUR
                          Total               14.40 EUR
                        """)
            .flags("\\Seen"));

    return List.copyOf(m);
  }

  /** The one multipart/mixed message: a short note plus a small PDF-looking attachment. */
  private static SampleMessage invoiceWithPdf() {
    String boundary = "=_mailferry_demo_boundary_1";
    String attachment = Base64.getMimeEncoder().encodeToString(pdfLikeBytes(3 * 1024));
    String body =
        "This is a multi-part message in MIME format.\n"
            + "\n--"
            + boundary
            + "\n"
            + "Content-Type: text/plain; charset=US-ASCII\n"
            + "Content-Transfer-Encoding: 7bit\n"
            + "\n"
            + "Hello Alex,\n\nplease find invoice 2025-031 attached.\n\nAccounts\n"
            + "\n--"
            + boundary
            + "\n"
            + "Content-Type: application/pdf; name=\"invoice-2025-031.pdf\"\n"
            + "Content-Transfer-Encoding: base64\n"
            + "Content-Disposition: attachment; filename=\"invoice-2025-031.pdf\"\n"
            + "\n"
            + attachment
            + "\n"
            + "--"
            + boundary
            + "--\n";
    return mail(INBOX, "2025-03-31T10:10:00+02:00", "invoice-2025-031")
        .from("Accounts <billing@supplier.example>")
        .to(ME)
        .subject("Invoice 2025-031")
        .contentType("multipart/mixed; boundary=\"" + boundary + "\"")
        .body(body)
        .flags("\\Seen", "$Label1");
  }

  /**
   * A few KB that start and end like a PDF, with deterministic filler in between (a fixed linear
   * congruential generator, so the bytes never change between runs).
   */
  private static byte[] pdfLikeBytes(int size) {
    byte[] head =
        "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Length 0 >>\nstream\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] tail = "\nendstream\nendobj\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[size];
    System.arraycopy(head, 0, out, 0, head.length);
    long state = 20250331L;
    for (int i = head.length; i < size - tail.length; i++) {
      state = state * 6364136223846793005L + 1442695040888963407L;
      out[i] = (byte) (state >>> 56);
    }
    System.arraycopy(tail, 0, out, size - tail.length, tail.length);
    return out;
  }

  private static Mail mail(List<String> folder, String date, String id) {
    return new Mail(folder, OffsetDateTime.parse(date), id);
  }

  /** Tiny builder so each sample above reads like the mail it produces. */
  private static final class Mail {
    private static final DateTimeFormatter RFC5322_DATE =
        DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    private final List<String> folder;
    private final OffsetDateTime date;
    private final String messageId;
    private final List<String> extraHeaders = new ArrayList<>();
    private String from;
    private String to;
    private String subject;
    private String contentType;
    private String body;

    Mail(List<String> folder, OffsetDateTime date, String id) {
      this.folder = folder;
      this.date = date;
      this.messageId = "<" + id + "@demo.mailferry.example>";
    }

    Mail from(String v) {
      from = v;
      return this;
    }

    Mail to(String v) {
      to = v;
      return this;
    }

    Mail subject(String v) {
      subject = v;
      return this;
    }

    Mail header(String name, String value) {
      extraHeaders.add(name + ": " + value);
      return this;
    }

    Mail contentType(String v) {
      contentType = v;
      return this;
    }

    Mail body(String v) {
      body = v;
      return this;
    }

    SampleMessage flags(String... flags) {
      // Delivered a little after it was written, as on a real server.
      Instant internalDate = date.toInstant().plusSeconds(37);
      return new SampleMessage(folder, raw(), Set.of(flags), internalDate);
    }

    private byte[] raw() {
      boolean ascii = isAscii(body);
      StringBuilder h = new StringBuilder();
      h.append("From: ").append(address(from)).append('\n');
      h.append("To: ").append(address(to)).append('\n');
      h.append("Subject: ").append(headerText(subject)).append('\n');
      h.append("Date: ").append(RFC5322_DATE.format(date)).append('\n');
      h.append("Message-ID: ").append(messageId).append('\n');
      for (String extra : extraHeaders) {
        h.append(extra).append('\n');
      }
      h.append("MIME-Version: 1.0\n");
      if (contentType != null) {
        h.append("Content-Type: ").append(contentType).append('\n');
      } else if (ascii) {
        h.append("Content-Type: text/plain; charset=US-ASCII\n");
        h.append("Content-Transfer-Encoding: 7bit\n");
      } else {
        // Plain 8-bit UTF-8 keeps the demo readable when someone opens the raw source.
        h.append("Content-Type: text/plain; charset=UTF-8\n");
        h.append("Content-Transfer-Encoding: 8bit\n");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(crlf(h.toString()).getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(new byte[] {'\r', '\n'});
      out.writeBytes(crlf(body).getBytes(StandardCharsets.UTF_8));
      return out.toByteArray();
    }

    /** "Display Name <addr>" with a non-ASCII display name turned into an encoded word. */
    private static String address(String mailbox) {
      int lt = mailbox.indexOf('<');
      if (isAscii(mailbox) || lt <= 0) {
        return mailbox;
      }
      return encodedWords(mailbox.substring(0, lt).trim()) + " " + mailbox.substring(lt);
    }

    private static String headerText(String text) {
      return isAscii(text) ? text : encodedWords(text);
    }

    /**
     * RFC 2047 "B" encoding, split so no encoded word exceeds 75 characters and no UTF-8 sequence
     * is cut in half; the words are folded onto continuation lines.
     */
    private static String encodedWords(String text) {
      List<String> words = new ArrayList<>();
      int start = 0;
      while (start < text.length()) {
        int end = start;
        int bytes = 0;
        while (end < text.length()) {
          int cp = text.codePointAt(end);
          int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
          if (bytes + len > 45) { // 45 bytes -> 60 base64 chars + 12 for =?UTF-8?B??=
            break;
          }
          bytes += len;
          end += Character.charCount(cp);
        }
        byte[] chunk = text.substring(start, end).getBytes(StandardCharsets.UTF_8);
        words.add("=?UTF-8?B?" + Base64.getEncoder().encodeToString(chunk) + "?=");
        start = end;
      }
      return String.join("\n ", words);
    }

    private static boolean isAscii(String s) {
      return s.chars().allMatch(c -> c < 0x80);
    }

    private static String crlf(String s) {
      return s.replace("\r\n", "\n").replace("\n", "\r\n");
    }
  }
}
