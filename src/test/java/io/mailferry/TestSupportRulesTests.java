package io.mailferry;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.mailferry.bench.BenchServers;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.PostgresServer;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rules for the test tree itself: what a test class may do by hand and what it leaves to test
 * support.
 */
class TestSupportRulesTests {

  private static JavaClasses tests;

  @BeforeAll
  static void importTestCode() {
    tests =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
            .importPackages("io.mailferry");
  }

  /**
   * A class that starts its own server also has to stop it on every path, and each did it a little
   * differently; DovecotExtension and PostgresExtension do it once. BenchServers is a program run
   * by bench/run, not a test, and is compiled without JUnit.
   */
  @Test
  void only_the_shared_extensions_start_a_dovecot_or_a_postgresql() {
    Set<String> servers = Set.of(DovecotServer.class.getName(), PostgresServer.class.getName());
    noClasses()
        .that()
        .resideOutsideOfPackage("io.mailferry.testsupport..")
        .and()
        .doNotHaveFullyQualifiedName(BenchServers.class.getName())
        .should()
        .callMethodWhere(
            describe(
                "DovecotServer.start or PostgresServer.start",
                (JavaMethodCall call) ->
                    call.getName().equals("start")
                        && servers.contains(call.getTargetOwner().getFullName())))
        .check(tests);
  }
}
