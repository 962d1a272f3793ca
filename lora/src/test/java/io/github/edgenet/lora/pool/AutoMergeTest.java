package io.github.edgenet.lora.pool;

import static io.github.edgenet.lora.pool.PoolFixtures.assertConsistent;
import static io.github.edgenet.lora.pool.PoolFixtures.gaussian;
import static io.github.edgenet.lora.pool.PoolFixtures.lora;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.lora.LoraMerge;
import io.github.edgenet.lora.LoraScaling;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.quant.QuantizedLora;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AutoMergeTest {
  static final int DIM = 8;
  static final Duration WINDOW = Duration.ofSeconds(10);

  /** Records what the merge listener hears. */
  static final class Heard implements MergeListener {
    final List<MergeProvenance> merges = new ArrayList<>();
    final List<String> refusals = new ArrayList<>();
    final List<Double> refusalErrors = new ArrayList<>();

    @Override
    public synchronized void onMerge(MergeProvenance provenance) {
      merges.add(provenance);
    }

    @Override
    public synchronized void onRefusal(String a, String b, Refusal reason, double error) {
      refusals.add(a + "+" + b + ":" + reason);
      refusalErrors.add(error);
    }
  }

  final VirtualClock clock = new VirtualClock();
  final Heard heard = new Heard();

  AdapterPool.Builder builder(int threshold) {
    return AdapterPool.builder(DIM).maximumBytes(1 << 20).clock(clock)
        .autoMerge(threshold, WINDOW).mergeListener(heard);
  }

  /** Two rank-2 adapters that share A: their weighted sum has rank 2, so a rank-2 merge is exact. */
  static MicroLora[] sharingA(RandomSource r) {
    float[] a = gaussian(r, 2 * 16);
    return new MicroLora[] {
      MicroLora.ofWeights(16, 12, 2, 2, LoraScaling.STANDARD, a, gaussian(r, 2 * 12)),
      MicroLora.ofWeights(16, 12, 2, 2, LoraScaling.STANDARD, a, gaussian(r, 2 * 12))
    };
  }

  void use(AdapterPool pool, String requester, String key, long atMillis) {
    clock.advanceTo(atMillis * 1_000_000L);
    assertTrue(pool.recordUse(requester, key));
  }

  int count(AdapterPool pool, String a, String b) {
    return pool.withTracker(t -> t.count(a, b));
  }

  @Test
  void mergesExactlyWhenTheThresholdIsReachedWithinTheWindow() {
    RandomSource r = RandomSource.seeded(1);
    MicroLora[] ab = sharingA(r);
    AdapterPool pool = builder(3).build();
    float[] ea = gaussian(r, DIM);
    float[] eb = gaussian(r, DIM);
    pool.put("a", ea, ab[0]);
    pool.put("b", eb, ab[1]);

    use(pool, "r1", "a", 0);
    use(pool, "r1", "a", 1000); // a again: no pair
    assertEquals(0, count(pool, "a", "b"));
    use(pool, "r1", "b", 2000); // b with a 1 s before: 1
    use(pool, "r1", "a", 3000); // 2
    assertEquals(2, count(pool, "a", "b"));
    assertEquals(0, pool.stats().merges(), "not before the threshold");
    assertEquals(Set.of("a", "b"), pool.keys());
    use(pool, "r1", "b", 4000); // 3: merged now, before recordUse returns
    assertEquals(1, pool.stats().merges());
    assertEquals(Set.of("a", "b", "merged-1"), pool.keys(), "the sources stay");

    MergeProvenance p = pool.provenance("merged-1").orElseThrow();
    assertEquals(List.of(p), heard.merges);
    assertEquals("merged-1", p.key());
    assertEquals(List.of("a", "b"), p.sourceKeys());
    assertEquals(0.6, p.sources().get(0).weight(), 1e-12, "a was used 3 times, b twice");
    assertEquals(0.4, p.sources().get(1).weight(), 1e-12);
    assertEquals(2, p.rank());
    assertTrue(p.relativeError() < 1e-6, "shared A: the sum has rank 2");
    assertEquals(clock.epochMillis(), p.mergedAtMillis());
    assertTrue(pool.provenance("a").isEmpty());

    // The merged adapter is 0.6 ΔW_a + 0.4 ΔW_b.
    MicroLora merged = (MicroLora) pool.get("merged-1").orElseThrow();
    float[] da = ab[0].deltaWeight();
    float[] db = ab[1].deltaWeight();
    float[] dm = merged.deltaWeight();
    double err = 0;
    double norm = 0;
    for (int i = 0; i < dm.length; i++) {
      double expected = 0.6 * da[i] + 0.4 * db[i];
      err += (dm[i] - expected) * (dm[i] - expected);
      norm += expected * expected;
    }
    assertTrue(Math.sqrt(err / norm) < 1e-5, "merged update " + Math.sqrt(err / norm));

    // Its embedding is the normalized weighted mean of the sources', and routes find it there.
    float[] na = pool.embedding("a").orElseThrow();
    float[] nb = pool.embedding("b").orElseThrow();
    float[] mean = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      mean[i] = 0.6f * na[i] + 0.4f * nb[i];
    }
    assertEquals(1.0, PoolFixtures.cosine(mean, pool.embedding("merged-1").orElseThrow()), 1e-6);
    AdapterPool.Route route = pool.route(mean).orElseThrow();
    assertEquals("merged-1", route.key());
    assertSame(merged, route.adapter());
    assertConsistent(pool);
  }

  @Test
  void usesOutsideTheWindowOrByOtherRequestersDoNotCount() {
    RandomSource r = RandomSource.seeded(2);
    MicroLora[] ab = sharingA(r);
    AdapterPool pool = builder(2).build();
    pool.put("a", gaussian(r, DIM), ab[0]);
    pool.put("b", gaussian(r, DIM), ab[1]);
    long w = WINDOW.toMillis();
    use(pool, "r1", "a", 0);
    use(pool, "r2", "b", 1); // another requester
    assertEquals(0, count(pool, "a", "b"));
    clock.advanceTo(w * 1_000_000L + 1); // the window plus 1 ns after a's use at 0
    assertTrue(pool.recordUse("r1", "b"));
    assertEquals(0, count(pool, "a", "b"), "window + 1 ns: not co-occurring");
    use(pool, "r1", "a", 3 * w); // b was used long ago
    use(pool, "r1", "b", 5 * w);
    assertEquals(0, count(pool, "a", "b"));
    use(pool, "r1", "a", 6 * w + 1);
    use(pool, "r1", "b", 7 * w + 1); // exactly the window: counts
    assertEquals(1, count(pool, "a", "b"));
    assertEquals(0, pool.stats().merges());
    use(pool, "r2", "a", 7 * w + 1);
    use(pool, "r2", "b", 7 * w + 1);
    assertEquals(1, pool.stats().merges(), "r1's and r2's co-uses add up to threshold 2");
    assertFalse(pool.recordUse("r1", "absent"));
  }

  /** Independent rank-4 adapters merged at rank 4 lose a lot: the bound refuses, repeatedly. */
  @Test
  void refusesMergesOverTheErrorBound() {
    RandomSource r = RandomSource.seeded(3);
    MicroLora a = lora(r, 24, 20, 4);
    MicroLora b = lora(r, 24, 20, 4);
    AdapterPool pool = builder(2).maxMergeError(0.05).build();
    pool.put("a", gaussian(r, DIM), a);
    pool.put("b", gaussian(r, DIM), b);
    for (int i = 0; i < 4; i++) {
      use(pool, "r", i % 2 == 0 ? "a" : "b", i);
    }
    // Uses a, b (1), a (2: due, refused, count restarts), b (1).
    assertEquals(List.of("a+b:ERROR_BOUND"), heard.refusals);
    double error = heard.refusalErrors.get(0);
    // a had 2 uses and b 1 when the pair became due.
    LoraMerge.Result expected = LoraMerge.builder().add(a, 2.0 / 3).add(b, 1.0 / 3).rank(4).merge();
    assertEquals(expected.relativeError(), error, 1e-12, "the bound was tested on the real error");
    assertTrue(error > 0.05);
    assertEquals(1, count(pool, "a", "b"));
    use(pool, "r", "a", 10);
    assertEquals(2, heard.refusals.size(), "refused again after another threshold of co-uses");
    assertEquals(2, pool.stats().refusedMerges());
    assertEquals(0, pool.stats().merges());
    assertEquals(Set.of("a", "b"), pool.keys());

    // With a bound above the error, the same history merges.
    AdapterPool lenient = builder(2).maxMergeError(1.0).build();
    lenient.put("a", gaussian(r, DIM), a);
    lenient.put("b", gaussian(r, DIM), b);
    use(lenient, "r", "a", 20);
    use(lenient, "r", "b", 21);
    use(lenient, "r", "a", 22);
    MergeProvenance p = lenient.provenance("merged-1").orElseThrow();
    assertTrue(p.relativeError() > 0.05 && p.relativeError() <= 1.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Q8_0", "Q4_0"})
  void quantizedAdaptersAreNotMerged(String format) {
    RandomSource r = RandomSource.seeded(4);
    AdapterPool pool = builder(1).build();
    pool.put("a", gaussian(r, DIM), lora(r, 8, 8, 2));
    pool.put("q", gaussian(r, DIM), QuantizedLora.quantize(lora(r, 8, 8, 2), WeightFormat.valueOf(format)));
    use(pool, "r", "a", 0);
    use(pool, "r", "q", 1);
    assertEquals(List.of("a+q:NOT_F32"), heard.refusals);
    assertEquals(2, pool.size());
  }

  @Test
  void shapesMustMatch() {
    RandomSource r = RandomSource.seeded(5);
    AdapterPool pool = builder(1).build();
    pool.put("a", gaussian(r, DIM), lora(r, 8, 8, 2));
    pool.put("b", gaussian(r, DIM), lora(r, 8, 9, 2));
    use(pool, "r", "a", 0);
    use(pool, "r", "b", 1);
    assertEquals(List.of("a+b:SHAPE_MISMATCH"), heard.refusals);
  }

  @Test
  void aMergedPairIsNotMergedAgainWhileItsMergeExists() {
    RandomSource r = RandomSource.seeded(6);
    MicroLora[] ab = sharingA(r);
    AdapterPool pool = builder(1).build();
    pool.put("a", gaussian(r, DIM), ab[0]);
    pool.put("b", gaussian(r, DIM), ab[1]);
    use(pool, "r", "a", 0);
    use(pool, "r", "b", 1);
    assertEquals(Set.of("a", "b", "merged-1"), pool.keys());
    for (int i = 2; i < 10; i++) {
      use(pool, "r", i % 2 == 0 ? "a" : "b", i);
      use(pool, "r", "merged-1", i); // a merge and its own sources do not merge either
    }
    assertEquals(1, pool.stats().merges());
    assertEquals(3, (int) pool.withTracker(CoOccurrence::blockedPairs));

    assertTrue(pool.invalidate("merged-1"));
    assertTrue(pool.provenance("merged-1").isEmpty());
    assertEquals(0, (int) pool.withTracker(CoOccurrence::blockedPairs));
    use(pool, "r", "a", 20);
    use(pool, "r", "b", 21);
    assertEquals(Set.of("a", "b", "merged-2"), pool.keys(), "unblocked once the merge is gone");
    assertEquals(List.of("a", "b"), pool.provenance("merged-2").orElseThrow().sourceKeys());
  }

  @Test
  void routesWithARequesterRecordUses() {
    RandomSource r = RandomSource.seeded(7);
    MicroLora[] ab = sharingA(r);
    AdapterPool pool = builder(2).similarityThreshold(0.99f).build();
    float[] ea = gaussian(r, DIM);
    float[] eb = gaussian(r, DIM);
    pool.put("a", ea, ab[0]);
    pool.put("b", eb, ab[1]);
    for (int i = 0; i < 3; i++) {
      clock.advanceNanos(1_000_000);
      assertEquals("a", pool.route("user", ea).orElseThrow().key());
      assertEquals("b", pool.route("user", eb).orElseThrow().key());
    }
    assertEquals(1, pool.stats().merges());
    MergeProvenance p = heard.merges.get(0);
    assertEquals(2.0 / 3, p.sources().get(0).weight(), 1e-12, "a, b, a: the second a made it due");
  }

  @Test
  void aMergeThatCannotFitBesideThePinnedAdaptersIsRefused() {
    RandomSource r = RandomSource.seeded(8);
    MicroLora[] ab = sharingA(r);
    AdapterPool probe = AdapterPool.builder(DIM).maximumBytes(1).build();
    AdapterPool pool = builder(1).maximumBytes(2 * probe.entryBytes(ab[0])).build();
    pool.put("a", gaussian(r, DIM), ab[0]);
    pool.put("b", gaussian(r, DIM), ab[1]);
    pool.pin("a");
    pool.pin("b");
    use(pool, "r", "a", 0);
    use(pool, "r", "b", 1);
    assertEquals(List.of("a+b:NO_ROOM"), heard.refusals);
    pool.unpin("b");
    use(pool, "r", "a", 2);
    assertEquals(Set.of("a", "merged-1"), pool.keys(), "b was evicted to make room");
    assertEquals(List.of("a", "b"), pool.provenance("merged-1").orElseThrow().sourceKeys(),
        "provenance still names the evicted source");
  }

  /** Same clock readings and calls, same merges: replayed twice from a seed. */
  @Test
  void mergingIsDeterministic() {
    List<String> first = scenario(9);
    List<String> second = scenario(9);
    assertTrue(first.size() > 3, "the scenario merges: " + first);
    assertEquals(first, second);
  }

  private List<String> scenario(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    VirtualClock own = new VirtualClock();
    Heard log = new Heard();
    MicroLora[] shared = sharingA(r);
    AdapterPool pool = AdapterPool.builder(DIM).maximumBytes(40_000).clock(own)
        .autoMerge(3, Duration.ofMillis(50)).maxMergeError(0.5).mergeListener(log).build();
    for (int i = 0; i < 12; i++) {
      pool.put("k" + i, gaussian(r, DIM), i < 6 ? shared[i % 2] : lora(r, 16, 12, 1 + r.nextInt(3)));
    }
    for (int step = 0; step < 2000; step++) {
      own.advanceNanos(r.nextInt(20_000_000));
      List<String> keys = new ArrayList<>(new TreeSet<>(pool.keys()));
      pool.recordUse("u" + r.nextInt(4), keys.get(r.nextInt(keys.size())));
    }
    List<String> out = new ArrayList<>();
    for (MergeProvenance p : log.merges) {
      out.add(p + "");
    }
    out.addAll(log.refusals);
    out.add(new TreeSet<>(pool.keys()) + " " + pool.stats());
    assertConsistent(pool);
    return out;
  }

  /** Thousands of requesters and pairs: the tracker stays within its configured bounds. */
  @Test
  void countingMemoryIsBounded() {
    RandomSource r = RandomSource.seeded(10);
    AdapterPool pool = builder(1000).coOccurrenceLimits(50, 64).build();
    for (int i = 0; i < 40; i++) {
      pool.put("k" + i, gaussian(r, DIM), lora(r, 4, 4, 1));
    }
    int maxPairs = 0;
    for (int i = 0; i < 20_000; i++) {
      clock.advanceNanos(1_000);
      pool.recordUse("u" + r.nextInt(100), "k" + r.nextInt(40));
      maxPairs = Math.max(maxPairs, pool.withTracker(CoOccurrence::trackedPairs));
    }
    assertEquals(50, (int) pool.withTracker(CoOccurrence::trackedRequesters));
    assertTrue(maxPairs <= 64 && maxPairs > 32, "pairs tracked: " + maxPairs);
    assertEquals(0, pool.stats().merges());
  }

  @Test
  void withoutAutoMergeUsesAreCountedButNothingMerges() {
    RandomSource r = RandomSource.seeded(11);
    AdapterPool pool = AdapterPool.builder(DIM).maximumBytes(1 << 20).clock(clock).build();
    MicroLora[] ab = sharingA(r);
    pool.put("a", gaussian(r, DIM), ab[0]);
    pool.put("b", gaussian(r, DIM), ab[1]);
    for (int i = 0; i < 50; i++) {
      assertTrue(pool.recordUse("r", i % 2 == 0 ? "a" : "b"));
    }
    assertNull(pool.withTracker(t -> t));
    assertEquals(2, pool.size());
  }
}
