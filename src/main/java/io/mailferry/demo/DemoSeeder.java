package io.mailferry.demo;

import io.mailferry.mail.ImapNamespace;
import io.mailferry.mail.RawMessage;
import io.mailferry.sink.MailSink;
import io.mailferry.sink.SinkFolder;
import java.util.List;

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
    for (SampleMessage m : SampleMailbox.messages()) {
      String name = ns.serverName(new io.mailferry.mail.FolderPath(m.folder()));
      try (SinkFolder folder = sink.open(name); RawMessage raw = RawMessage.of(m.raw())) {
        folder.append(raw, m.flags(), m.internalDate());
      }
    }
  }
}
