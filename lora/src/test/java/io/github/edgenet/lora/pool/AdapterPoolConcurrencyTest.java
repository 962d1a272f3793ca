package io.github.edgenet.lora.pool;

import static io.github.edgenet.lora.pool.PoolFixtures.assertConsistent;
import static io.github.edgenet.lora.pool.PoolFixtures.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.Optimizer;
import io.github.edgenet.lora.LoraTrainer;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.pool.AdapterPool.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Several threads route (with requesters, so merges happen), put, pin, unpin, invalidate and
 * train at once, while a monitor checks the budget and the counters continuously. Deadlocks show
 * up as a timeout.
 */
class AdapterPoolConcurrencyTest {
  static final int DIM = 8;

  @Test
  void routingTrainingAndChangesInParallelKeepTheBudgetAndTheCounts() throws Exception {
    long seed = 301;
    System.out.println("AdapterPoolConcurrencyTest seed " + seed);
    RandomSource root = RandomSource.seeded(seed);
    VirtualClock clock = new VirtualClock();
    RandomSource factoryRandom = root.derive("factory"); // used under the pool's write lock only
    PoolFixtures.Removals removals = new PoolFixtures.Removals();
    AtomicLong mergesHeard = new AtomicLong();
    AtomicLong refusalsHeard = new AtomicLong();
    MicroLora sample = MicroLora.builder(16, 16).rank(2).seed(1).build();
    AdapterPool probe = AdapterPool.builder(DIM).maximumBytes(1).build();
    long budget = 20 * probe.entryBytes(sample);
    AdapterPool pool = AdapterPool.builder(DIM).maximumBytes(budget).similarityThreshold(0.6f)
        .factory(e -> MicroLora.builder(16, 16).rank(1 + factoryRandom.nextInt(3)).random(factoryRandom).build())
        .removalListener(removals)
        .clock(clock)
        .autoMerge(4, Duration.ofSeconds(5))
        .maxMergeError(1.0)
        .mergeListener(new MergeListener() {
          @Override
          public void onMerge(MergeProvenance provenance) {
            mergesHeard.incrementAndGet();
          }

          @Override
          public void onRefusal(String a, String b, Refusal reason, double error) {
            refusalsHeard.incrementAndGet();
          }
        })
        .build();

    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<String> violation = new AtomicReference<>();
    AtomicLong routes = new AtomicLong();
    AtomicLong created = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Callable<Void>> tasks = new ArrayList<>();

    for (int t = 0; t < 2; t++) {
      RandomSource r = root.derive("router" + t);
      String requester = "requester" + t;
      tasks.add(() -> {
        start.await();
        float[] x = new float[16];
        float[] y = new float[16];
        for (int i = 0; i < 3000; i++) {
          clock.advanceNanos(1_000_000);
          Route route = pool.route(requester + (i % 3), gaussian(r, DIM)).orElseThrow();
          routes.incrementAndGet();
          if (route.created()) {
            created.incrementAndGet();
          }
          x[i % 16] = (float) r.nextGaussian();
          java.util.Arrays.fill(y, 0f);
          route.adapter().forward(x, 0, y, 0);
          for (float v : y) {
            if (!Float.isFinite(v)) {
              violation.compareAndSet(null, "non-finite output " + v);
            }
          }
        }
        return null;
      });
    }
    RandomSource mr = root.derive("mutator");
    tasks.add(() -> {
      start.await();
      for (int i = 0; i < 3000; i++) {
        String key = "m" + mr.nextInt(12);
        switch (mr.nextInt(5)) {
          case 0, 1 -> {
            try {
              pool.put(key, gaussian(mr, DIM), MicroLora.builder(16, 16).rank(2).random(mr).build());
            } catch (IllegalStateException e) {
              // everything else pinned: fine
            }
          }
          case 2 -> pool.pin(key);
          case 3 -> pool.unpin(key);
          default -> pool.invalidate(key);
        }
      }
      return null;
    });
    RandomSource tr = root.derive("trainer");
    float[] task = gaussian(tr, DIM);
    tasks.add(() -> {
      start.await();
      Map<LoraAdapter, LoraTrainer> trainers = new IdentityHashMap<>();
      for (int i = 0; i < 1500; i++) {
        Route route = pool.route(task).orElseThrow();
        routes.incrementAndGet();
        if (route.created()) {
          created.incrementAndGet();
        }
        if (route.adapter() instanceof MicroLora lora) {
          LoraTrainer trainer = trainers.computeIfAbsent(lora,
              a -> LoraTrainer.builder(lora).optimizer(Optimizer.sgd(0.01f)).maxGradientNorm(1f).build());
          trainer.accumulate(gaussian(tr, 16), gaussian(tr, 16));
          trainer.step();
        }
      }
      return null;
    });
    Callable<Void> monitor = () -> {
      start.await();
      long lastRoutes = 0;
      while (!done.get()) {
        AdapterPool.Stats s = pool.stats();
        if (s.bytes() > budget) {
          violation.compareAndSet(null, "over budget: " + s);
        }
        if (s.pinnedBytes() > s.bytes()) {
          violation.compareAndSet(null, "pinned bytes above total: " + s);
        }
        long counted = s.hits() + s.misses();
        if (counted < lastRoutes) {
          violation.compareAndSet(null, "route counter went backwards: " + s);
        }
        lastRoutes = counted;
        Thread.onSpinWait();
      }
      return null;
    };

    ExecutorService executor = Executors.newFixedThreadPool(tasks.size() + 1);
    try {
      Future<Void> monitored = executor.submit(monitor);
      List<Future<Void>> futures = new ArrayList<>();
      for (Callable<Void> task1 : tasks) {
        futures.add(executor.submit(task1));
      }
      start.countDown();
      for (Future<Void> f : futures) {
        f.get(60, TimeUnit.SECONDS); // a deadlock fails here
      }
      done.set(true);
      monitored.get(10, TimeUnit.SECONDS);
    } finally {
      done.set(true);
      executor.shutdownNow();
      assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    }

    assertEquals(null, violation.get());
    assertConsistent(pool);
    AdapterPool.Stats s = pool.stats();
    System.out.println("  " + s);
    assertEquals(routes.get(), s.hits() + s.misses(), "every route counted once");
    assertEquals(created.get(), s.creations(), "every creation counted once");
    assertEquals(removals.count(RemovalReason.SIZE), s.evictions());
    assertEquals(mergesHeard.get(), s.merges());
    assertEquals(refusalsHeard.get(), s.refusedMerges());
    assertTrue(s.evictions() > 0 && s.creations() > 0, "the budget and the factory were exercised");
    assertTrue(s.merges() > 0, "merges happened under contention: " + s);
  }
}
