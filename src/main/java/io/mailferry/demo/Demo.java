package io.mailferry.demo;

import io.mailferry.imap.ImapConnector;
import io.mailferry.imap.ImapStores;
import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.FolderInfo;
import io.mailferry.sink.imap.ImapSink;
import java.util.ArrayList;
import java.util.List;

/** The demo's two helpers: fill the source, then show what arrived. */
public final class Demo {

  private Demo() {}

  /** Fills the account with the sample mailbox; returns how many messages it holds. */
  public static int seed(String url, String password) {
    return seed(url, password, null);
  }

  /**
   * @param trustCert the PEM certificate of a demo server that speaks TLS, or null
   */
  public static int seed(String url, String password, java.nio.file.Path trustCert) {
    try (ImapSink sink = sink(url, password, trustCert)) {
      DemoSeeder.seed(sink);
    }
    return SampleMailbox.messages().size();
  }

  public static List<String> listFolders(
      String url, String password, java.nio.file.Path trustCert) {
    try (ImapSink sink = sink(url, password, trustCert)) {
      List<String> lines = new ArrayList<>();
      for (FolderInfo f : sink.layout().folders()) {
        lines.add(f.path() + (f.subscribed() ? "" : "  (not subscribed)"));
      }
      return lines;
    }
  }

  private static ImapSink sink(String url, String password, java.nio.file.Path trustCert) {
    Endpoint endpoint = Endpoint.parse(url, "demo");
    var connector =
        new ImapConnector(
            "demo",
            endpoint,
            () -> password,
            ConnectionSettings.defaults().withTrustCert(trustCert));
    return new ImapSink(new ImapStores(connector, 1));
  }
}
