package io.mailferry.testsupport;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.mailferry.report.RunReports;
import java.util.List;

/** The report's JSON Schema as shipped in the jar (mailferry report --schema), as a validator. */
public final class ReportSchema {

  private static final Schema SCHEMA =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(RunReports.schema());

  private ReportSchema() {}

  /** The violations of a report, as readable lines; empty when it follows the schema. */
  public static List<String> violations(String json) {
    return SCHEMA.validate(json, InputFormat.JSON).stream().map(Object::toString).toList();
  }
}
