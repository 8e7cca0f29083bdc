package io.mailferry.config;

import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Special-use folders (RFC 6154) and the localized names servers gave them before the attribute
 * existed. A source folder is recognised by its attribute first, its name second.
 */
final class SpecialUse {

  static final List<String> USES = List.of("\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive");

  /** Canonical name first: it is what gets created when the destination has no such folder. */
  private static final Map<String, List<String>> NAMES =
      Map.of(
          "\\Sent",
              List.of(
                  "Sent",
                  "Sent Items",
                  "Sent Messages",
                  "Sent Mail",
                  "Sent-Mail",
                  "Gesendet",
                  "Gesendete Objekte",
                  "Gesendete Elemente",
                  "Envoyés",
                  "Éléments envoyés",
                  "Messages envoyés",
                  "Enviados",
                  "Elementos enviados",
                  "Posta inviata",
                  "Inviata",
                  "Verzonden",
                  "Verzonden items",
                  "Skickat",
                  "Wysłane",
                  "Отправленные",
                  "[Gmail]/Sent Mail",
                  "[Google Mail]/Sent Mail"),
          "\\Drafts",
              List.of(
                  "Drafts",
                  "Draft",
                  "Entwürfe",
                  "Brouillons",
                  "Borradores",
                  "Bozze",
                  "Concepten",
                  "Kladder",
                  "Черновики",
                  "[Gmail]/Drafts",
                  "[Google Mail]/Drafts"),
          "\\Trash",
              List.of(
                  "Trash",
                  "Deleted Items",
                  "Deleted Messages",
                  "Deleted",
                  "Papierkorb",
                  "Gelöschte Objekte",
                  "Gelöschte Elemente",
                  "Corbeille",
                  "Éléments supprimés",
                  "Papelera",
                  "Elementos eliminados",
                  "Cestino",
                  "Prullenbak",
                  "Корзина",
                  "[Gmail]/Trash",
                  "[Gmail]/Bin",
                  "[Google Mail]/Trash",
                  "[Google Mail]/Bin"),
          "\\Junk",
              List.of(
                  "Junk",
                  "Spam",
                  "Junk E-mail",
                  "Junk Email",
                  "Junk-E-Mail",
                  "Bulk Mail",
                  "Courrier indésirable",
                  "Indésirables",
                  "Correo no deseado",
                  "Posta indesiderata",
                  "Спам",
                  "[Gmail]/Spam",
                  "[Google Mail]/Spam"),
          "\\Archive", List.of("Archive", "Archives", "Archiv", "Archivio", "Archivo", "Архив"));

  private SpecialUse() {}

  /** The special use of a folder: its attribute, else its well-known name, else null. */
  static String of(FolderInfo folder) {
    if (folder.specialUse() != null && USES.contains(folder.specialUse())) {
      return folder.specialUse();
    }
    String name = folder.path().toString();
    for (var entry : NAMES.entrySet()) {
      for (String known : entry.getValue()) {
        if (known.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
          return entry.getKey();
        }
      }
    }
    return null;
  }

  static FolderPath canonicalPath(String use) {
    return FolderPath.parse(NAMES.get(use).get(0));
  }
}
