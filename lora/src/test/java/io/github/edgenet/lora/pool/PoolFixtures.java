package io.github.edgenet.lora.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.LoraScaling;
import io.github.edgenet.lora.MicroLora;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Shared helpers for the pool tests. */
final class PoolFixtures {
  private PoolFixtures() {}

  static float[] gaussian(RandomSource r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  /** An adapter with both factors random (so it is not a no-op). */
  static MicroLora lora(RandomSource r, int in, int out, int rank) {
    float[] a = gaussian(r, rank * in);
    float[] bt = gaussian(r, rank * out);
    for (int i = 0; i < a.length; i++) {
      a[i] /= (float) Math.sqrt(in);
    }
    return MicroLora.ofWeights(in, out, rank, rank, LoraScaling.STANDARD, a, bt);
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  static float[] forward(LoraAdapter adapter, float[] x) {
    float[] y = new float[adapter.outputDim()];
    adapter.forward(x, y);
    return y;
  }

  /** A removal listener that records every notice. */
  static final class Removals implements AdapterRemovalListener {
    record Notice(String key, LoraAdapter adapter, float[] embedding, RemovalReason reason) {}

    final List<Notice> notices = new ArrayList<>();

    @Override
    public synchronized void onRemoval(
        String key, LoraAdapter adapter, float[] embedding, RemovalReason reason) {
      notices.add(new Notice(key, adapter, embedding, reason));
    }

    synchronized long count(RemovalReason reason) {
      return notices.stream().filter(n -> n.reason() == reason).count();
    }
  }

  /**
   * Checks every invariant of the pool that can be observed from outside (and Caffeine's view):
   * the budget, the byte accounting against the entries, the pinned part, Caffeine's weighted size
   * and maximum, and the routing table's size.
   */
  static void assertConsistent(AdapterPool pool) {
    AdapterPool.Stats s = pool.stats();
    assertTrue(s.bytes() <= s.maxBytes(), "over budget: " + s);
    Set<String> keys = pool.keys();
    long bytes = 0;
    long pinned = 0;
    int pinnedCount = 0;
    for (String key : keys) {
      long cost = pool.entryBytes(pool.get(key).orElseThrow());
      bytes += cost;
      if (pool.isPinned(key)) {
        pinned += cost;
        pinnedCount++;
      }
    }
    assertEquals(keys.size(), s.entries(), "entries");
    assertEquals(bytes, s.bytes(), "bytes");
    assertEquals(pinned, s.pinnedBytes(), "pinned bytes");
    assertEquals(pinnedCount, s.pinnedEntries(), "pinned entries");
    assertEquals(s.bytes() - s.pinnedBytes(), pool.caffeineWeightedSize(), "Caffeine's weighted size");
    assertEquals(s.maxBytes() - s.pinnedBytes(), pool.caffeineMaximum(), "Caffeine's maximum");
    assertEquals(keys.size(), pool.routingRows(), "routing rows");
  }
}
