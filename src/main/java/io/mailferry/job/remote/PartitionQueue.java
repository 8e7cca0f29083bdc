package io.mailferry.job.remote;

import javax.sql.DataSource;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.integration.jdbc.store.JdbcChannelMessageStore;
import org.springframework.integration.jdbc.store.channel.PostgresChannelMessageStoreQueryProvider;
import org.springframework.integration.store.MessageGroupQueue;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

/**
 * The channel from the manager to the workers: a Spring Integration QueueChannel whose messages
 * (Spring Batch StepExecutionRequests) are rows in the job store's PostgreSQL. A worker takes one
 * with SELECT ... FOR UPDATE SKIP LOCKED, so two workers never take the same request, and inside
 * the caller's transaction, so a request is either still queued or leased, never lost. Built on
 * first use: a local run on H2 never touches it.
 */
@Component
public class PartitionQueue {

  /** One queue for every migration: any worker may run any partition. */
  private static final String GROUP = "mailferry-partitions";

  private final DataSource dataSource;
  private volatile QueueChannel channel;

  public PartitionQueue(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** What the manager's partition handler sends through. */
  MessagingTemplate template() {
    MessagingTemplate template = new MessagingTemplate();
    template.setDefaultChannel(channel());
    return template;
  }

  /** Puts a request (back) on the queue, e.g. a partition whose worker died. */
  void send(StepExecutionRequest request) {
    template()
        .send(org.springframework.integration.support.MessageBuilder.withPayload(request).build());
  }

  /** The next request, or null when none is queued. Call inside a transaction. */
  StepExecutionRequest poll() {
    Message<?> message = channel().receive(0);
    return message == null ? null : (StepExecutionRequest) message.getPayload();
  }

  private QueueChannel channel() {
    QueueChannel c = channel;
    if (c == null) {
      synchronized (this) {
        if (channel == null) {
          JdbcChannelMessageStore store = new JdbcChannelMessageStore(dataSource);
          store.setChannelMessageStoreQueryProvider(new PostgresChannelMessageStoreQueryProvider());
          store.setTablePrefix("MF_");
          store.setRegion("mailferry");
          // Requests are deserialized only into these classes: a row someone slipped into the
          // table cannot make a worker instantiate anything else.
          store.addAllowedPatterns(
              "org.springframework.batch.integration.partition.StepExecutionRequest",
              "org.springframework.messaging.*",
              "org.springframework.integration.*",
              "java.util.*",
              "java.lang.*");
          store.afterPropertiesSet();
          channel = new QueueChannel(new MessageGroupQueue(store, GROUP));
        }
        c = channel;
      }
    }
    return c;
  }
}
