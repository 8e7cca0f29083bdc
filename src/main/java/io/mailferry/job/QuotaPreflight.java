package io.mailferry.job;

import io.mailferry.report.QuotaForecast;
import io.mailferry.sink.QuotaRoot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Puts what a run will write next to the destination's quota: GETQUOTAROOT for INBOX and each
 * destination folder, the pending messages and bytes summed per quota root (a folder under two
 * roots counts in both).
 */
public final class QuotaPreflight {

  private QuotaPreflight() {}

  public static QuotaForecast forecast(MigrationRuntime runtime, List<FolderPlan> plan) {
    return forecast(runtime, PendingWork.of(runtime, plan));
  }

  public static QuotaForecast forecast(MigrationRuntime runtime, PendingWork work) {
    List<String> folders = work.folders().stream().map(f -> f.plan().destName()).toList();
    Map<String, List<QuotaRoot>> rootsByFolder = runtime.sink().quotaRoots(folders);
    long tooLarge = work.folders().stream().mapToLong(PendingWork.Folder::tooLarge).sum();
    long tooLargeBytes = work.folders().stream().mapToLong(PendingWork.Folder::tooLargeBytes).sum();
    Long appendLimit = work.folders().stream().map(PendingWork.Folder::appendLimit).filter(Objects::nonNull)
        .min(Long::compare).orElse(null);
    if (rootsByFolder == null) {
      return new QuotaForecast(false, List.of(), work.messages(), work.bytes(), tooLarge, tooLargeBytes, appendLimit);
    }
    Map<String, QuotaRoot> roots = new LinkedHashMap<>();
    Map<String, long[]> toWrite = new LinkedHashMap<>(); // root → {messages, bytes}
    rootsByFolder.values().forEach(list -> list.forEach(r -> {
      roots.putIfAbsent(r.name(), r);
      toWrite.putIfAbsent(r.name(), new long[2]);
    }));
    for (PendingWork.Folder folder : work.folders()) {
      for (QuotaRoot root : rootsByFolder.getOrDefault(folder.plan().destName(), List.of())) {
        long[] sum = toWrite.get(root.name());
        sum[0] += folder.messages();
        sum[1] += folder.bytes();
      }
    }
    List<QuotaForecast.Root> figures = roots.values().stream().map(root -> {
      long[] sum = toWrite.get(root.name());
      QuotaRoot.Usage storage = root.resource(QuotaRoot.STORAGE);
      QuotaRoot.Usage count = root.resource(QuotaRoot.MESSAGE);
      return new QuotaForecast.Root(root.name(),
          storage == null ? null : new QuotaForecast.Resource(storage.usage() * 1024, storage.limit() * 1024, sum[1]),
          count == null ? null : new QuotaForecast.Resource(count.usage(), count.limit(), sum[0]));
    }).toList();
    return new QuotaForecast(true, figures, work.messages(), work.bytes(), tooLarge, tooLargeBytes, appendLimit);
  }
}
