package io.mailferry;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The import rules of docs/architecture.md that hold today, checked. The ones that do not yet hold
 * are named there, not here: a rule is added when the house is reshaped to meet it (issue 18).
 */
class ArchitectureTests {

  private static JavaClasses main;

  @BeforeAll
  static void importMainCode() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mailferry");
  }

  @Test
  void only_the_scheme_registry_names_a_source_or_sink_implementation() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.mailferry.scheme..",
            "io.mailferry.source..",
            "io.mailferry.sink..",
            "io.mailferry.demo..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.mailferry.source.imap..",
            "io.mailferry.source.pop3..",
            "io.mailferry.source.archive..",
            "io.mailferry.sink.imap..",
            "io.mailferry.sink.archive..")
        .check(main);
  }

  @Test
  void sources_and_sinks_know_nothing_of_each_other_the_job_the_ledger_or_the_command_line() {
    noClasses()
        .that()
        .resideInAnyPackage("io.mailferry.source..", "io.mailferry.sink..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.mailferry.job..",
            "io.mailferry.cli..",
            "io.mailferry.ledger..",
            "io.mailferry.report..",
            "io.mailferry.scheme..")
        .check(main);
    noClasses()
        .that()
        .resideInAPackage("io.mailferry.sink..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.mailferry.source..")
        .check(main);
    noClasses()
        .that()
        .resideInAPackage("io.mailferry.source..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.mailferry.sink..")
        .check(main);
  }

  @Test
  void
      the_archive_the_ledger_settings_and_job_files_build_on_mail_alone_and_the_reports_also_on_the_quota_forecast() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.mailferry.archive..",
            "io.mailferry.ledger..",
            "io.mailferry.report..",
            "io.mailferry.config..",
            "io.mailferry.jobfile..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.mailferry.job..",
            "io.mailferry.cli..",
            "io.mailferry.source..",
            "io.mailferry.sink..",
            "io.mailferry.scheme..",
            "io.mailferry.throttle..")
        .check(main);
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.mailferry.archive..",
            "io.mailferry.ledger..",
            "io.mailferry.config..",
            "io.mailferry.jobfile..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.mailferry.quota..")
        .check(main);
  }

  @Test
  void quota_is_plain_code_over_the_settings_and_what_the_sink_interface_reports() {
    // Unit-testable without a job store or a server: the Spring Batch step in job only wires it.
    noClasses()
        .that()
        .resideInAPackage("io.mailferry.quota..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.springframework.batch..")
        .check(main);
    classes()
        .that()
        .resideInAPackage("io.mailferry.quota..")
        .should()
        .onlyDependOnClassesThat(
            resideOutsideOfPackage("io.mailferry..")
                .or(
                    resideInAnyPackage(
                        "io.mailferry.quota..",
                        "io.mailferry.mail..",
                        "io.mailferry.config..",
                        "io.mailferry.sink")))
        .check(main);
  }

  @Test
  void nothing_below_the_command_line_imports_it() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.mailferry.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.mailferry.cli..")
        .check(main);
  }

  @Test
  void mail_holds_value_types_and_imports_nothing_of_ours() {
    noClasses()
        .that()
        .resideInAPackage("io.mailferry.mail..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.mailferry..").and(not(resideInAPackage("io.mailferry.mail.."))))
        .check(main);
  }

  @Test
  void the_throttles_take_plain_values_and_know_nothing_of_settings() {
    noClasses()
        .that()
        .resideInAPackage("io.mailferry.throttle..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.mailferry.config..",
            "io.mailferry.net..",
            "io.mailferry.imap..",
            "io.mailferry.job..",
            "io.mailferry.scheme..")
        .check(main);
  }

  @Test
  void the_imap_layer_is_used_by_the_imap_source_and_sink_alone() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.mailferry.imap..",
            "io.mailferry.source.imap..",
            "io.mailferry.sink.imap..",
            "io.mailferry.scheme..",
            "io.mailferry.demo..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.mailferry.imap..")
        .check(main);
  }

  @Test
  void the_socket_layer_is_used_by_the_servers_sources_and_sinks_and_the_job_only_reads_refusals() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.mailferry.net..",
            "io.mailferry.imap..",
            "io.mailferry.source..",
            "io.mailferry.sink..",
            "io.mailferry.scheme..",
            "io.mailferry.demo..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.mailferry.net..").and(not(simpleName("ServerRefusal"))))
        .check(main);
  }

  @Test
  void the_sync_core_is_plain_code_over_values_and_the_source_and_sink_interfaces() {
    noClasses()
        .that()
        .resideInAPackage("io.mailferry.sync..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "jakarta.mail..",
            "org.eclipse.angus..",
            "io.mailferry.net..",
            "io.mailferry.imap..",
            "io.mailferry.throttle..",
            "io.mailferry.job..",
            "io.mailferry.cli..",
            "io.mailferry.scheme..",
            "io.mailferry.config..",
            "io.mailferry.report..",
            "io.mailferry.archive..",
            "io.mailferry.source.imap..",
            "io.mailferry.source.pop3..",
            "io.mailferry.source.archive..",
            "io.mailferry.sink.imap..",
            "io.mailferry.sink.archive..")
        .check(main);
    // Of the ledger, its rows as values only: the JDBC queries are the job's to make.
    noClasses()
        .that()
        .resideInAPackage("io.mailferry.sync..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.mailferry.ledger..").and(not(simpleName("LedgerEntry"))))
        .check(main);
  }

  @Test
  void the_commands_know_no_spring_batch_and_ask_the_jobs_front_door() {
    noClasses()
        .that()
        .resideInAPackage("io.mailferry.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.springframework.batch..")
        .check(main);
  }

  @Test
  void the_job_knows_not_the_remote_side_that_plugs_into_it() {
    noClasses()
        .that()
        .resideInAPackage("io.mailferry.job")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.mailferry.job.remote..")
        .check(main);
  }

  @Test
  void no_two_packages_import_each_other() {
    slices().matching("io.mailferry.(**)").should().beFreeOfCycles().check(main);
  }

  @Test
  void no_class_uses_a_jdk_internal_api_directly() {
    // sun.misc.Signal is looked up by name in cli/Signals, the one place that says why.
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("sun..", "jdk.internal..", "com.sun..")
        .check(main);
  }
}
