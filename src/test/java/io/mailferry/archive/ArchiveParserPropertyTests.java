package io.mailferry.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * An archive may come from someone else (issue 17.6): whatever its file names, manifest lines and
 * dovecot-keywords hold, the readers give a result, with problem lines, never an exception.
 */
class ArchiveParserPropertyTests {

  private static Path dir;

  @BeforeContainer
  static void folder() throws IOException {
    dir = Files.createTempDirectory("archive-parser-property");
  }

  @AfterContainer
  static void remove() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  @Property(tries = 1000)
  void any_maildir_file_name_gives_a_base_and_flags(
      @ForAll("fileNames") String name, @ForAll("keywordFiles") byte[] keywords)
      throws IOException {
    Files.write(dir.resolve("dovecot-keywords"), keywords);
    KeywordTable table = KeywordTable.load(dir);

    assertThat(MaildirNames.baseOf(name)).isNotNull();
    assertThat(MaildirNames.flagsOf(name, table)).isNotNull();
  }

  @Property(tries = 1000)
  void any_manifest_gives_its_records_and_names_the_lines_it_ignored(
      @ForAll("manifests") byte[] manifest) throws IOException {
    Path file = dir.resolve("mailferry-manifest.jsonl");
    Files.write(file, manifest);

    Manifest.Loaded loaded = Manifest.load(file);

    assertThat(loaded.records()).isNotNull();
    loaded.records().values().forEach(r -> assertThat(r.folder()).isNotBlank());
  }

  @Provide
  Arbitrary<String> fileNames() {
    Arbitrary<String> parts =
        Arbitraries.of(
            "1740823200.M1U5.mailferry",
            ",S=",
            "22",
            "-5",
            "99999999999999999999",
            ":2,",
            ":1,",
            "S",
            "a",
            "z",
            "F",
            "T",
            ",W=",
            ":",
            ",",
            "%",
            "\u0000",
            "日本");
    return Arbitraries.oneOf(
        parts.list().ofMaxSize(8).map(l -> String.join("", l)),
        Arbitraries.strings().ofMaxLength(40));
  }

  @Provide
  Arbitrary<byte[]> keywordFiles() {
    Arbitrary<String> lines =
        Arbitraries.of(
            "0 $Junk",
            "25 work",
            "26 over",
            "2000000000 big",
            "-1 neg",
            "x y",
            "",
            "1",
            "3 a b",
            "99999999999999999999 huge");
    return Arbitraries.oneOf(
        lines.list().ofMaxSize(6).map(l -> String.join("\n", l).getBytes(StandardCharsets.UTF_8)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
  }

  @Provide
  Arbitrary<byte[]> manifests() {
    Arbitrary<String> lines =
        Arbitraries.of(
            "{\"folder\":\"INBOX\",\"base\":\"1.M1U1.mailferry\",\"sha256\":\""
                + "0".repeat(64)
                + "\",\"size\":3}",
            "{\"folder\":null,\"base\":\"x\"}",
            "{\"folder\":\"\"}",
            "{\"folder\":5,\"base\":[]}",
            "{",
            "null",
            "[]",
            "{\"folder\":\"a\",\"base\":\"b\",\"sha256\":\"zz\"}",
            "{\"folder\":\"a\",\"base\":\"b\",\"size\":-1}",
            "{\"folder\":\"a\",\"base\":\"b\",\"internalDate\":\"0000-00-00\"}",
            "",
            "\u00ff\u00fe",
            "{\"flags\":{}}");
    return Arbitraries.oneOf(
        lines
            .list()
            .ofMaxSize(6)
            .map(l -> (String.join("\n", l) + "\n").getBytes(StandardCharsets.UTF_8)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300));
  }
}
