package io.mailferry.quota;

import io.mailferry.config.QuotaPolicy;
import io.mailferry.mail.MailferryException;
import io.mailferry.sink.MailSink;
import io.mailferry.sink.QuotaRoot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Puts what a run will write next to the destination's quota: GETQUOTAROOT for INBOX and each
 * destination folder, the pending messages and bytes summed per quota root (a folder under two
 * roots counts in both). With --quota-policy stop, a run that would not fit ends here.
 */
public final class QuotaPreflight {

  private QuotaPreflight() {}

  public static QuotaForecast forecast(MailSink sink, List<? extends ToWrite> work) {
    return forecastOver(sink.quotaRoots(work.stream().map(ToWrite::destination).toList()), work);
  }

  /**
   * @param rootsByFolder what the sink reported per destination folder; null without QUOTA
   *     capability
   */
  static QuotaForecast forecastOver(
      Map<String, List<QuotaRoot>> rootsByFolder, List<? extends ToWrite> work) {
    long messages = work.stream().mapToLong(ToWrite::messages).sum();
    long bytes = work.stream().mapToLong(ToWrite::bytes).sum();
    long tooLarge = work.stream().mapToLong(ToWrite::tooLarge).sum();
    long tooLargeBytes = work.stream().mapToLong(ToWrite::tooLargeBytes).sum();
    Long appendLimit =
        work.stream()
            .map(ToWrite::appendLimit)
            .filter(Objects::nonNull)
            .min(Long::compare)
            .orElse(null);
    if (rootsByFolder == null) {
      return new QuotaForecast(
          false, List.of(), messages, bytes, tooLarge, tooLargeBytes, appendLimit);
    }
    Map<String, QuotaRoot> roots = new LinkedHashMap<>();
    Map<String, long[]> toWrite = new LinkedHashMap<>(); // root → {messages, bytes}
    rootsByFolder
        .values()
        .forEach(
            list ->
                list.forEach(
                    r -> {
                      roots.putIfAbsent(r.name(), r);
                      toWrite.putIfAbsent(r.name(), new long[2]);
                    }));
    for (ToWrite folder : work) {
      for (QuotaRoot root : rootsByFolder.getOrDefault(folder.destination(), List.of())) {
        long[] sum = toWrite.get(root.name());
        sum[0] += folder.messages();
        sum[1] += folder.bytes();
      }
    }
    List<QuotaForecast.Root> figures =
        roots.values().stream()
            .map(
                root -> {
                  long[] sum = toWrite.get(root.name());
                  QuotaRoot.Usage storage = root.resource(QuotaRoot.STORAGE);
                  QuotaRoot.Usage count = root.resource(QuotaRoot.MESSAGE);
                  return new QuotaForecast.Root(
                      root.name(),
                      storage == null
                          ? null
                          : new QuotaForecast.Resource(
                              storage.usage() * 1024, storage.limit() * 1024, sum[1]),
                      count == null
                          ? null
                          : new QuotaForecast.Resource(count.usage(), count.limit(), sum[0]));
                })
            .toList();
    return new QuotaForecast(true, figures, messages, bytes, tooLarge, tooLargeBytes, appendLimit);
  }

  /**
   * With --quota-policy stop, a run that would overfill a quota root does not start: exit 73,
   * nothing written. Any other policy lets it start (the warnings have said what will happen).
   */
  public static void stopIfOverfilled(QuotaPolicy policy, QuotaForecast forecast) {
    List<QuotaForecast.Root> overfilled = forecast.overfilled();
    if (policy.action() == QuotaPolicy.Action.STOP && !overfilled.isEmpty()) {
      QuotaForecast.Root root = overfilled.get(0);
      throw new MailferryException.DestinationFull(
          "The destination's quota \""
              + root.name()
              + "\" is too small "
              + "for this migration: it lacks "
              + root.missing()
              + "; nothing was written (--quota-policy stop). "
              + "Free space or raise the quota, then run mailferry resume.",
          null);
    }
  }
}
