package io.github.edgenet.swarm.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.vector.QuantizedKernels;
import io.github.edgenet.swarm.internal.TestEnvelopes;
import io.github.edgenet.swarm.protocol.SwarmMessageTypes;
import io.github.edgenet.swarm.protocol.SwarmProtocolException;
import io.github.edgenet.swarm.protocol.SwarmProtocolException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CollectiveMemoryTest {

  static float[] gaussian(RandomSource r, int d) {
    float[] x = new float[d];
    for (int j = 0; j < d; j++) {
      x[j] = (float) r.nextGaussian();
    }
    return x;
  }

  static float[] near(RandomSource r, float[] c, double noise) {
    float[] x = c.clone();
    for (int j = 0; j < x.length; j++) {
      x[j] += (float) (noise * r.nextGaussian());
    }
    return x;
  }

  static void restore(CollectiveMemory m, long seq, float[] v, double confidence) {
    m.restore(new Pattern(new PatternId(TestEnvelopes.id(0), seq), v, List.of(), confidence, 1, 0));
  }

  /** A memory of n patterns around 50 cluster centres, with exact duplicates for ties. */
  static CollectiveMemory randomMemory(RandomSource r, int n, int d, boolean quantized) {
    CollectiveMemory m = CollectiveMemory.builder(TestEnvelopes.id(0), d)
        .maxPatterns(n).quantizedIndex(quantized).build();
    float[][] centres = new float[50][];
    for (int c = 0; c < centres.length; c++) {
      centres[c] = gaussian(r, d);
    }
    float[] dup = null;
    for (int i = 0; i < n; i++) {
      if (i % 97 == 5 && dup != null) {
        restore(m, i, dup, 0.3); // an exact tie with an earlier pattern
        continue;
      }
      float[] v = near(r, centres[r.nextInt(centres.length)], 0.6 + r.nextDouble());
      if (i % 97 == 4) {
        dup = v;
        restore(m, i, v, 0.3);
      } else {
        restore(m, i, v, 0.05 + 0.45 * r.nextDouble());
      }
    }
    return m;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void quantizedRecallEqualsExactRecallEqualsBruteForce(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    int d = seed % 2 == 0 ? 256 : 77; // 77: a padded last block
    int n = 4000;
    CollectiveMemory q = randomMemory(RandomSource.seeded(seed), n, d, true);
    CollectiveMemory f = randomMemory(RandomSource.seeded(seed), n, d, false);
    int k = 10;
    int[] slotsQ = new int[k];
    float[] scoresQ = new float[k];
    int[] slotsF = new int[k];
    float[] scoresF = new float[k];
    long candidates = 0;
    float[][] cents = new float[n][];
    double[] confs = new double[n];
    for (int s = 0; s < n; s++) {
      Pattern p = f.pattern(s);
      cents[s] = p.centroid();
      confs[s] = (float) p.confidence();
    }
    for (int t = 0; t < 30; t++) {
      float[] query = t % 3 == 0 ? gaussian(r, d) : near(r, cents[r.nextInt(n)], 0.05);
      assertEquals(k, q.recall(query, k, slotsQ, scoresQ));
      candidates += q.lastCandidates();
      assertEquals(k, f.recallExact(query, k, slotsF, scoresF));
      assertArrayEquals(slotsF, slotsQ, "seed " + seed + " query " + t + ": Q8_0 path differs");
      assertArrayEquals(scoresF, scoresQ, 0f);
      // Brute force in double over the same unit centroids and confidences.
      double qn = 0;
      for (float v : query) {
        qn += (double) v * v;
      }
      qn = Math.sqrt(qn);
      double[] exact = new double[n];
      Integer[] order = new Integer[n];
      for (int s = 0; s < n; s++) {
        float[] c = cents[s];
        double dot = 0;
        for (int j = 0; j < d; j++) {
          dot += query[j] / qn * c[j];
        }
        exact[s] = confs[s] * dot;
        order[s] = s;
      }
      Arrays.sort(order, (a, b) -> exact[a] != exact[b] ? Double.compare(exact[b], exact[a]) : a - b);
      for (int i = 0; i < k; i++) {
        // Same ranks up to float rounding: a swap is only allowed between near-equal scores.
        assertEquals(exact[order[i]], scoresF[i], 2e-6, "seed " + seed + " rank " + i);
      }
    }
    double meanCandidates = candidates / 30.0;
    System.out.printf("seed %d d=%d: Q8_0 re-ranked %.1f of %d rows per recall%n", seed, d, meanCandidates, n);
    assertTrue(meanCandidates < 0.25 * n, "the candidate bound pruned too little: " + meanCandidates);
  }

  @Test
  void q8ErrorStaysWithinTheAnalyticPerBlockBound() {
    RandomSource r = RandomSource.seeded(9);
    int d = 256;
    int blocks = QuantizedKernels.blocks(d);
    byte[] qs = new byte[blocks * 32];
    short[] sc = new short[blocks];
    float[] back = new float[d];
    for (int t = 0; t < 500; t++) {
      float[] x = gaussian(r, d);
      if (t % 5 == 0) {
        for (int j = 0; j < 32; j++) {
          x[j] *= 1e-4f; // a block whose half-float scale is subnormal
        }
      }
      QuantizedKernels.quantizeQ8_0(x, 0, d, qs, 0, sc, 0);
      QuantizedKernels.dequantizeQ8_0(qs, 0, sc, 0, back, 0, d);
      for (int b = 0; b < blocks; b++) {
        double amax = 0;
        for (int j = 0; j < 32; j++) {
          amax = Math.max(amax, Math.abs(x[b * 32 + j]));
        }
        double df = amax / 127;
        // |x - q d_h| <= d_f / 2 + 127 |d_f - d_h|, |d_f - d_h| <= max(d_f 2^-11, 2^-25).
        double perElement = df / 2 + 127 * Math.max(df * 0x1p-11, 0x1p-25);
        for (int j = 0; j < 32; j++) {
          double e = Math.abs((double) x[b * 32 + j] - back[b * 32 + j]);
          assertTrue(e <= perElement * (1 + 1e-6), "block " + b + ": error " + e + " > bound " + perElement);
        }
      }
    }
  }

  @Test
  void tracesConsolidateIntoPatternsWithCommonTagsAndConfidence() {
    RandomSource r = RandomSource.seeded(3);
    int d = 32;
    CollectiveMemory m = CollectiveMemory.builder(TestEnvelopes.id(0), d).episodicCapacity(1000).build();
    float[][] centres = {gaussian(r, d), gaussian(r, d), gaussian(r, d)};
    int[] sizes = {10, 20, 30};
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < sizes[c]; i++) {
        Set<String> tags = i % 3 == 0 ? Set.of("type" + c) : Set.of("type" + c, "rare" + i);
        m.remember(new Trace(near(r, centres[c], 0.05), 0.8, tags, i));
      }
    }
    assertEquals(60, m.episodicSize());
    assertEquals(60, m.consolidate());
    assertEquals(3, m.patterns());
    for (int s = 0; s < 3; s++) {
      Pattern p = m.pattern(s);
      assertEquals(sizes[s], p.traces());
      assertEquals(List.of("type" + s), p.commonTags());
      assertEquals(0.8 * sizes[s] / (sizes[s] + 1), p.confidence(), 1e-12);
      float cos = io.github.edgenet.core.vector.VectorKernels.cosine(p.centroid(), centres[s]);
      assertTrue(cos > 0.99, "centroid off its cluster: " + cos);
    }
    List<RecalledPattern> top = m.recall(near(r, centres[1], 0.05), 1);
    assertEquals(1, top.getFirst().pattern().id().sequence());
    assertEquals(1, m.pattern(1).accessCount());
  }

  @Test
  void restoredSnapshotsReadBackAsTheyWereStored() {
    RandomSource r = RandomSource.seeded(8);
    CollectiveMemory m = CollectiveMemory.builder(TestEnvelopes.id(0), 8).build();
    float[] v = gaussian(r, 8);
    Pattern p = new Pattern(new PatternId(TestEnvelopes.id(4), 17), v, List.of("a", "b"), 0.75, 3, 9);
    int slot = m.restore(p);
    Pattern back = m.pattern(slot);
    assertEquals(p.id(), back.id());
    assertEquals(List.of("a", "b"), back.commonTags());
    assertEquals(0.75, back.confidence(), 1e-12);
    assertEquals(3, back.traces());
    assertEquals(9, back.accessCount());
    assertEquals(1f, io.github.edgenet.core.vector.VectorKernels.cosine(v, back.centroid()), 1e-6f);
    assertThrows(IllegalArgumentException.class, () -> m.restore(p));
  }

  @Test
  void evictionDropsTheLowestRetention() {
    RandomSource r = RandomSource.seeded(4);
    int d = 16;
    CollectiveMemory m = CollectiveMemory.builder(TestEnvelopes.id(0), d).maxPatterns(3).episodicCapacity(1).build();
    float[][] v = {gaussian(r, d), gaussian(r, d), gaussian(r, d), gaussian(r, d)};
    m.remember(new Trace(v[0], 0.9, Set.of(), 0));
    m.remember(new Trace(v[1], 0.2, Set.of(), 1));
    m.remember(new Trace(v[2], 0.2, Set.of(), 2));
    m.recall(v[2], 1); // pattern 2 is accessed: its retention rises above pattern 1's
    m.remember(new Trace(v[3], 0.5, Set.of(), 3));
    assertEquals(3, m.patterns());
    List<Long> held = new java.util.ArrayList<>();
    for (int s = 0; s < 3; s++) {
      held.add(m.pattern(s).id().sequence());
    }
    held.sort(null);
    assertEquals(List.of(0L, 2L, 3L), held, "pattern 1 (lowest retention) should have gone");
  }

  @Test
  void patternsFromPeersMergeIdempotentlyAndBadOnesChangeNothing() throws Exception {
    TestEnvelopes env = new TestEnvelopes();
    EnvelopeSender sa = env.sender(TestEnvelopes.identity(1));
    RandomSource r = RandomSource.seeded(5);
    int d = 24;
    CollectiveMemory a = CollectiveMemory.builder(sa.id(), d).episodicCapacity(1).build();
    CollectiveMemory b = CollectiveMemory.builder(TestEnvelopes.id(2), d).episodicCapacity(1).build();
    float[] c = gaussian(r, d);
    a.remember(new Trace(c, 0.9, Set.of("x"), 0));
    a.remember(new Trace(near(r, c, 0.01), 0.9, Set.of("x"), 1));
    byte[] payload = a.ownPayloads(10).getFirst();
    assertEquals(1, b.merge(env.roundTrip(sa, SwarmMessageTypes.MEMORY_PATTERNS, payload)));
    assertEquals(0, b.merge(env.roundTrip(sa, SwarmMessageTypes.MEMORY_PATTERNS, payload)));
    Pattern got = b.recall(c, 1).getFirst().pattern();
    assertEquals(sa.id(), got.id().origin());
    assertEquals(2, got.traces());
    assertEquals(List.of("x"), got.commonTags());
    assertEquals(a.pattern(0).confidence(), got.confidence(), 1e-12);

    CollectiveMemory fresh = CollectiveMemory.builder(TestEnvelopes.id(3), d).build();
    byte[] nan = payload.clone();
    int firstFloat = payload.length - 4 * d;
    ByteBuffer.wrap(nan).putFloat(firstFloat, Float.NaN);
    byte[] skewed = payload.clone();
    ByteBuffer.wrap(skewed).putFloat(firstFloat, 3f);
    byte[] dim = payload.clone();
    ByteBuffer.wrap(dim).putShort(1, (short) 25);
    for (byte[] bad : List.of(nan, skewed, dim, Arrays.copyOf(payload, payload.length - 1))) {
      SwarmProtocolException ex = assertThrows(SwarmProtocolException.class,
          () -> fresh.merge(env.roundTrip(sa, SwarmMessageTypes.MEMORY_PATTERNS, bad)));
      assertTrue(ex.reason() == Reason.BAD_VALUE || ex.reason() == Reason.TRUNCATED, ex.getMessage());
    }
    assertEquals(0, fresh.patterns(), "a rejected payload changed state");
  }

  @Test
  void ownPatternsRestoredAfterARestartKeepTheirIdsAndNewOnesDoNotCollide() throws Exception {
    RandomSource r = RandomSource.seeded(6);
    int d = 24;
    CollectiveMemory before = CollectiveMemory.builder(TestEnvelopes.id(1), d).episodicCapacity(1)
        .build();
    for (int k = 0; k < 3; k++) {
      float[] c = gaussian(r, d);
      before.remember(new Trace(c, 0.9, Set.of("x"), 2 * k));
      before.remember(new Trace(near(r, c, 0.01), 0.9, Set.of("x"), 2 * k + 1));
    }
    before.consolidate();
    List<byte[]> stored = before.ownPayloads(10);
    CollectiveMemory after = CollectiveMemory.builder(TestEnvelopes.id(1), d).episodicCapacity(1)
        .build();
    for (byte[] payload : stored) {
      after.restoreOwn(ByteBuffer.wrap(payload));
    }
    assertEquals(before.patterns(), after.patterns());
    long maxSeq = -1;
    for (int s = 0; s < after.patterns(); s++) {
      Pattern p = after.pattern(s);
      assertEquals(TestEnvelopes.id(1), p.id().origin());
      maxSeq = Math.max(maxSeq, p.id().sequence());
    }
    assertEquals(stored.size(), after.ownPayloads(10).size());
    assertArrayEquals(stored.getFirst(), after.ownPayloads(10).getFirst(), "the same registers");
    float[] fresh = gaussian(r, d);
    after.remember(new Trace(fresh, 0.9, Set.of("y"), 10));
    after.remember(new Trace(near(r, fresh, 0.01), 0.9, Set.of("y"), 11));
    after.consolidate();
    long newest = after.recall(fresh, 1).getFirst().pattern().id().sequence();
    assertTrue(newest > maxSeq, "new pattern " + newest + " after restored " + maxSeq);

    byte[] bad = stored.getFirst().clone();
    ByteBuffer.wrap(bad).putFloat(bad.length - 4 * d, Float.NaN);
    CollectiveMemory empty = CollectiveMemory.builder(TestEnvelopes.id(1), d).build();
    assertThrows(SwarmProtocolException.class, () -> empty.restoreOwn(ByteBuffer.wrap(bad)));
    assertEquals(0, empty.patterns(), "a rejected payload changed state");
  }
}
