package io.mailferry.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.demo.SampleMailbox;
import io.mailferry.demo.SampleMessage;
import io.mailferry.testsupport.HardCases.HardCase;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Guards the generated corpora themselves: if these drift, every test and benchmark built on them
 * lies.
 */
class CorpusTests {

  private static final long KB = 1024;
  private static final long MB = 1024 * KB;

  // ---- BenchCorpus ----

  @Test
  void benchCorpusIsDeterministicPerSeed() {
    assertThat(digests(BenchCorpus.generate(42, 2000, 20)))
        .isEqualTo(digests(BenchCorpus.generate(42, 2000, 20)));
    assertThat(digests(BenchCorpus.generate(43, 50, 20)))
        .isNotEqualTo(digests(BenchCorpus.generate(42, 50, 20)));
  }

  @Test
  void benchCorpusHasRealisticSizesIdsFlagsAndDates() {
    List<List<String>> folders = BenchCorpus.folders(20);
    long total = 0;
    long max = 0;
    int textOnly = 0;
    Set<String> ids = new HashSet<>();
    Map<String, Integer> flagCounts = new HashMap<>();
    Instant previous = Instant.MIN;

    Iterator<SampleMessage> it = BenchCorpus.generate(42, 2000, 20);
    while (it.hasNext()) {
      SampleMessage m = it.next();
      int size = m.raw().length;
      total += size;
      max = Math.max(max, size);
      if (size <= 25 * KB) {
        textOnly++;
        assertThat(size).as("text-only message").isGreaterThanOrEqualTo((int) (2 * KB));
      } else {
        assertThat((long) size).as("message with attachment").isBetween(60 * KB, 3 * MB);
      }
      assertThat(hasBareLf(m.raw())).as("bench messages use CRLF").isFalse();
      ids.add(header(m.raw(), "Message-ID"));
      m.flags().forEach(f -> flagCounts.merge(f, 1, Integer::sum));
      assertThat(folders).contains(m.folder());
      assertThat(m.internalDate())
          .isAfterOrEqualTo(previous)
          .isBetween(Instant.parse("2015-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"));
      previous = m.internalDate();
    }

    assertThat(total).isBetween(110 * MB, 170 * MB);
    assertThat(max).isLessThan(3 * MB);
    assertThat(textOnly).as("text-only share").isBetween(1760, 1900);
    assertThat(ids).hasSize(2000).doesNotContainNull();
    assertThat(flagCounts.get("\\Seen")).isBetween(1300, 1500);
    assertThat(flagCounts.get("\\Flagged")).isBetween(60, 140);
    assertThat(flagCounts.get("$Forwarded")).isBetween(30, 90);
    assertThat(flagCounts.get("bench_todo")).isBetween(15, 65);
  }

  @Test
  void largeTailAddsRareBigMessagesUpTo30Mb() {
    long max = 0;
    Iterator<SampleMessage> it = BenchCorpus.generate(42, 2000, 20, true);
    while (it.hasNext()) {
      max = Math.max(max, it.next().raw().length);
    }
    assertThat(max).isBetween(3 * MB, 30 * MB);
  }

  @Test
  void largeProfileMessagesAreAllBetween1And30Mb() {
    Iterator<SampleMessage> it = BenchCorpus.generateLarge(42, 12, 5);
    int n = 0;
    while (it.hasNext()) {
      assertThat((long) it.next().raw().length).isBetween(MB, 30 * MB);
      n++;
    }
    assertThat(n).isEqualTo(12);
  }

  @Test
  void benchFoldersAreNestedParentsFirstAndPartlyNonAscii() {
    List<List<String>> folders = BenchCorpus.folders(30);
    assertThat(folders).hasSize(30).doesNotHaveDuplicates();
    assertThat(folders.get(0)).containsExactly("INBOX");
    assertParentsFirst(folders);
    assertThat(folders).anyMatch(f -> f.size() > 1);
    assertThat(folders).anyMatch(f -> f.stream().anyMatch(s -> !isAscii(s)));
  }

  // ---- HardCases ----

  @Test
  void hardCasesHaveUniqueNamesAndDistinctDatesExceptWhereSharedOnPurpose() {
    Map<String, HardCase> cases = hardCases();
    assertThat(cases).hasSize(HardCases.all().size());
    Set<Instant> dates = new HashSet<>();
    HardCases.all().stream()
        .filter(c -> !c.name().equals("duplicate-2") && !c.name().equals("same-key-b"))
        .forEach(c -> assertThat(dates.add(c.internalDate())).as(c.name()).isTrue());
  }

  @Test
  void duplicatesAreExactlyEqual() {
    HardCase a = hardCases().get("duplicate-1");
    HardCase b = hardCases().get("duplicate-2");
    assertThat(a.raw()).isEqualTo(b.raw());
    assertThat(a.flags()).isEqualTo(b.flags());
    assertThat(a.internalDate()).isEqualTo(b.internalDate());
  }

  @Test
  void bareLfCaseHasNoCarriageReturn() {
    byte[] raw = hardCases().get("bare-lf").raw();
    assertThat(raw).contains((byte) '\n').doesNotContain((byte) '\r');
  }

  @Test
  void longHeaderLineExceeds998Characters() {
    String text =
        new String(hardCases().get("long-header-line").raw(), StandardCharsets.ISO_8859_1);
    assertThat(text.split("\r\n"))
        .anyMatch(line -> line.startsWith("References:") && line.length() > 998);
  }

  @Test
  void sameKeyPairDiffersOnlyByContentHash() {
    HardCase a = hardCases().get("same-key-a");
    HardCase b = hardCases().get("same-key-b");
    assertThat(a.raw().length).isEqualTo(b.raw().length);
    assertThat(a.internalDate()).isEqualTo(b.internalDate());
    assertThat(header(a.raw(), "Message-ID")).isEqualTo(header(b.raw(), "Message-ID"));
    assertThat(sha256(a.raw())).isNotEqualTo(sha256(b.raw()));
  }

  @Test
  void theOtherHardCasesHaveTheirDefiningBytes() {
    Map<String, HardCase> c = hardCases();
    assertThat(header(c.get("no-message-id").raw(), "Message-ID")).isNull();
    assertThat(List.of("shared-id-1", "shared-id-2", "shared-id-3"))
        .extracting(n -> header(c.get(n).raw(), "Message-ID"))
        .containsOnly("<shared-id@hard.mailferry.example>");
    assertThat(List.of("shared-id-1", "shared-id-2", "shared-id-3"))
        .extracting(n -> c.get(n).raw().length)
        .doesNotHaveDuplicates();
    assertThat(latin1(c.get("headers-only-blank-line").raw())).endsWith("\r\n\r\n");
    assertThat(latin1(c.get("headers-only-no-blank-line").raw())).doesNotContain("\r\n\r\n");
    assertThat(latin1(c.get("broken-mime").raw()))
        .doesNotContain("\r\n--never-closed--")
        .contains("Content-Transfer-Encoding: x-bogus-encoding");
    assertThat(latin1(c.get("no-final-newline").raw())).doesNotEndWith("\n");
    assertThat(latin1(c.get("dot-and-from-lines").raw())).contains("\r\n.\r\n", "\r\nFrom ");
    assertThat(isValidUtf8(c.get("8bit-headers-utf8").raw())).isTrue();
    assertThat(isValidUtf8(c.get("8bit-headers-latin1").raw())).isFalse();
    assertThat(header(c.get("8bit-headers-latin1").raw(), "Subject")).contains("crème");
    byte[] body = c.get("8bit-body").raw();
    assertThat(body).doesNotContain((byte) 0).contains((byte) 0x80, (byte) 0xFF);
    assertThat(c.get("keywords-and-flags").flags())
        .containsExactlyInAnyOrder("$Forwarded", "$Label1", "custom_kw", "\\Flagged", "\\Answered");
    assertThat(c.get("flag-deleted").flags()).contains("\\Deleted");
    assertThat(c.get("flag-draft").flags()).contains("\\Draft");
  }

  // ---- SampleMailbox ----

  @Test
  void sampleMessagesUseOnlyDeclaredFolders() {
    List<List<String>> folders = SampleMailbox.folders();
    List<SampleMessage> messages = SampleMailbox.messages();
    assertThat(messages)
        .hasSizeBetween(20, 30)
        .allSatisfy(m -> assertThat(folders).contains(m.folder()));
    assertParentsFirst(folders);
    Set<List<String>> used =
        messages.stream().map(SampleMessage::folder).collect(Collectors.toSet());
    assertThat(used).doesNotContain(List.of("Work", "Projects", "2026"), List.of("Archive", "Old"));
  }

  @Test
  void sampleMessagesAreWellFormedAndCoverTheDemoFeatures() {
    List<SampleMessage> messages = SampleMailbox.messages();
    assertThat(messages)
        .allSatisfy(
            m -> {
              assertThat(hasBareLf(m.raw())).isFalse();
              assertThat(isAscii(headerBlock(m.raw())))
                  .as("headers are 7-bit, non-ASCII goes RFC 2047")
                  .isTrue();
              assertThat(m.internalDate())
                  .isBetween(
                      Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"));
            });
    assertThat(messages)
        .extracting(m -> header(m.raw(), "Message-ID"))
        .doesNotContainNull()
        .doesNotHaveDuplicates();
    assertThat(messages).anyMatch(m -> header(m.raw(), "Subject").startsWith("=?UTF-8?"));
    assertThat(messages)
        .anyMatch(m -> header(m.raw(), "Content-Type").startsWith("multipart/mixed"));
    assertThat(messages)
        .anyMatch(m -> m.folder().equals(List.of("Sent")) && m.flags().contains("\\Seen"));
    assertThat(messages)
        .anyMatch(m -> m.folder().equals(List.of("Drafts")) && m.flags().contains("\\Draft"));
    assertThat(messages)
        .flatExtracting(m -> List.copyOf(m.flags()))
        .contains("$Forwarded", "$Label1", "project-x");
    assertThat(digests(SampleMailbox.messages().iterator()))
        .isEqualTo(digests(messages.iterator()));
  }

  // ---- helpers ----

  private static Map<String, HardCase> hardCases() {
    return HardCases.all().stream().collect(Collectors.toMap(HardCase::name, Function.identity()));
  }

  private static List<String> digests(Iterator<SampleMessage> messages) {
    List<String> result = new ArrayList<>();
    messages.forEachRemaining(m -> result.add(sha256(m.raw())));
    return result;
  }

  private static String sha256(byte[] raw) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertParentsFirst(List<List<String>> folders) {
    for (int i = 0; i < folders.size(); i++) {
      List<String> f = folders.get(i);
      if (f.size() > 1) {
        assertThat(folders.subList(0, i))
            .as("parent of %s listed before it", f)
            .contains(f.subList(0, f.size() - 1));
      }
    }
  }

  /** The header section as Latin-1 text (one char per byte), up to the first empty line. */
  private static String headerBlock(byte[] raw) {
    String text = latin1(raw);
    int end = text.indexOf("\r\n\r\n");
    return end < 0 ? text : text.substring(0, end + 2);
  }

  /**
   * First value of a header (unfolded, so folded encoded words come back as one string), or null.
   */
  private static String header(byte[] raw, String name) {
    String unfolded = headerBlock(raw).replaceAll("\r?\n[ \t]", " ");
    for (String line : unfolded.split("\r?\n")) {
      if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return null;
  }

  private static String latin1(byte[] raw) {
    return new String(raw, StandardCharsets.ISO_8859_1);
  }

  private static boolean hasBareLf(byte[] raw) {
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAscii(String s) {
    return s.chars().allMatch(ch -> ch < 0x80);
  }

  private static boolean isValidUtf8(byte[] raw) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
