package io.mailferry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.ImapNamespace;
import io.mailferry.mail.MailferryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FolderMapperTests {

  // ---- building namespaces by hand -------------------------------------------------------------

  /** A folder as a server with this separator and prefix lists it; path given with '/'. */
  private static FolderInfo folder(ImapNamespaceSpec ns, String slashed, String specialUse) {
    FolderPath path = FolderPath.parse(slashed);
    String serverName = path.isInbox() ? "INBOX" : ns.prefix + path.join(ns.separator);
    return new FolderInfo(path, serverName, specialUse, true, true);
  }

  private record ImapNamespaceSpec(char separator, String prefix) {
    ImapNamespace with(Object... foldersAndUses) {
      List<FolderInfo> folders = new ArrayList<>();
      for (Object o : foldersAndUses) {
        folders.add(o instanceof FolderInfo f ? f : folder(this, (String) o, null));
      }
      return new ImapNamespace(separator, prefix, List.copyOf(folders));
    }

    FolderInfo special(String slashed, String use) {
      return folder(this, slashed, use);
    }
  }

  private static final ImapNamespaceSpec DOT_INBOX = new ImapNamespaceSpec('.', "INBOX.");
  private static final ImapNamespaceSpec SLASH = new ImapNamespaceSpec('/', "");

  private static FolderMapper mapper() {
    return new FolderMapper(FolderSelection.all(), Map.of());
  }

  private static FolderMapper mapper(Map<String, String> folderMap) {
    Map<FolderPath, FolderPath> m = new LinkedHashMap<>();
    folderMap.forEach((k, v) -> m.put(FolderPath.parse(k), FolderPath.parse(v)));
    return new FolderMapper(FolderSelection.all(), m);
  }

  private static FolderMapper selecting(List<String> includes, List<String> excludes) {
    return new FolderMapper(new FolderSelection(includes, excludes), Map.of());
  }

  /** source path (as typed, '/') → destination server name. */
  private static Map<String, String> names(List<FolderMapper.Mapping> mappings) {
    Map<String, String> out = new LinkedHashMap<>();
    for (FolderMapper.Mapping m : mappings) {
      out.put(m.source().path().toString(), m.destName());
    }
    return out;
  }

  // ---- separators and prefixes ----------------------------------------------------------------

  @Test
  void
      folders_under_an_inbox_dot_prefix_keep_their_hierarchy_on_a_slash_destination_without_prefix() {
    ImapNamespace source = DOT_INBOX.with("INBOX", "Work", "Work/Projects");
    ImapNamespace destination = SLASH.with("INBOX");

    List<FolderMapper.Mapping> mappings = mapper().map(source.folders(), destination);

    assertThat(names(mappings))
        .containsExactly(
            entry("INBOX", "INBOX"),
            entry("Work", "Work"),
            entry("Work/Projects", "Work/Projects"));
    assertThat(mappings.get(2).source().serverName()).isEqualTo("INBOX.Work.Projects");
    assertThat(mappings.get(2).destPath()).isEqualTo(new FolderPath(List.of("Work", "Projects")));
  }

  @Test
  void folders_from_a_slash_source_get_the_inbox_dot_prefix_on_a_dot_separated_destination() {
    ImapNamespace source = SLASH.with("INBOX", "Work", "Work/Projects");
    ImapNamespace destination = DOT_INBOX.with("INBOX");

    assertThat(names(mapper().map(source.folders(), destination)))
        .containsExactly(
            entry("INBOX", "INBOX"),
            entry("Work", "INBOX.Work"),
            entry("Work/Projects", "INBOX.Work.Projects"));
  }

  @Test
  void inbox_stays_inbox_and_its_children_become_inbox_dot_children_on_an_inbox_dot_destination() {
    ImapNamespace source = SLASH.with("INBOX", "INBOX/Receipts", "INBOX/Receipts/2024");
    ImapNamespace destination = DOT_INBOX.with("INBOX");

    assertThat(names(mapper().map(source.folders(), destination)))
        .containsExactly(
            entry("INBOX", "INBOX"),
            entry("INBOX/Receipts", "INBOX.Receipts"),
            entry("INBOX/Receipts/2024", "INBOX.Receipts.2024"));
  }

  @Test
  void a_dot_inside_a_name_becomes_an_underscore_on_a_dot_separated_destination() {
    ImapNamespace source = SLASH.with("INBOX", "Project v1.2", "Clients/acme.com");
    ImapNamespace destination = DOT_INBOX.with("INBOX");

    List<FolderMapper.Mapping> mappings = mapper().map(source.folders(), destination);

    assertThat(names(mappings))
        .containsExactly(
            entry("INBOX", "INBOX"),
            entry("Project v1.2", "INBOX.Project v1_2"),
            entry("Clients/acme.com", "INBOX.Clients.acme_com"));
    assertThat(mappings.get(2).destPath())
        .isEqualTo(new FolderPath(List.of("Clients", "acme_com")));
  }

  @Test
  void a_dot_inside_a_name_is_kept_on_a_slash_separated_destination() {
    ImapNamespace source = SLASH.with("Project v1.2");

    assertThat(names(mapper().map(source.folders(), SLASH.with("INBOX"))))
        .containsExactly(entry("Project v1.2", "Project v1.2"));
  }

  @Test
  void a_slash_inside_a_dot_separated_name_becomes_an_underscore_on_a_slash_destination() {
    FolderInfo dates =
        new FolderInfo(new FolderPath(List.of("Dates 1/2")), "INBOX.Dates 1/2", null, true, true);
    ImapNamespace source = new ImapNamespace('.', "INBOX.", List.of(dates));

    assertThat(names(mapper().map(source.folders(), SLASH.with("INBOX"))))
        .containsExactly(entry("Dates 1/2", "Dates 1_2"));
  }

  // ---- special-use folders --------------------------------------------------------------------

  @Test
  void a_folder_with_the_sent_attribute_maps_onto_the_destination_folder_with_the_sent_attribute() {
    ImapNamespace source = SLASH.with("INBOX", SLASH.special("Gesendet", "\\Sent"));
    ImapNamespace destination = SLASH.with("INBOX", SLASH.special("Sent", "\\Sent"));

    assertThat(names(mapper().map(source.folders(), destination)))
        .containsEntry("Gesendet", "Sent");
  }

  @Test
  void the_sent_attribute_is_recognised_on_a_folder_whose_name_is_not_a_known_sent_name() {
    ImapNamespace source = SLASH.with("INBOX", SLASH.special("Postausgang erledigt", "\\Sent"));
    ImapNamespace destination =
        DOT_INBOX.with("INBOX", DOT_INBOX.special("Sent Messages", "\\Sent"));

    assertThat(names(mapper().map(source.folders(), destination)))
        .containsEntry("Postausgang erledigt", "INBOX.Sent Messages");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"Sent Items", "[Gmail]/Sent Mail", "Envoyés", "sent items", "Отправленные"})
  void a_localized_sent_name_maps_onto_the_destination_folder_with_the_sent_attribute(String name) {
    ImapNamespace source = SLASH.with("INBOX", name);
    ImapNamespace destination = SLASH.with("INBOX", "Drafts", SLASH.special("Sent", "\\Sent"));

    assertThat(names(mapper().map(source.folders(), destination))).containsEntry(name, "Sent");
  }

  @Test
  void the_destination_sent_attribute_wins_over_a_destination_folder_merely_named_sent() {
    ImapNamespace source = SLASH.with("INBOX", "Sent Items");
    ImapNamespace nameFirst = SLASH.with("INBOX", "Sent", SLASH.special("Sent Messages", "\\Sent"));
    ImapNamespace attributeFirst =
        SLASH.with("INBOX", SLASH.special("Sent Messages", "\\Sent"), "Sent");

    assertThat(names(mapper().map(source.folders(), nameFirst)))
        .containsEntry("Sent Items", "Sent Messages");
    assertThat(names(mapper().map(source.folders(), attributeFirst)))
        .containsEntry("Sent Items", "Sent Messages");
  }

  @Test
  void
      a_localized_sent_name_maps_onto_a_destination_folder_with_a_known_sent_name_when_none_has_the_attribute() {
    ImapNamespace source = SLASH.with("INBOX", "Envoyés");
    ImapNamespace destination = DOT_INBOX.with("INBOX", "Sent Items");

    assertThat(names(mapper().map(source.folders(), destination)))
        .containsEntry("Envoyés", "INBOX.Sent Items");
  }

  @Test
  void a_sent_folder_maps_onto_canonical_sent_when_the_destination_has_no_sent_folder() {
    ImapNamespace source = SLASH.with("INBOX", "[Gmail]/Sent Mail", "Sent Items");
    ImapNamespace slash = SLASH.with("INBOX", "Archive");
    ImapNamespace dot = DOT_INBOX.with("INBOX");

    assertThat(names(mapper().map(source.folders(), slash)))
        .containsEntry("[Gmail]/Sent Mail", "Sent")
        .containsEntry("Sent Items", "Sent");
    assertThat(names(mapper().map(source.folders(), dot)))
        .containsEntry("[Gmail]/Sent Mail", "INBOX.Sent")
        .containsEntry("Sent Items", "INBOX.Sent");
  }

  @Test
  void sub_folders_of_a_special_use_folder_follow_it() {
    ImapNamespace source =
        SLASH.with(
            "INBOX",
            "Sent Items",
            "Sent Items/2024",
            "Sent Items/2024/Q1",
            "[Gmail]/Sent Mail",
            "[Gmail]/Sent Mail/Old");
    ImapNamespace destination = SLASH.with("INBOX");

    assertThat(names(mapper().map(source.folders(), destination)))
        .containsExactly(
            entry("INBOX", "INBOX"),
            entry("Sent Items", "Sent"),
            entry("Sent Items/2024", "Sent/2024"),
            entry("Sent Items/2024/Q1", "Sent/2024/Q1"),
            entry("[Gmail]/Sent Mail", "Sent"),
            entry("[Gmail]/Sent Mail/Old", "Sent/Old"));
  }

  @Test
  void
      sub_folders_of_a_special_use_folder_follow_it_onto_the_destination_folder_with_the_attribute() {
    ImapNamespace source =
        SLASH.with("INBOX", SLASH.special("Gesendet", "\\Sent"), "Gesendet/2024", "Papierkorb");
    ImapNamespace destination =
        DOT_INBOX.with(
            "INBOX",
            DOT_INBOX.special("Sent Messages", "\\Sent"),
            DOT_INBOX.special("Deleted Messages", "\\Trash"));

    assertThat(names(mapper().map(source.folders(), destination)))
        .containsExactly(
            entry("INBOX", "INBOX"),
            entry("Gesendet", "INBOX.Sent Messages"),
            entry("Gesendet/2024", "INBOX.Sent Messages.2024"),
            entry("Papierkorb", "INBOX.Deleted Messages"));
  }

  @Test
  void a_folder_that_only_starts_like_a_sent_name_is_not_special() {
    ImapNamespace source = SLASH.with("INBOX", "Sent Items Old", "Work/Sent Items");
    ImapNamespace destination = SLASH.with("INBOX", SLASH.special("Sent", "\\Sent"));

    assertThat(names(mapper().map(source.folders(), destination)))
        .containsEntry("Sent Items Old", "Sent Items Old")
        .containsEntry("Work/Sent Items", "Work/Sent Items");
  }

  // ---- --folder-map ----------------------------------------------------------------------------

  @Test
  void a_folder_map_renames_a_folder_and_its_sub_folders_but_not_a_sibling_with_a_longer_name() {
    ImapNamespace source =
        SLASH.with("INBOX", "Work", "Work/Projects", "Work/Projects/2024", "Workshop");
    ImapNamespace destination = DOT_INBOX.with("INBOX");

    assertThat(names(mapper(Map.of("Work", "Job/Old")).map(source.folders(), destination)))
        .containsExactly(
            entry("INBOX", "INBOX"),
            entry("Work", "INBOX.Job.Old"),
            entry("Work/Projects", "INBOX.Job.Old.Projects"),
            entry("Work/Projects/2024", "INBOX.Job.Old.Projects.2024"),
            entry("Workshop", "INBOX.Workshop"));
  }

  @Test
  void a_folder_map_wins_over_special_use_for_the_folder_and_its_sub_folders() {
    ImapNamespace source =
        SLASH.with("INBOX", SLASH.special("Sent Items", "\\Sent"), "Sent Items/2024");
    ImapNamespace destination = SLASH.with("INBOX", SLASH.special("Sent", "\\Sent"));

    assertThat(
            names(
                mapper(Map.of("Sent Items", "Archive/Old Sent"))
                    .map(source.folders(), destination)))
        .containsExactly(
            entry("INBOX", "INBOX"),
            entry("Sent Items", "Archive/Old Sent"),
            entry("Sent Items/2024", "Archive/Old Sent/2024"));
  }

  @Test
  void the_longest_folder_map_entry_wins() {
    ImapNamespace source = SLASH.with("Work", "Work/Projects", "Work/Projects/Alpha");
    Map<String, String> map = new LinkedHashMap<>();
    map.put("Work", "Job");
    map.put("Work/Projects", "Projects");

    assertThat(names(mapper(map).map(source.folders(), SLASH.with("INBOX"))))
        .containsExactly(
            entry("Work", "Job"),
            entry("Work/Projects", "Projects"),
            entry("Work/Projects/Alpha", "Projects/Alpha"));
  }

  @Test
  void a_folder_map_naming_no_source_folder_is_a_configuration_error_that_names_the_folder() {
    ImapNamespace source = SLASH.with("INBOX", "Work", "Work/Projects");

    assertThatThrownBy(
            () -> mapper(Map.of("Projets", "Projects")).map(source.folders(), SLASH.with("INBOX")))
        .isInstanceOf(MailferryException.BadConfiguration.class)
        .hasMessageContaining("'Projets'")
        .hasMessageNotContaining("\n")
        .satisfies(e -> assertThat(((MailferryException) e).exitCode()).isEqualTo(78));
  }

  @Test
  void
      a_folder_map_naming_a_missing_sub_folder_is_a_configuration_error_even_if_its_parent_exists() {
    ImapNamespace source = SLASH.with("INBOX", "Work");

    assertThatThrownBy(
            () -> mapper(Map.of("Work/Gone", "Gone")).map(source.folders(), SLASH.with("INBOX")))
        .isInstanceOf(MailferryException.BadConfiguration.class)
        .hasMessageContaining("Work/Gone");
  }

  // ---- --include / --exclude -------------------------------------------------------------------

  private static final ImapNamespace UTF8_SOURCE =
      SLASH.with(
          "INBOX",
          "Família",
          "Família/Fotos",
          "Família/Fotos/2023",
          "日本語",
          "日本語/仕事",
          "Проекты",
          "Проекты/Архив",
          "Work");

  @Test
  void include_globs_select_utf8_folders_and_exclude_globs_remove_some_of_them() {
    FolderMapper mapper = selecting(List.of("Família*", "日本語", "Проекты*"), List.of("*/Архив"));

    assertThat(names(mapper.map(UTF8_SOURCE.folders(), DOT_INBOX.with("INBOX"))))
        .containsExactly(
            entry("Família", "INBOX.Família"),
            entry("Família/Fotos", "INBOX.Família.Fotos"),
            entry("Família/Fotos/2023", "INBOX.Família.Fotos.2023"),
            entry("日本語", "INBOX.日本語"),
            entry("Проекты", "INBOX.Проекты"));
  }

  @Test
  void a_star_crosses_slashes() {
    FolderMapper mapper = selecting(List.of("*2023", "日本*事"), List.of());

    assertThat(names(mapper.map(UTF8_SOURCE.folders(), SLASH.with("INBOX"))).keySet())
        .containsExactly("Família/Fotos/2023", "日本語/仕事");
  }

  @Test
  void a_question_mark_matches_exactly_one_utf8_character() {
    FolderMapper mapper = selecting(List.of("Fam?lia", "???", "Проект?/?????"), List.of());

    assertThat(names(mapper.map(UTF8_SOURCE.folders(), SLASH.with("INBOX"))).keySet())
        .containsExactly("Família", "日本語", "Проекты/Архив");
  }

  @Test
  void exclude_alone_keeps_every_other_folder() {
    FolderMapper mapper = selecting(List.of(), List.of("Família*", "*/仕事"));

    assertThat(names(mapper.map(UTF8_SOURCE.folders(), SLASH.with("INBOX"))).keySet())
        .containsExactly("INBOX", "日本語", "Проекты", "Проекты/Архив", "Work");
  }

  @Test
  void glob_characters_other_than_star_and_question_mark_are_literal() {
    ImapNamespace source = SLASH.with("[Gmail]/Sent Mail", "G/Sent Mail", "a.b", "axb", "C++");
    FolderMapper mapper = selecting(List.of("[Gmail]/*", "a.b", "C++"), List.of());

    assertThat(names(mapper.map(source.folders(), SLASH.with("INBOX"))).keySet())
        .containsExactly("[Gmail]/Sent Mail", "a.b", "C++");
  }

  @Test
  void an_include_glob_with_a_character_outside_the_basic_plane_selects_its_folder() {
    ImapNamespace source = SLASH.with("INBOX", "📁 Privat", "📁 Privat/Steuern", "Work");

    assertThat(
            names(selecting(List.of("📁*"), List.of()).map(source.folders(), SLASH.with("INBOX")))
                .keySet())
        .containsExactly("📁 Privat", "📁 Privat/Steuern");
    assertThat(
            names(
                    selecting(List.of("📁 Privat"), List.of())
                        .map(source.folders(), SLASH.with("INBOX")))
                .keySet())
        .containsExactly("📁 Privat");
    assertThat(
            names(selecting(List.of(), List.of("📁*")).map(source.folders(), SLASH.with("INBOX")))
                .keySet())
        .containsExactly("INBOX", "Work");
  }
}
