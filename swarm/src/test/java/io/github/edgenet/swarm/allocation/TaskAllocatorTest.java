package io.github.edgenet.swarm.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.internal.Distributions;
import io.github.edgenet.swarm.internal.TestEnvelopes;
import io.github.edgenet.swarm.protocol.SwarmMessageTypes;
import io.github.edgenet.swarm.protocol.SwarmProtocolException;
import io.github.edgenet.swarm.protocol.SwarmProtocolException.Reason;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TaskAllocatorTest {
  private final TestEnvelopes env = new TestEnvelopes();

  @Test
  void conjugateUpdateMatchesTheClosedForm() {
    NormalGamma post = new NormalGamma(0, 1, 1, 1).update(3, 2, 2); // data [1, 2, 3]
    assertEquals(1.5, post.mu(), 1e-15);
    assertEquals(4, post.lambda(), 1e-15);
    assertEquals(2.5, post.alpha(), 1e-15);
    assertEquals(3.5, post.beta(), 1e-15);

    NodeId w = TestEnvelopes.id(1);
    TaskAllocator a = TaskAllocator.builder(TestEnvelopes.id(0)).build();
    a.record(1, w, "t", 1, true);
    a.record(2, w, "t", 2, false);
    a.record(3, w, "t", 3, true);
    Posterior p = a.posterior(w, "t");
    assertEquals(1.5, p.latency().mu(), 1e-15);
    assertEquals(4, p.latency().lambda(), 1e-15);
    assertEquals(2.5, p.latency().alpha(), 1e-15);
    assertEquals(3.5, p.latency().beta(), 1e-15);
    assertEquals(new BetaPosterior(3, 2), p.success());
    assertEquals(3, p.observations());
  }

  @Test
  void unknownWorkersStartFromThePrior() {
    NormalGamma prior = new NormalGamma(2, 0.5, 3, 4);
    TaskAllocator a = TaskAllocator.builder(TestEnvelopes.id(0))
        .latencyPrior(prior).successPrior(new BetaPosterior(2, 1)).build();
    Posterior p = a.posterior(TestEnvelopes.id(9), "never");
    assertEquals(prior, p.latency());
    assertEquals(new BetaPosterior(2, 1), p.success());
    assertEquals(0, p.observations());
  }

  @Test
  void observationIdsAreIdempotent() {
    NodeId w = TestEnvelopes.id(1);
    TaskAllocator a = TaskAllocator.builder(TestEnvelopes.id(0)).build();
    assertTrue(a.record(7, w, "t", 1, true));
    assertFalse(a.record(7, w, "t", 100, false));
    assertEquals(1, a.posterior(w, "t").observations());
    assertEquals(1.0 / 2, a.posterior(w, "t").latency().mu(), 1e-15);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void gossipedStatisticsMergeLikeCrdtAndAgreeBitForBit(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    int origins = 4;
    TaskAllocator[] nodes = new TaskAllocator[origins];
    EnvelopeSender[] senders = new EnvelopeSender[origins];
    List<NodeId> workers = List.of(TestEnvelopes.id(100), TestEnvelopes.id(101), TestEnvelopes.id(102));
    TaskAllocator pooled = TaskAllocator.builder(TestEnvelopes.id(99)).build();
    long id = 0;
    for (int o = 0; o < origins; o++) {
      senders[o] = env.sender(TestEnvelopes.identity(o));
      nodes[o] = TaskAllocator.builder(senders[o].id()).build();
      int obs = 1 + r.nextInt(50);
      for (int i = 0; i < obs; i++) {
        NodeId w = workers.get(r.nextInt(workers.size()));
        String type = r.nextBoolean() ? "a" : "b";
        double lat = r.nextDouble() * 3;
        boolean ok = r.nextDouble() < 0.8;
        nodes[o].record(id, w, type, lat, ok);
        pooled.record(id++, w, type, lat, ok);
      }
    }
    // Receiver X merges in order 0..3 twice (idempotent), receiver Y in reverse order.
    TaskAllocator x = TaskAllocator.builder(TestEnvelopes.id(50)).build();
    TaskAllocator y = TaskAllocator.builder(TestEnvelopes.id(51)).build();
    for (int rep = 0; rep < 2; rep++) {
      for (int o = 0; o < origins; o++) {
        int changedX = mergeAll(x, senders[o], nodes[o]);
        if (rep == 1) {
          assertEquals(0, changedX, "second merge of origin " + o + " changed state (seed " + seed + ")");
        }
      }
    }
    for (int o = origins - 1; o >= 0; o--) {
      mergeAll(y, senders[o], nodes[o]);
    }
    for (NodeId w : workers) {
      for (String t : List.of("a", "b")) {
        Posterior px = x.posterior(w, t);
        assertEquals(px, y.posterior(w, t), "merge order changed the posterior, seed " + seed);
        Posterior pp = pooled.posterior(w, t);
        assertEquals(pp.observations(), px.observations());
        assertEquals(pp.latency().mu(), px.latency().mu(), 1e-9);
        assertEquals(pp.latency().beta(), px.latency().beta(), 1e-9 * pp.latency().beta());
        assertEquals(pp.success(), px.success());
      }
    }
  }

  private int mergeAll(TaskAllocator into, EnvelopeSender sender, TaskAllocator from) {
    int changed = 0;
    for (byte[] p : from.statsPayloads()) {
      try {
        changed += into.merge(env.roundTrip(sender, SwarmMessageTypes.ALLOCATION_STATS, p));
      } catch (SwarmProtocolException e) {
        throw new AssertionError(e);
      }
    }
    return changed;
  }

  @Test
  void olderStatisticsOfAnOriginDoNotOverwriteNewerOnes() throws Exception {
    EnvelopeSender s = env.sender(TestEnvelopes.identity(3));
    TaskAllocator origin = TaskAllocator.builder(s.id()).build();
    NodeId w = TestEnvelopes.id(1);
    origin.record(1, w, "t", 1, true);
    byte[] old = origin.statsPayloads().getFirst();
    origin.record(2, w, "t", 3, true);
    byte[] newer = origin.statsPayloads().getFirst();
    TaskAllocator rx = TaskAllocator.builder(TestEnvelopes.id(0)).build();
    assertEquals(1, rx.merge(env.roundTrip(s, SwarmMessageTypes.ALLOCATION_STATS, newer)));
    assertEquals(0, rx.merge(env.roundTrip(s, SwarmMessageTypes.ALLOCATION_STATS, old)));
    assertEquals(2, rx.posterior(w, "t").observations());
  }

  @Test
  void badPayloadsAreRejectedAndChangeNothing() {
    EnvelopeSender s = env.sender(TestEnvelopes.identity(3));
    TaskAllocator origin = TaskAllocator.builder(s.id()).build();
    NodeId w = TestEnvelopes.id(1);
    origin.record(1, w, "t", 1, true);
    origin.record(2, TestEnvelopes.id(2), "t", 1, true);
    byte[] good = origin.statsPayloads().getFirst();
    TaskAllocator rx = TaskAllocator.builder(TestEnvelopes.id(0)).build();

    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
    assertReason(Reason.TRUNCATED, rx, env.roundTrip(s, SwarmMessageTypes.ALLOCATION_STATS, truncated));
    byte[] nan = good.clone();
    int meanOffset = 1 + 2 + 32 + 1 + 1 + 8; // version, count, worker, len, "t", n
    ByteBuffer.wrap(nan).putDouble(meanOffset, Double.NaN);
    assertReason(Reason.BAD_VALUE, rx, env.roundTrip(s, SwarmMessageTypes.ALLOCATION_STATS, nan));
    byte[] tooMany = good.clone();
    ByteBuffer.wrap(tooMany).putShort(1, (short) 60000);
    assertReason(Reason.OVER_LIMIT, rx, env.roundTrip(s, SwarmMessageTypes.ALLOCATION_STATS, tooMany));
    assertReason(Reason.WRONG_TYPE, rx, env.roundTrip(s, SwarmMessageTypes.PHEROMONE_FIELD, good));
    byte[] version = good.clone();
    version[0] = 9;
    assertReason(Reason.UNSUPPORTED_VERSION, rx, env.roundTrip(s, SwarmMessageTypes.ALLOCATION_STATS, version));
    assertEquals(0, rx.posterior(w, "t").observations(), "a rejected payload changed state");
    assertEquals(0, rx.posterior(TestEnvelopes.id(2), "t").observations());
  }

  private static void assertReason(Reason reason, TaskAllocator rx, Envelope e) {
    SwarmProtocolException ex = assertThrows(SwarmProtocolException.class, () -> rx.merge(e));
    assertEquals(reason, ex.reason(), ex.getMessage());
  }

  @Test
  void apiMisuseNamesTheValue() {
    TaskAllocator a = TaskAllocator.builder(TestEnvelopes.id(0)).build();
    var ex = assertThrows(IllegalArgumentException.class,
        () -> a.record(1, TestEnvelopes.id(1), "t", Double.NaN, true));
    assertTrue(ex.getMessage().contains("NaN"), ex.getMessage());
    assertThrows(IllegalArgumentException.class, () -> a.record(1, TestEnvelopes.id(1), "", 1, true));
    assertThrows(IllegalArgumentException.class, () -> a.chooseGreedy("t", List.of()));
  }

  @ParameterizedTest(name = "shape {0}")
  @ValueSource(doubles = {0.3, 1, 2.5, 40})
  void gammaDrawsHaveTheRightMeanAndVariance(double shape) {
    RandomSource r = RandomSource.seeded(17);
    int n = 40_000;
    double s = 0;
    double s2 = 0;
    for (int i = 0; i < n; i++) {
      double x = Distributions.gamma(r, shape);
      s += x;
      s2 += x * x;
    }
    double mean = s / n;
    double var = s2 / n - mean * mean;
    // Gamma(k, 1): mean k, variance k; 5 standard errors of the mean.
    assertEquals(shape, mean, 5 * Math.sqrt(shape / n), "mean");
    assertEquals(shape, var, 0.05 * shape + 5 * Math.sqrt(shape / n), "variance");
  }

  @Test
  void ownStatisticsRestoredAfterARestartGoOnCounting() throws Exception {
    NodeId w = TestEnvelopes.id(1);
    TaskAllocator before = TaskAllocator.builder(TestEnvelopes.id(0)).build();
    for (int k = 0; k < 4; k++) {
      before.record(k, w, "t", 1 + k, k != 2);
    }
    TaskAllocator after = TaskAllocator.builder(TestEnvelopes.id(0)).build();
    for (byte[] payload : before.statsPayloads()) {
      assertEquals(1, after.restoreOwn(ByteBuffer.wrap(payload)));
    }
    assertEquals(before.posterior(w, "t"), after.posterior(w, "t"));
    after.record(10, w, "t", 2, true);
    assertEquals(5, after.posterior(w, "t").observations(), "counts on from the restored ones");

    byte[] bad = before.statsPayloads().getFirst().clone();
    bad[1] = (byte) 0xFF; // the entry count (u16 after the version byte) beyond the bytes held
    TaskAllocator empty = TaskAllocator.builder(TestEnvelopes.id(0)).build();
    assertThrows(SwarmProtocolException.class, () -> empty.restoreOwn(ByteBuffer.wrap(bad)));
    assertEquals(0, empty.posterior(w, "t").observations(), "a rejected payload changed state");
  }

  @Test
  void workersAreThoseSeenToSucceedMostSuccessesFirst() throws Exception {
    NodeId a = TestEnvelopes.id(1);
    NodeId b = TestEnvelopes.id(2);
    NodeId c = TestEnvelopes.id(3);
    TaskAllocator mine = TaskAllocator.builder(TestEnvelopes.id(0)).build();
    mine.record(1, a, "t", 1, true);
    mine.record(2, b, "t", 1, false); // seen only to fail: not a worker to ask
    mine.record(3, c, "u", 1, true); // another type
    TaskAllocator theirs = TaskAllocator.builder(TestEnvelopes.id(5)).build();
    theirs.record(4, c, "t", 1, true);
    theirs.record(5, c, "t", 1, true);
    EnvelopeSender s5 = env.sender(TestEnvelopes.identity(5));
    mine.merge(env.roundTrip(s5, SwarmMessageTypes.ALLOCATION_STATS,
        theirs.statsPayloads().getFirst()));
    assertEquals(List.of(c, a), mine.workers("t", 5), "2 successes (gossiped) before 1");
    assertEquals(List.of(c), mine.workers("t", 1));
    assertEquals(List.of(c), mine.workers("u", 5));
    assertEquals(List.of(), mine.workers("v", 5));
  }
}
