package io.github.edgenet.swarm.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.net.Cancellable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

  /** A clock the test moves by hand. */
  private static final class ManualClock implements Clock {
    final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanos() {
      return nanos.get();
    }

    @Override
    public long epochMillis() {
      return nanos.get() / 1_000_000;
    }
  }

  private record Planned(int id, long due, long order) {}

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42})
  void timersRunInDueThenSchedulingOrderAndCancelledNever(long seed) throws Exception {
    System.out.println("SerialExecutorTest seed " + seed);
    RandomSource random = RandomSource.seeded(seed);
    ManualClock clock = new ManualClock();
    SerialExecutor ex = new SerialExecutor(clock, 10, "test-" + seed);
    try {
      List<Integer> ran = new CopyOnWriteArrayList<>();
      List<Planned> expected = new ArrayList<>();
      List<Cancellable> handles = new ArrayList<>();
      int n = 2000;
      for (int i = 0; i < n; i++) {
        // Few distinct instants, so many timers share one: their order must be scheduling order.
        long delay = (1 + random.nextInt(20)) * 1_000_000L;
        int id = i;
        handles.add(ex.schedule(delay, () -> ran.add(id)));
        expected.add(new Planned(id, delay, i));
      }
      List<Planned> kept = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (random.nextInt(4) == 0) {
          assertTrue(handles.get(i).cancel(), "first cancel of " + i);
          assertFalse(handles.get(i).cancel(), "second cancel of " + i);
        } else {
          kept.add(expected.get(i));
        }
      }
      Thread.sleep(20);
      assertTrue(ran.isEmpty(), "nothing is due before the clock moves: " + ran.size());
      clock.nanos.set(10_500_000); // half the instants are due
      kept.sort(Comparator.comparingLong(Planned::due).thenComparingLong(Planned::order));
      List<Integer> firstHalf = kept.stream().filter(p -> p.due <= 10_500_000)
          .map(Planned::id).toList();
      awaitSize(ran, firstHalf.size());
      assertEquals(firstHalf, List.copyOf(ran));
      clock.nanos.set(1_000_000_000);
      awaitSize(ran, kept.size());
      assertEquals(kept.stream().map(Planned::id).toList(), List.copyOf(ran));
      for (Cancellable h : handles) {
        assertFalse(h.cancel(), "every timer has run or was cancelled");
      }
    } finally {
      ex.shutdown(1000);
    }
  }

  private static void awaitSize(List<?> list, int size) throws InterruptedException {
    for (int i = 0; i < 2000 && list.size() < size; i++) {
      Thread.sleep(5);
    }
    assertEquals(size, list.size());
  }

  @Test
  void theQueueIsBoundedAndTasksRunOneAtATimeInOrder() throws Exception {
    SerialExecutor ex = new SerialExecutor(Clock.system(), 3, "bounded");
    try {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      List<Integer> ran = new CopyOnWriteArrayList<>();
      assertTrue(ex.offer(() -> {
        started.countDown();
        await(release);
      }));
      assertTrue(started.await(10, TimeUnit.SECONDS));
      assertTrue(ex.offer(() -> ran.add(1)));
      assertTrue(ex.offer(() -> ran.add(2)));
      assertTrue(ex.offer(() -> ran.add(3)));
      assertFalse(ex.offer(() -> ran.add(4)), "a fourth waiting task exceeds the bound of 3");
      assertTrue(ex.submit(() -> ran.add(5)), "submit ignores the bound");
      release.countDown();
      awaitSize(ran, 4);
      assertEquals(List.of(1, 2, 3, 5), List.copyOf(ran));
    } finally {
      ex.shutdown(1000);
    }
  }

  @Test
  void aThrowingTaskDoesNotStopTheThread() throws Exception {
    SerialExecutor ex = new SerialExecutor(Clock.system(), 10, "throwing");
    try {
      List<Integer> ran = new CopyOnWriteArrayList<>();
      ex.offer(() -> {
        throw new IllegalStateException("deliberate");
      });
      ex.offer(() -> ran.add(1));
      awaitSize(ran, 1);
    } finally {
      ex.shutdown(1000);
    }
  }

  @Test
  void shutdownDropsPendingWorkAndRefusesMore() throws Exception {
    SerialExecutor ex = new SerialExecutor(Clock.system(), 10, "shutdown");
    List<Integer> ran = new CopyOnWriteArrayList<>();
    Cancellable timer = ex.schedule(TimeUnit.MILLISECONDS.toNanos(100), () -> ran.add(1));
    ex.shutdown(1000);
    ex.shutdown(1000);
    assertFalse(timer.cancel());
    assertFalse(ex.offer(() -> ran.add(2)));
    assertFalse(ex.submit(() -> ran.add(3)));
    assertThrows(IllegalStateException.class, () -> ex.schedule(0, () -> ran.add(4)));
    Thread.sleep(150);
    assertTrue(ran.isEmpty());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
