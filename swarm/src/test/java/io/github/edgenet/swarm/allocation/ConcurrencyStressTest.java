package io.github.edgenet.swarm.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.internal.TestEnvelopes;
import io.github.edgenet.swarm.memory.CollectiveMemory;
import io.github.edgenet.swarm.memory.Trace;
import io.github.edgenet.swarm.stigmergy.PheromoneField;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The three shared structures used from several threads at once lose no update. */
class ConcurrencyStressTest {
  static final int THREADS = 4;
  static final int OPS = 2_000;

  private static void race(java.util.function.IntConsumer body) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < THREADS; t++) {
      int id = t;
      Thread th = new Thread(() -> {
        try {
          start.await();
          body.accept(id);
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      th.start();
      ts.add(th);
    }
    start.countDown();
    for (Thread th : ts) {
      th.join();
    }
    assertEquals(List.of(), errors);
  }

  @Test
  void concurrentRecordsChoicesDepositsAndRecallsLoseNothing() throws Exception {
    NodeId w = TestEnvelopes.id(1);
    List<NodeId> cands = List.of(w, TestEnvelopes.id(2));
    TaskAllocator a = TaskAllocator.builder(TestEnvelopes.id(0)).build();
    race(t -> {
      RandomSource r = RandomSource.seeded(t);
      for (int i = 0; i < OPS; i++) {
        a.record((long) t * OPS + i, w, "x", 1, true);
        a.record((long) t * OPS + i, w, "x", 1, true); // duplicate id: ignored
        a.chooseThompson("x", cands, r);
      }
    });
    assertEquals(THREADS * OPS, a.posterior(w, "x").observations());

    VirtualClock clock = new VirtualClock();
    PheromoneField f = PheromoneField.builder(TestEnvelopes.id(0), clock).build();
    race(t -> {
      RandomSource r = RandomSource.seeded(t);
      for (int i = 0; i < OPS; i++) {
        f.deposit("x", w, 0.001);
        f.select("x", cands, r);
      }
    });
    assertEquals(THREADS * OPS * 0.001, f.level("x", w), 1e-9);

    CollectiveMemory m = CollectiveMemory.builder(TestEnvelopes.id(0), 8).episodicCapacity(7).build();
    race(t -> {
      RandomSource r = RandomSource.seeded(t);
      float[] v = new float[8];
      v[t] = 1;
      for (int i = 0; i < OPS / 4; i++) {
        m.remember(new Trace(v, 0.5, Set.of("t" + t), i));
        m.recall(v, 1);
        v[(t + 4) % 8] = (float) (0.01 * r.nextGaussian());
      }
    });
    m.consolidate();
    long traces = 0;
    for (int s = 0; s < m.patterns(); s++) {
      traces += m.pattern(s).traces();
    }
    assertEquals(THREADS * (OPS / 4), traces);
    assertEquals(THREADS, m.patterns());
  }
}
