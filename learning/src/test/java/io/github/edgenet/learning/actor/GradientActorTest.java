package io.github.edgenet.learning.actor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GradientActorTest {

  /**
   * 16 producers offer 2,000 integer vectors each into a mailbox of 8 while close() races them:
   * the actor's totals equal exactly the sum of the accepted vectors (integers: exact in double).
   */
  @Test
  void stressNoAcceptedUpdateIsLostAndRejectionsAreSeen() throws Exception {
    for (int trial = 0; trial < 3; trial++) {
      GradientActor actor = GradientActor.start("stress", 2, 8);
      int producers = 16;
      AtomicLong acceptedCount = new AtomicLong();
      AtomicLong acceptedSum = new AtomicLong();
      AtomicLong rejected = new AtomicLong();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        int id = p;
        threads.add(Thread.ofVirtual().start(() -> {
          try {
            go.await();
            for (int i = 0; i < 2000; i++) {
              boolean ok = (i & 1) == 0 ? actor.tryOffer(new float[] {1f, id * 2000 + i})
                  : actor.offer(new float[] {1f, id * 2000 + i}, Duration.ofMillis(1));
              if (ok) {
                acceptedCount.incrementAndGet();
                acceptedSum.addAndGet(id * 2000 + i);
              } else {
                rejected.incrementAndGet();
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }));
      }
      go.countDown();
      if (trial > 0) {
        Thread.sleep(trial * 5L); // close while producers still run
      } else {
        for (Thread t : threads) {
          t.join();
        }
      }
      actor.close();
      for (Thread t : threads) {
        t.join();
      }
      double[] total = actor.total();
      System.out.println("trial " + trial + ": accepted " + acceptedCount + ", rejected "
          + rejected);
      assertEquals(acceptedCount.get(), actor.processed());
      assertEquals((double) acceptedCount.get(), total[0]);
      assertEquals((double) acceptedSum.get(), total[1]);
      assertEquals(producers * 2000L, acceptedCount.get() + rejected.get());
      assertFalse(actor.tryOffer(new float[] {1f, 1f}), "closed actors reject");
    }
  }

  @Test
  void drainReturnsTheMeanSinceTheLastDrainInMailboxOrder() throws Exception {
    try (GradientActor actor = GradientActor.start("drain", 2, 4)) {
      assertTrue(actor.offer(new float[] {1f, 2f}, Duration.ofSeconds(1)));
      assertTrue(actor.offer(new float[] {3f, 6f}, Duration.ofSeconds(1)));
      GradientActor.Snapshot s = actor.drain().get();
      assertEquals(2, s.count());
      assertArrayEquals(new float[] {2f, 4f}, s.mean());
      assertEquals(0, actor.drain().get().count());
      assertThrows(IllegalArgumentException.class, () -> actor.tryOffer(new float[] {1f}));
      assertThrows(IllegalArgumentException.class,
          () -> actor.tryOffer(new float[] {Float.NaN, 1f}));
    }
  }

  @Test
  void aFullMailboxRejectsAfterTheTimeout() throws Exception {
    GradientActor actor = GradientActor.start("full", 1, 1);
    // Block the actor behind a drain whose reply nobody reads: it still completes, so instead fill
    // faster than it consumes by offering with no wait until one is refused.
    int refused = 0;
    for (int i = 0; i < 100_000 && refused == 0; i++) {
      if (!actor.tryOffer(new float[] {1f})) {
        refused++;
      }
    }
    actor.close();
    assertEquals(1, refused, "a bounded mailbox eventually refuses a producer that outruns it");
    assertThrows(IllegalStateException.class, () -> {
      try {
        actor.drain().join();
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause();
      }
    });
  }
}
