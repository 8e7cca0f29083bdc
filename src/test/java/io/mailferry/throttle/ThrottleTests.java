package io.mailferry.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailferry.mail.MailferryException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThrottleTests {

  @Test
  void every_signal_a_server_uses_to_ask_for_a_slower_pace_is_recognised() {
    assertThat(ThrottleSignal.inText("A1 NO [THROTTLED] Too many commands")).isNotNull();
    assertThat(ThrottleSignal.inText("A1 NO [UNAVAILABLE] Server busy")).isNotNull();
    assertThat(ThrottleSignal.inText("A1 NO [LIMIT] Too many appends")).isNotNull();
    assertThat(ThrottleSignal.inText("A1 NO [INUSE] Mailbox in use")).isNotNull();
    assertThat(
            ThrottleSignal.inText("A1 NO [OVERQUOTA] Account exceeded command or bandwidth limits"))
        .isNotNull();
    assertThat(
            ThrottleSignal.inText(
                "Maximum number of connections from user+IP exceeded (mail_max_userip_connections=5)"))
        .isNotNull();
    assertThat(
            ThrottleSignal.inText(
                    "A1 NO Request is throttled. Suggested Backoff Time: 1500 milliseconds")
                .suggested())
        .isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void a_full_mailbox_or_a_plain_refusal_is_not_a_request_to_slow_down() {
    assertThat(ThrottleSignal.inText("A1 NO [OVERQUOTA] Quota exceeded (mailbox for user is full)"))
        .isNull();
    assertThat(ThrottleSignal.inText("A1 NO [CANNOT] Invalid flag")).isNull();
    assertThat(
            ThrottleSignal.inText(
                "A1 NO [LIMIT] Mail size is larger than the maximum size allowed"))
        .isNull();
    assertThat(ThrottleSignal.inText("A1 NO Mailbox doesn't exist: Nope")).isNull();
  }

  @Test
  void a_token_bucket_lets_takers_through_at_its_rate() {
    TokenBucket bucket = new TokenBucket(100);
    long start = System.nanoTime();
    for (int i = 0; i < 60; i++) {
      bucket.take(1);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // 60 tokens at 100/s, of which at most 10 (a tenth of a second) were in the bucket at the
    // start.
    assertThat(seconds).isBetween(0.45, 0.8);
  }

  @Test
  void backoff_waits_at_least_the_suggested_time_then_gives_up_past_the_total_wait() {
    AtomicInteger lowered = new AtomicInteger();
    Backoff backoff =
        new Backoff("destination", "mx.example", Duration.ofMillis(10), Duration.ofMillis(700));
    backoff.onSlowDown(period -> lowered.incrementAndGet());
    long start = System.nanoTime();
    backoff.pause(
        new ThrottleSignal("Suggested Backoff Time: 400 milliseconds", Duration.ofMillis(400)));
    assertThat((System.nanoTime() - start) / 1e6).isGreaterThanOrEqualTo(400);
    assertThat(lowered.get()).isEqualTo(1);

    assertThatThrownBy(
            () -> backoff.pause(new ThrottleSignal("[THROTTLED]", Duration.ofMillis(400))))
        .isInstanceOf(MailferryException.Temporary.class)
        .hasMessageContaining("kept asking to slow down")
        .extracting(e -> ((MailferryException) e).exitCode())
        .isEqualTo(75);
  }

  @Test
  void a_slow_down_halves_the_connections_in_use_and_closes_those_given_back_above_it()
      throws Exception {
    AtomicInteger closed = new AtomicInteger();
    ConnectionPool<AutoCloseable> pool =
        new ConnectionPool<>(4, () -> closed::incrementAndGet, c -> true);
    AutoCloseable[] held = new AutoCloseable[4];
    for (int i = 0; i < 4; i++) {
      held[i] = pool.acquire();
    }
    pool.slowDown(Duration.ofSeconds(30));
    pool.release(held[0]);
    pool.release(held[1]);
    assertThat(closed.get()).isEqualTo(2);
    assertThat(pool.openConnections()).isEqualTo(2);
    CompletableFuture<AutoCloseable> third =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return pool.acquire();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(third).failsWithin(300, TimeUnit.MILLISECONDS); // two in use: the lowered cap
    pool.release(held[2]);
    assertThat(third.get(2, TimeUnit.SECONDS)).isSameAs(held[2]);
    assertThat(pool.lowestCap()).isEqualTo(2);
  }

  @Test
  void accounts_sharing_a_host_budget_never_exceed_it_and_idle_connections_move_to_who_waits()
      throws Exception {
    LocalHostBudget host = new LocalHostBudget(2);
    ConnectionPool<AutoCloseable> alice = new ConnectionPool<>(2, () -> () -> {}, c -> true, host);
    ConnectionPool<AutoCloseable> bob = new ConnectionPool<>(2, () -> () -> {}, c -> true, host);
    AutoCloseable a1 = alice.acquire();
    AutoCloseable a2 = alice.acquire();
    alice.release(a1);
    alice.release(a2); // idle, but holding both of the host's slots

    AutoCloseable b1 =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return bob.acquire();
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .get(3, TimeUnit.SECONDS);

    assertThat(b1).isNotNull();
    assertThat(host.peakConnections()).isEqualTo(2);
    assertThat(alice.openConnections() + bob.openConnections()).isLessThanOrEqualTo(2);
  }
}
