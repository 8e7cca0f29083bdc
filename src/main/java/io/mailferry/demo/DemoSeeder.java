package io.mailferry.demo;

import io.mailferry.mail.ImapNamespace;
import io.mailferry.mail.RawMessage;
import io.mailferry.sink.MailSink;
import io.mailferry.sink.SinkFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fills a mailbox with the sample messages, through mailferry's own IMAP sink. */
final class DemoSeeder {

  private DemoSeeder() {}

  static void seed(MailSink sink) {
    MailSink.Layout layout = sink.layout();
    ImapNamespace ns = new ImapNamespace(layout.separator(), layout.prefix(), layout.folders());
    for (List<String> folder : SampleMailbox.folders()) {
      String name = ns.serverName(new io.mailferry.mail.FolderPath(folder));
      if (!name.equalsIgnoreCase("INBOX")) {
        sink.ensureFolder(name, true);
      }
    }
    Map<List<String>, List<SampleMessage>> byFolder = new LinkedHashMap<>();
    for (SampleMessage m : SampleMailbox.messages()) {
      byFolder.computeIfAbsent(m.folder(), f -> new ArrayList<>()).add(m);
    }
    for (var entry : byFolder.entrySet()) {
      String name = ns.serverName(new io.mailferry.mail.FolderPath(entry.getKey()));
      try (SinkFolder folder = sink.open(name)) {
        for (SampleMessage m : entry.getValue()) {
          try (RawMessage raw = RawMessage.of(m.raw())) {
            folder.append(raw, m.flags(), m.internalDate());
          }
        }
      }
    }
  }
}
