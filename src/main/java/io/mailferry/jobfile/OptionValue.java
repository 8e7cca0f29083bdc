package io.mailferry.jobfile;

import java.util.List;

/**
 * The value of a key that stands for a command-line option: one scalar, or a YAML list for a
 * repeatable option. Scalars are kept as written; the command line decides what they mean.
 */
public record OptionValue(List<String> values, boolean list, Position at) {

  public OptionValue {
    values = List.copyOf(values);
  }

  public OptionValue map(java.util.function.UnaryOperator<String> f) {
    return new OptionValue(values.stream().map(f).toList(), list, at);
  }
}
