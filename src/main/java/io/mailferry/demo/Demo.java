package io.mailferry.demo;

import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.ImapConnector;
import io.mailferry.mail.ImapStores;
import io.mailferry.sink.imap.ImapSink;
import java.util.ArrayList;
import java.util.List;

/** The demo's two helpers: fill the source, then show what arrived. */
public final class Demo {

  private Demo() {}

  /** Fills the account with the sample mailbox; returns how many messages it holds. */
  public static int seed(String url, String password) {
    try (ImapSink sink = sink(url, password)) {
      DemoSeeder.seed(sink);
    }
    return SampleMailbox.messages().size();
  }

  public static List<String> listFolders(String url, String password) {
    try (ImapSink sink = sink(url, password)) {
      List<String> lines = new ArrayList<>();
      for (FolderInfo f : sink.layout().folders()) {
        lines.add(f.path() + (f.subscribed() ? "" : "  (not subscribed)"));
      }
      return lines;
    }
  }

  private static ImapSink sink(String url, String password) {
    Endpoint endpoint = Endpoint.parse(url, "demo");
    var connector = new ImapConnector("demo", endpoint, () -> password, ConnectionSettings.defaults());
    return new ImapSink(new ImapStores(connector, 1));
  }
}
