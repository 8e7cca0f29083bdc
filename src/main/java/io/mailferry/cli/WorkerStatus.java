package io.mailferry.cli;

import io.mailferry.job.remote.PartitionLeases;
import io.mailferry.job.remote.WorkerRegistry;
import java.io.PrintStream;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationContext;

/** `status --workers`: each remote worker, when it was last heard of, and what it copies now. */
final class WorkerStatus {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private WorkerStatus() {}

  static void print(ApplicationContext context, PrintStream out) {
    List<WorkerRegistry.Registered> workers = context.getBean(WorkerRegistry.class).workers();
    Map<String, List<PartitionLeases.Running>> running =
        context.getBean(PartitionLeases.class).running().stream()
            .collect(Collectors.groupingBy(PartitionLeases.Running::workerId));
    if (workers.isEmpty() && running.isEmpty()) {
      out.println("No workers.");
      return;
    }
    out.printf("%-40s  %-19s  %9s  %s%n", "worker", "started", "last seen", "copying now");
    for (WorkerRegistry.Registered w : workers) {
      List<PartitionLeases.Running> now = running.getOrDefault(w.workerId(), List.of());
      out.printf(
          "%-40s  %-19s  %7ds   %s%n",
          w.workerId(),
          TIME.format(w.startedAt()),
          w.silentSeconds(),
          now.isEmpty() ? "idle" : describe(now));
    }
    // Leases of a worker no longer registered (killed): shown until another worker takes them over.
    running.forEach(
        (worker, partitions) -> {
          if (workers.stream().noneMatch(w -> w.workerId().equals(worker))) {
            out.printf("%-40s  %-19s  %9s  %s%n", worker, "-", "gone", describe(partitions));
          }
        });
  }

  private static String describe(List<PartitionLeases.Running> partitions) {
    return partitions.stream()
        .map(
            p ->
                "job "
                    + p.jobExecutionId()
                    + " "
                    + (p.folder() == null ? p.stepName() : p.folder())
                    + " since "
                    + TIME.format(p.since())
                    + (p.expired() ? " (lease expired)" : ""))
        .collect(Collectors.joining("; "));
  }
}
