package io.mailferry.jobfile;

import io.mailferry.mail.Printable;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a job file: YAML, one job per file. Its own keys (kind, schedule, accounts, csv,
 * max-parallel-accounts, from-secret, to-secret, from-user, to-user) are checked here; every other
 * key stands for the command-line option of the same name and is checked by the command line. The
 * YAML is read as nodes, not objects, so that each key keeps its line for the error messages.
 */
public final class JobFileLoader {

  public static final int DEFAULT_PARALLEL_ACCOUNTS = 4;

  private static final Set<String> STORE_KEYS = Set.of("state-dir", "db", "db-user");
  private static final Set<String> LITERAL_SECRETS =
      Set.of("password", "from-password", "to-password", "secret", "passwd");

  private final Path file;
  private final List<Problem> problems = new ArrayList<>();

  private String kind;
  private Schedule schedule;
  private int maxParallel = DEFAULT_PARALLEL_ACCOUNTS;
  private final Map<String, OptionValue> options = new LinkedHashMap<>();
  private final Map<String, OptionValue> store = new LinkedHashMap<>();
  private final Map<String, SecretRef> secrets = new LinkedHashMap<>();
  private final List<JobAccounts.Entry> entries = new ArrayList<>();
  private boolean bulk;
  private String csv;
  private Position csvAt;

  /** Where the CSV's accounts go among those of accounts: (the order of the keys in the file). */
  private int csvEntriesAt;

  /** Whether the CSV's own secret columns may hold command: (job file key csv-commands: true). */
  private boolean csvCommands;

  private JobFileLoader(Path file) {
    this.file = file;
  }

  /**
   * A job file as far as it could be read, with the problems found. Its options are not checked
   * yet: the caller checks them and reports every problem at once.
   */
  public record Read(JobFile job, List<Problem> problems) {}

  /**
   * @throws JobFileException when the file cannot even be read as a job (not YAML, no kind)
   */
  public static Read read(Path file) {
    return new JobFileLoader(file).read();
  }

  private Read read() {
    Node root = parse();
    if (root != null) {
      readTop(root);
    }
    if (root == null || kind == null) {
      throw new JobFileException(problems);
    }
    List<AccountSpec> accounts = accounts();
    JobFile job =
        new JobFile(
            file,
            name(file),
            JobFile.Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)),
            schedule,
            maxParallel,
            bulk,
            accounts,
            store);
    return new Read(job, List.copyOf(problems));
  }

  public static String name(Path file) {
    String name = file.getFileName().toString();
    return name.replaceFirst("\\.ya?ml$", "");
  }

  private Node parse() {
    try {
      String sizeRefusal = JobFileLimits.sizeRefusal(Files.size(file));
      if (sizeRefusal != null) {
        problems.add(new Problem(at(1), null, sizeRefusal));
        return null;
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int longLine = JobFileLimits.longLine(text);
      if (longLine > 0) {
        problems.add(new Problem(at(longLine), null, JobFileLimits.longLineRefusal()));
        return null;
      }
      List<Node> documents = new ArrayList<>();
      new Yaml(JobFileLimits.loaderOptions())
          .composeAll(new StringReader(text))
          .forEach(documents::add);
      if (documents.isEmpty()) {
        problems.add(
            new Problem(
                at(1), null, "the file is empty; a job file needs at least kind, from and to."));
        return null;
      }
      if (documents.size() > 1) {
        problems.add(
            new Problem(
                at(documents.get(1)), null, "one job per file: this is a second YAML document."));
        return null;
      }
      String expansionRefusal = JobFileLimits.expansionRefusal(documents.get(0));
      if (expansionRefusal != null) {
        problems.add(new Problem(at(1), null, expansionRefusal));
        return null;
      }
      return documents.get(0);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
      problems.add(
          new Problem(at(line), null, "not valid YAML: " + Printable.escape(e.getProblem()) + "."));
      return null;
    } catch (CharacterCodingException e) {
      problems.add(new Problem(at(1), null, "not UTF-8 text."));
      return null;
    } catch (IOException | java.io.UncheckedIOException e) {
      problems.add(new Problem(at(1), null, "cannot read the file (" + e.getMessage() + ")."));
      return null;
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      problems.add(new Problem(at(1), null, JobFileLimits.yamlRefusal(e.getMessage())));
      return null;
    }
  }

  private void readTop(Node root) {
    if (!(root instanceof MappingNode mapping)) {
      problems.add(
          new Problem(
              at(root), null, "a job file is a set of keys (kind: migrate, from: …, to: …)."));
      return;
    }
    for (NodeTuple tuple : tuples(mapping)) {
      String key = key(tuple);
      if (key == null) {
        continue;
      }
      Node value = tuple.getValueNode();
      switch (key) {
        case "kind" -> {
          String k = scalar(key, value);
          if (k != null && !k.equals("migrate") && !k.equals("backup")) {
            problems.add(
                new Problem(at(value), key, "must be migrate or backup, not '" + k + "'."));
          } else {
            kind = k;
          }
        }
        case "schedule" -> readSchedule(value);
        case "max-parallel-accounts" -> {
          String n = scalar(key, value);
          if (n != null) {
            try {
              maxParallel = Integer.parseInt(n);
            } catch (NumberFormatException e) {
              maxParallel = 0;
            }
            if (maxParallel < 1) {
              problems.add(
                  new Problem(
                      at(value), key, "must be a whole number, at least 1, not '" + n + "'."));
            }
          }
        }
        case "accounts" -> {
          bulk = true;
          readAccounts(value);
        }
        case "csv" -> {
          bulk = true;
          csv = scalar(key, value);
          csvAt = at(value);
          csvEntriesAt = entries.size();
        }
        case "csv-commands" -> {
          String flag = scalar(key, value);
          if (flag != null && !flag.equals("true") && !flag.equals("false")) {
            problems.add(new Problem(at(value), key, "takes true or false."));
          }
          csvCommands = "true".equals(flag);
        }
        case "from-secret", "to-secret" -> secret(key, value, secrets);
        case "from-user", "to-user" ->
            problems.add(
                new Problem(
                    at(tuple.getKeyNode()),
                    key,
                    "goes in an entry of accounts (or a CSV line), not at the top."));
        default -> {
          OptionValue option = option(key, tuple);
          if (option != null) {
            (STORE_KEYS.contains(key) ? store : options).put(key, option);
          }
        }
      }
    }
    if (csv != null) {
      readCsv(csv, csvAt); // once csv-commands is known, wherever it is written
    }
    if (kind == null && problems.stream().noneMatch(p -> "kind".equals(p.field()))) {
      problems.add(new Problem(at(root), "kind", "missing: write kind: migrate or kind: backup."));
    }
  }

  private void readSchedule(Node value) {
    String cron;
    String zone = null;
    Node where = value;
    if (value instanceof ScalarNode s) {
      cron = s.getValue();
    } else if (value instanceof MappingNode m) {
      cron = null;
      for (NodeTuple tuple : tuples(m)) {
        String key = key(tuple);
        if ("cron".equals(key)) {
          cron = scalar("schedule.cron", tuple.getValueNode());
          where = tuple.getValueNode();
        } else if ("zone".equals(key)) {
          zone = scalar("schedule.zone", tuple.getValueNode());
        } else if (key != null) {
          problems.add(
              new Problem(
                  at(tuple.getKeyNode()),
                  "schedule." + key,
                  "unknown key; schedule has cron and zone."));
          return;
        }
      }
      if (cron == null) {
        problems.add(
            new Problem(
                at(value),
                "schedule.cron",
                "missing: the cron expression, e.g. \"0 15 2 * * *\"."));
        return;
      }
    } else {
      problems.add(
          new Problem(at(value), "schedule", "write a cron expression, or cron: and zone: keys."));
      return;
    }
    try {
      schedule = Schedule.parse(cron, zone);
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(at(where), "schedule", e.getMessage()));
    }
  }

  private void readAccounts(Node value) {
    if (!(value instanceof SequenceNode sequence)) {
      problems.add(new Problem(at(value), "accounts", "a list of accounts (- from-user: alice)."));
      return;
    }
    for (Node item : sequence.getValue()) {
      if (item instanceof ScalarNode s) {
        // "- alice": the same user on both sides.
        entries.add(
            new JobAccounts.Entry(
                at(item),
                Map.of("from-user", s.getValue()),
                Map.of("from-user", at(item)),
                Map.of(),
                Map.of()));
        continue;
      }
      if (!(item instanceof MappingNode mapping)) {
        problems.add(
            new Problem(
                at(item),
                "accounts",
                "each account is a user name or a set of keys (from-user: …)."));
        continue;
      }
      Map<String, String> users = new LinkedHashMap<>();
      Map<String, Position> userAt = new LinkedHashMap<>();
      Map<String, OptionValue> own = new LinkedHashMap<>();
      Map<String, SecretRef> ownSecrets = new LinkedHashMap<>();
      for (NodeTuple tuple : tuples(mapping)) {
        String key = key(tuple);
        if (key == null) {
          continue;
        }
        switch (key) {
          case "from-user", "to-user" -> {
            String user = scalar(key, tuple.getValueNode());
            if (user != null) {
              users.put(key, user);
              userAt.put(key, at(tuple.getValueNode()));
            }
          }
          case "from-secret", "to-secret" -> secret(key, tuple.getValueNode(), ownSecrets);
          case "kind",
              "schedule",
              "accounts",
              "csv",
              "csv-commands",
              "max-parallel-accounts",
              "state-dir",
              "db",
              "db-user" ->
              problems.add(
                  new Problem(
                      at(tuple.getKeyNode()),
                      key,
                      "applies to the whole job: write it at the top."));
          default -> {
            OptionValue option = option(key, tuple);
            if (option != null) {
              own.put(key, option);
            }
          }
        }
      }
      entries.add(new JobAccounts.Entry(at(item), users, userAt, own, ownSecrets));
    }
  }

  private void readCsv(String name, Position referencedAt) {
    Path csvFile = file.toAbsolutePath().getParent().resolve(name);
    List<JobAccounts.Entry> rows = new ArrayList<>();
    for (AccountsCsv.Row row : AccountsCsv.read(csvFile, problems, referencedAt)) {
      Map<String, String> users = new LinkedHashMap<>();
      Map<String, Position> userAt = new LinkedHashMap<>();
      Map<String, SecretRef> rowSecrets = new LinkedHashMap<>();
      row.fields()
          .forEach(
              (column, value) -> {
                String key = column.replace('_', '-');
                if (column.endsWith("_user")) {
                  users.put(key, value);
                  userAt.put(key, row.at());
                } else {
                  try {
                    SecretRef ref = SecretRef.parse(value, row.at());
                    if (ref.kind() == SecretRef.Kind.COMMAND && !csvCommands) {
                      // A command: in a CSV makes whoever writes the CSV run code as mailferry's
                      // user.
                      problems.add(
                          new Problem(
                              row.at(),
                              column,
                              "a command: secret in the CSV runs only when the job file"
                                  + " says csv-commands: true (whoever writes the CSV then runs commands as this user)."));
                    } else {
                      rowSecrets.put(key, ref);
                    }
                  } catch (IllegalArgumentException e) {
                    problems.add(new Problem(row.at(), column, e.getMessage()));
                  }
                }
              });
      rows.add(new JobAccounts.Entry(row.at(), users, userAt, Map.of(), rowSecrets));
    }
    entries.addAll(csvEntriesAt, rows);
  }

  private List<AccountSpec> accounts() {
    JobAccounts accounts = new JobAccounts(options, secrets, problems);
    return bulk ? accounts.bulk(entries, at(1)) : List.of(accounts.single(name(file), at(1)));
  }

  private void secret(String key, Node value, Map<String, SecretRef> into) {
    String text = scalar(key, value);
    if (text == null) {
      return;
    }
    try {
      into.put(key, SecretRef.parse(text, at(value)));
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(at(value), key, e.getMessage()));
    }
  }

  /** A key standing for a command-line option: one scalar or a list of scalars. */
  private OptionValue option(String key, NodeTuple tuple) {
    if (LITERAL_SECRETS.contains(key)) {
      problems.add(
          new Problem(
              at(tuple.getKeyNode()),
              key,
              "a job file never holds a secret: write from-secret: or"
                  + " to-secret: with "
                  + SecretRef.SYNTAX
                  + "."));
      return null;
    }
    Node value = tuple.getValueNode();
    if (value instanceof ScalarNode s) {
      return new OptionValue(List.of(s.getValue()), false, at(value));
    }
    if (value instanceof SequenceNode sequence) {
      List<String> items = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        if (!(item instanceof ScalarNode s)) {
          problems.add(new Problem(at(item), key, "a list of plain values, not of lists or keys."));
          return null;
        }
        items.add(s.getValue());
      }
      return new OptionValue(items, true, at(value));
    }
    problems.add(new Problem(at(value), key, "takes a value or a list of values, not keys."));
    return null;
  }

  private String scalar(String key, Node value) {
    if (value instanceof ScalarNode s && !s.getValue().isEmpty()) {
      return s.getValue();
    }
    problems.add(new Problem(at(value), key, "takes one value."));
    return null;
  }

  /**
   * The entries of a mapping; a key written twice is a mistake (YAML would keep the last silently).
   */
  private List<NodeTuple> tuples(MappingNode mapping) {
    Set<String> seen = new HashSet<>();
    List<NodeTuple> unique = new ArrayList<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode s && !seen.add(s.getValue())) {
        problems.add(new Problem(at(tuple.getKeyNode()), s.getValue(), "written twice."));
        continue;
      }
      unique.add(tuple);
    }
    return unique;
  }

  private String key(NodeTuple tuple) {
    if (tuple.getKeyNode() instanceof ScalarNode s) {
      return s.getValue();
    }
    problems.add(new Problem(at(tuple.getKeyNode()), null, "a key must be a plain name."));
    return null;
  }

  private Position at(Node node) {
    return at(node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1);
  }

  private Position at(int line) {
    return new Position(file, line);
  }
}
