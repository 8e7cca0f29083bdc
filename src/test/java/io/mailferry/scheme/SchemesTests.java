package io.mailferry.scheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailferry.config.Credentials;
import io.mailferry.config.DateWindow;
import io.mailferry.config.MigrationSettings;
import io.mailferry.config.QuotaPolicy;
import io.mailferry.config.SourceDeletion;
import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.MailferryException;
import io.mailferry.sink.MailSink;
import io.mailferry.sink.archive.ArchiveSink;
import io.mailferry.sink.imap.ImapSink;
import io.mailferry.source.MailSource;
import io.mailferry.source.archive.ArchiveSource;
import io.mailferry.testsupport.Mailferry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Building a source or sink opens no connection, so these run without a server. */
class SchemesTests {

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} reads with {1}")
  @CsvSource({
    "imap://alice@mail.example.org, ImapSource",
    "imaps://alice@mail.example.org, ImapSource",
    "pop3://alice@mail.example.org, Pop3Source",
    "pop3s://alice@mail.example.org, Pop3Source",
  })
  void each_server_scheme_builds_its_own_kind_of_source(String url, String kind) {
    Endpoint from = Endpoint.parse(url, "source");
    try (MailSource source =
        Schemes.of(from).openSource(settings(from, archive()), credentials(from), dir)) {
      assertThat(source.getClass().getSimpleName()).isEqualTo(kind);
    }
  }

  @Test
  void an_archive_directory_is_read_by_the_archive_source_and_written_by_the_archive_sink() {
    Endpoint archive = archive();
    MigrationSettings settings = settings(archive, archive);
    try (MailSource source = Schemes.of(archive).openSource(settings, new Credentials(), dir);
        MailSink sink = Schemes.of(archive).openSink(settings, new Credentials())) {
      assertThat(source).isInstanceOf(ArchiveSource.class);
      assertThat(sink).isInstanceOf(ArchiveSink.class);
    }
    assertThat(dir.resolve("archive")).as("the archive sink made its directory").isDirectory();
  }

  @ParameterizedTest
  @CsvSource({"imap://bob@mail.example.org", "imaps://bob@mail.example.org:1993"})
  void an_imap_destination_is_written_by_the_imap_sink(String url) {
    Endpoint to = Endpoint.parse(url, "destination");
    try (MailSink sink = Schemes.of(to).openSink(settings(archive(), to), credentials(to))) {
      assertThat(sink).isInstanceOf(ImapSink.class);
    }
  }

  @Test
  void a_pop3_destination_is_refused_in_one_sentence_as_bad_usage() {
    Endpoint to = Endpoint.parse("pop3s://bob@pop.example.net", "destination");

    assertThatThrownBy(() -> Schemes.of(to).openSink(settings(archive(), to), credentials(to)))
        .isInstanceOfSatisfying(
            MailferryException.BadUsage.class, e -> assertThat(e.exitCode()).isEqualTo(64))
        .hasMessage(
            "The destination 'pop3s://bob@pop.example.net:995' cannot be written to: pop3s:// is a "
                + "source only.");
  }

  @ParameterizedTest(name = "{0}: secret {1}, host {2}")
  @CsvSource({
    "imap, true, true",
    "imaps, true, true",
    "pop3, true, true",
    "pop3s, true, true",
    "file, false, false"
  })
  void a_server_needs_a_secret_and_has_a_host_and_a_local_archive_neither(
      String scheme, boolean secret, boolean host) {
    Endpoint endpoint =
        scheme.equals("file")
            ? archive()
            : Endpoint.parse(scheme + "://u@mail.example.org", "source");

    assertThat(Schemes.of(endpoint).needsSecret()).as("needs a secret").isEqualTo(secret);
    assertThat(Schemes.of(endpoint).hasHost()).as("has a host").isEqualTo(host);
    assertThat(Schemes.of(endpoint).throttledHost(endpoint))
        .isEqualTo(host ? "mail.example.org" : null);
  }

  @Test
  void only_the_archive_sink_follows_flag_changes_and_removals() {
    Endpoint imap = Endpoint.parse("imaps://bob@mail.example.org", "destination");
    try (MailSink archive =
            Schemes.of(archive()).openSink(settings(imap, archive()), new Credentials());
        MailSink server = Schemes.of(imap).openSink(settings(archive(), imap), credentials(imap))) {
      assertThat(archive.followsFlagChanges()).isTrue();
      assertThat(archive.followsRemovals()).isTrue();
      assertThat(server.followsFlagChanges()).isFalse();
      assertThat(server.followsRemovals()).isFalse();
    }
  }

  @Test
  void an_unknown_scheme_on_the_command_line_is_one_sentence_and_exit_64() throws Exception {
    Mailferry.Result result =
        Mailferry.run(
            Map.of(),
            "migrate",
            "--from",
            "mbox://alice@mail.example.org",
            "--to",
            "imaps://bob@mail.example.org",
            "--state-dir",
            Files.createDirectories(dir.resolve("state")).toString());

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(64);
    assertThat(result.err().strip())
        .endsWith(
            "The source 'mbox://alice@mail.example.org' must start with imap://, "
                + "imaps://, pop3:// or pop3s://.");
    assertThat(result.err().strip().lines()).hasSize(1);
  }

  private Endpoint archive() {
    return Endpoint.archive(dir.resolve("archive"));
  }

  private static Credentials credentials(Endpoint endpoint) {
    Credentials credentials = new Credentials();
    credentials.put(endpoint.account(), () -> "secret");
    return credentials;
  }

  private static MigrationSettings settings(Endpoint from, Endpoint to) {
    return new MigrationSettings(
        from,
        to,
        ConnectionSettings.defaults(),
        ConnectionSettings.defaults(),
        List.of(),
        List.of(),
        Map.of(),
        false,
        2,
        MigrationSettings.DEFAULT_MAX_FAILURES,
        SourceDeletion.NONE,
        QuotaPolicy.DEFAULT,
        io.mailferry.config.Following.defaults(),
        DateWindow.ALL,
        null);
  }
}
