package io.mailferry.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ConnectionPoolTests {

  /** Counts what a real server would see: connections opened and not yet closed. */
  static final class Server {
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger openNow = new AtomicInteger();
    final AtomicInteger maxOpenNow = new AtomicInteger();

    Conn open() {
      int id = opens.incrementAndGet();
      maxOpenNow.accumulateAndGet(openNow.incrementAndGet(), Math::max);
      return new Conn(this, id);
    }
  }

  static final class Conn implements AutoCloseable {
    final Server server;
    final int id;
    volatile boolean alive = true;
    final AtomicInteger closeCalls = new AtomicInteger();

    Conn(Server server, int id) {
      this.server = server;
      this.id = id;
    }

    @Override
    public void close() {
      closeCalls.incrementAndGet();
      server.closes.incrementAndGet();
      server.openNow.decrementAndGet();
    }

    @Override
    public String toString() {
      return "Conn#" + id;
    }
  }

  private static ConnectionPool<Conn> pool(int cap, Server server) {
    return new ConnectionPool<>(cap, server::open, c -> c.alive);
  }

  @Test
  void sixteen_threads_never_hold_more_than_three_open_connections_with_a_cap_of_three() {
    Server server = new Server();
    ConnectionPool<Conn> pool = pool(3, server);
    AtomicInteger heldNow = new AtomicInteger();
    AtomicInteger maxHeld = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();

    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          ExecutorService threads = Executors.newFixedThreadPool(16);
          CountDownLatch start = new CountDownLatch(1);
          List<Future<?>> futures = new ArrayList<>();
          for (int t = 0; t < 16; t++) {
            futures.add(
                threads.submit(
                    () -> {
                      start.await();
                      for (int i = 0; i < 50; i++) {
                        Conn c = pool.acquire();
                        try {
                          maxHeld.accumulateAndGet(heldNow.incrementAndGet(), Math::max);
                          assertThat(c.closeCalls.get())
                              .as("a handed-out connection is open")
                              .isZero();
                          Thread.sleep(1 + (i % 3));
                          heldNow.decrementAndGet();
                        } finally {
                          pool.release(c);
                        }
                        completed.incrementAndGet();
                      }
                      return null;
                    }));
          }
          start.countDown();
          for (Future<?> f : futures) {
            f.get();
          }
          threads.shutdown();
          assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        });

    assertThat(completed.get()).isEqualTo(16 * 50);
    assertThat(server.maxOpenNow.get()).isLessThanOrEqualTo(3);
    assertThat(maxHeld.get()).isLessThanOrEqualTo(3);
    assertThat(pool.peakConnections()).isLessThanOrEqualTo(3).isEqualTo(server.maxOpenNow.get());
    // Nothing failed, so the three connections are reused: never more than three opens.
    assertThat(server.opens.get()).isBetween(1, 3);
    assertThat(server.closes.get()).isZero();
    assertThat(pool.openConnections()).isEqualTo(server.openNow.get());

    pool.close();
    assertThat(server.openNow.get()).isZero();
    assertThat(pool.openConnections()).isZero();
  }

  @Test
  void a_released_connection_is_reused_instead_of_opening_another() throws Exception {
    Server server = new Server();
    ConnectionPool<Conn> pool = pool(3, server);

    Conn first = pool.acquire();
    pool.release(first);
    Conn second = pool.acquire();
    pool.release(second);
    Conn third = pool.acquire();

    assertThat(second).isSameAs(first);
    assertThat(third).isSameAs(first);
    assertThat(server.opens.get()).isEqualTo(1);
    assertThat(pool.openConnections()).isEqualTo(1);
    assertThat(pool.peakConnections()).isEqualTo(1);
  }

  @Test
  void an_acquire_at_the_cap_waits_for_a_release_and_gets_the_released_connection()
      throws Exception {
    Server server = new Server();
    ConnectionPool<Conn> pool = pool(1, server);
    Conn held = pool.acquire();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Future<Conn> waiting = other.submit(pool::acquire);
      Thread.sleep(100);
      assertThat(waiting).isNotDone();

      pool.release(held);

      assertThat(waiting.get(5, TimeUnit.SECONDS)).isSameAs(held);
      assertThat(server.opens.get()).isEqualTo(1);
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void a_discarded_connection_is_closed_and_frees_its_slot_for_a_new_one() {
    Server server = new Server();
    ConnectionPool<Conn> pool = pool(1, server);

    Conn broken = assertTimeoutPreemptively(Duration.ofSeconds(5), pool::acquire);
    pool.discard(broken);
    Conn fresh = assertTimeoutPreemptively(Duration.ofSeconds(5), pool::acquire);

    assertThat(broken.closeCalls.get()).isEqualTo(1);
    assertThat(fresh).isNotSameAs(broken);
    assertThat(fresh.id).isEqualTo(2);
    assertThat(server.opens.get()).isEqualTo(2);
    assertThat(server.openNow.get()).isEqualTo(1);
    assertThat(pool.openConnections()).isEqualTo(1);
    assertThat(pool.peakConnections()).isEqualTo(1);
  }

  @Test
  void an_opener_that_throws_does_not_leak_a_slot() {
    Server server = new Server();
    AtomicInteger attempts = new AtomicInteger();
    Supplier<Conn> flaky =
        () -> {
          if (attempts.incrementAndGet() <= 10) {
            throw new IllegalStateException("connection refused #" + attempts.get());
          }
          return server.open();
        };
    ConnectionPool<Conn> pool = new ConnectionPool<>(1, flaky, c -> c.alive);

    for (int i = 1; i <= 10; i++) {
      assertThatThrownBy(pool::acquire)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("connection refused #" + i);
      assertThat(pool.openConnections()).isZero();
    }
    Conn good = assertTimeoutPreemptively(Duration.ofSeconds(5), pool::acquire);

    assertThat(good.id).isEqualTo(1);
    assertThat(attempts.get()).isEqualTo(11);
    assertThat(pool.openConnections()).isEqualTo(1);
    assertThat(pool.peakConnections()).isEqualTo(1);
  }

  @Test
  void a_waiting_acquire_is_woken_when_another_threads_open_fails() throws Exception {
    Server server = new Server();
    CountDownLatch opening = new CountDownLatch(1);
    CountDownLatch fail = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    Supplier<Conn> opener =
        () -> {
          if (attempts.incrementAndGet() == 1) {
            opening.countDown();
            try {
              fail.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("handshake failed");
          }
          return server.open();
        };
    ConnectionPool<Conn> pool = new ConnectionPool<>(1, opener, c -> c.alive);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<Conn> failing = threads.submit(pool::acquire);
      assertThat(opening.await(5, TimeUnit.SECONDS)).isTrue();
      Future<Conn> waiting = threads.submit(pool::acquire);
      Thread.sleep(100);
      assertThat(waiting).isNotDone();

      fail.countDown();

      assertThat(waiting.get(5, TimeUnit.SECONDS).id).isEqualTo(1);
      assertThatThrownBy(failing::get).hasRootCauseMessage("handshake failed");
      assertThat(pool.openConnections()).isEqualTo(1);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void a_dead_idle_connection_is_closed_and_replaced() throws Exception {
    Server server = new Server();
    ConnectionPool<Conn> pool = pool(1, server);
    Conn first = pool.acquire();
    pool.release(first);
    first.alive = false; // the server dropped it while it sat idle

    Conn second = assertTimeoutPreemptively(Duration.ofSeconds(5), pool::acquire);

    assertThat(second).isNotSameAs(first);
    assertThat(first.closeCalls.get()).isEqualTo(1);
    assertThat(server.opens.get()).isEqualTo(2);
    assertThat(server.openNow.get()).isEqualTo(1);
    assertThat(pool.openConnections()).isEqualTo(1);
    assertThat(pool.peakConnections()).isEqualTo(1);
  }

  @Test
  void close_closes_idle_connections_and_refuses_further_acquires() throws Exception {
    Server server = new Server();
    ConnectionPool<Conn> pool = pool(3, server);
    Conn a = pool.acquire();
    Conn b = pool.acquire();
    Conn inUse = pool.acquire();
    pool.release(a);
    pool.release(b);

    pool.close();

    assertThat(a.closeCalls.get()).isEqualTo(1);
    assertThat(b.closeCalls.get()).isEqualTo(1);
    assertThat(inUse.closeCalls.get()).isZero();
    assertThat(pool.openConnections()).isEqualTo(1);
    assertThatThrownBy(pool::acquire)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("connection pool closed");

    pool.release(inUse);

    assertThat(inUse.closeCalls.get()).isEqualTo(1);
    assertThat(server.openNow.get()).isZero();
    assertThat(pool.openConnections()).isZero();
    assertThat(pool.peakConnections()).isEqualTo(3);
  }

  @Test
  void a_cap_below_one_is_refused() {
    assertThatThrownBy(() -> new ConnectionPool<Conn>(0, () -> null, c -> true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the connection cap must be at least 1");
  }
}
