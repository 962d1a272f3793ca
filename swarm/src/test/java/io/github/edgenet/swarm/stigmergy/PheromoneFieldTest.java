package io.github.edgenet.swarm.stigmergy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.internal.TestEnvelopes;
import io.github.edgenet.swarm.protocol.SwarmMessageTypes;
import io.github.edgenet.swarm.protocol.SwarmProtocolException;
import io.github.edgenet.swarm.protocol.SwarmProtocolException.Reason;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PheromoneFieldTest {
  private static final NodeId A = TestEnvelopes.id(1);
  private static final NodeId B = TestEnvelopes.id(2);
  private static final List<NodeId> TARGETS =
      List.of(TestEnvelopes.id(10), TestEnvelopes.id(11), TestEnvelopes.id(12));

  private static PheromoneField field(NodeId self, VirtualClock clock) {
    return PheromoneField.builder(self, clock).tau(Duration.ofSeconds(10)).build();
  }

  @Test
  void levelsEvaporateInClosedFormWhateverTheReadFrequency() {
    VirtualClock c1 = new VirtualClock();
    VirtualClock c2 = new VirtualClock();
    PheromoneField often = field(A, c1);
    PheromoneField once = field(A, c2);
    NodeId t = TARGETS.get(0);
    often.deposit("x", t, 0.8);
    once.deposit("x", t, 0.8);
    for (int i = 0; i < 5000; i++) {
      c1.advance(Duration.ofMillis(1));
      often.level("x", t);
    }
    c2.advance(Duration.ofSeconds(5));
    assertEquals(once.level("x", t), often.level("x", t), 0.0, "reads changed the level");
    assertEquals(0.8 * Math.exp(-0.5), once.level("x", t), 1e-12);
    // One tau later: a factor e less; a second deposit adds on top.
    c2.advance(Duration.ofSeconds(10));
    once.deposit("x", t, 0.5);
    assertEquals(0.8 * Math.exp(-1.5) + 0.5, once.level("x", t), 1e-12);
  }

  @Test
  void depositsAreProportionalToQuality() {
    VirtualClock c = new VirtualClock();
    PheromoneField f = PheromoneField.builder(A, c).depositRate(2).build();
    f.deposit("x", TARGETS.get(0), 0.25);
    f.deposit("x", TARGETS.get(1), 0.75);
    assertEquals(0.5, f.level("x", TARGETS.get(0)), 1e-12);
    assertEquals(1.5, f.level("x", TARGETS.get(1)), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> f.deposit("x", TARGETS.get(0), 1.5));
  }

  @Test
  void pruningRemovesOnlyWhatAlreadyReadsAsZero() {
    VirtualClock c = new VirtualClock();
    PheromoneField f = field(A, c);
    f.deposit("x", TARGETS.get(0), 1);
    c.advance(Duration.ofSeconds(30));
    f.deposit("x", TARGETS.get(1), 1);
    c.advance(Duration.ofSeconds(50)); // trail 0: e^-8 = 3.4e-4 < 1e-3; trail 1: e^-5 = 6.7e-3
    assertEquals(0, f.level("x", TARGETS.get(0)));
    double before = f.level("x", TARGETS.get(1));
    assertEquals(1, f.prune());
    assertEquals(1, f.trails().size());
    assertEquals(before, f.level("x", TARGETS.get(1)), 0.0);
  }

  private static PheromoneField randomField(RandomSource r, VirtualClock clock, int originBase) {
    PheromoneField f = PheromoneField.builder(TestEnvelopes.id(originBase), clock).build();
    int origins = 1 + r.nextInt(4);
    for (int o = 0; o < origins; o++) {
      // Origins overlap between fields (ids 0..5), as replicas of the same gossip would.
      PheromoneField src = PheromoneField.builder(TestEnvelopes.id(r.nextInt(6)), clock).build();
      int deposits = r.nextInt(6);
      for (int d = 0; d < deposits; d++) {
        src.deposit(r.nextBoolean() ? "a" : "b", TARGETS.get(r.nextInt(3)), r.nextDouble());
      }
      f.mergeFrom(src);
    }
    return f;
  }

  private static PheromoneField merged(PheromoneField x, PheromoneField y) {
    PheromoneField m = x.copy();
    m.mergeFrom(y);
    return m;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void mergeIsCommutativeAssociativeAndIdempotent(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    VirtualClock clock = new VirtualClock();
    clock.advance(Duration.ofMillis(r.nextInt(100_000)));
    PheromoneField a = randomField(r, clock, 100);
    clock.advance(Duration.ofMillis(r.nextInt(100_000)));
    PheromoneField b = randomField(r, clock, 101);
    clock.advance(Duration.ofMillis(r.nextInt(100_000)));
    PheromoneField c = randomField(r, clock, 102);
    assertEquals(merged(a, b).trails(), merged(b, a).trails(), "commutativity, seed " + seed);
    assertEquals(merged(merged(a, b), c).trails(), merged(a, merged(b, c)).trails(),
        "associativity, seed " + seed);
    assertEquals(a.trails(), merged(a, a).trails(), "idempotence, seed " + seed);
    PheromoneField abc = merged(merged(a, b), c);
    assertEquals(abc.trails(), merged(abc, b).trails(), "re-merging a part, seed " + seed);
    for (NodeId t : TARGETS) {
      assertEquals(abc.level("a", t), merged(c, merged(b, a)).level("a", t), 0.0, "levels, seed " + seed);
    }
  }

  @Test
  void aMergedDepositIsNotCountedTwice() {
    VirtualClock clock = new VirtualClock();
    PheromoneField a = field(A, clock);
    PheromoneField b = field(B, clock);
    NodeId t = TARGETS.get(0);
    a.deposit("x", t, 0.5);
    b.mergeFrom(a);
    b.mergeFrom(a);
    b.deposit("x", t, 0.25);
    a.mergeFrom(b);
    assertEquals(0.75, a.level("x", t), 1e-12);
    assertEquals(0.75, b.level("x", t), 1e-12);
  }

  @Test
  void signedGossipCarriesOnlyTheSignersRegisters() throws Exception {
    TestEnvelopes env = new TestEnvelopes();
    VirtualClock clock = new VirtualClock();
    EnvelopeSender sa = env.sender(TestEnvelopes.identity(1));
    PheromoneField a = field(sa.id(), clock);
    PheromoneField b = field(TestEnvelopes.id(2), clock);
    a.deposit("x", TARGETS.get(0), 0.5);
    a.deposit("y", TARGETS.get(1), 0.9);
    b.mergeFrom(field(TestEnvelopes.id(3), clock)); // nothing
    int changed = 0;
    for (byte[] p : a.ownPayloads()) {
      changed += b.merge(env.roundTrip(sa, SwarmMessageTypes.PHEROMONE_FIELD, p));
    }
    assertEquals(2, changed);
    assertEquals(a.trails(), b.trails());
    for (byte[] p : a.ownPayloads()) {
      assertEquals(0, b.merge(env.roundTrip(sa, SwarmMessageTypes.PHEROMONE_FIELD, p)));
    }
    byte[] p = a.ownPayloads().getFirst();
    byte[] cut = java.util.Arrays.copyOf(p, p.length - 1);
    PheromoneField fresh = field(TestEnvelopes.id(4), clock);
    var ex = assertThrows(SwarmProtocolException.class,
        () -> fresh.merge(env.roundTrip(sa, SwarmMessageTypes.PHEROMONE_FIELD, cut)));
    assertEquals(Reason.TRUNCATED, ex.reason());
    assertTrue(fresh.trails().isEmpty(), "a rejected payload changed state");
  }

  @Test
  void aLyingOriginIsCappedAtMaxLevelPerOrigin() throws Exception {
    TestEnvelopes env = new TestEnvelopes();
    VirtualClock clock = new VirtualClock();
    EnvelopeSender liar = env.sender(TestEnvelopes.identity(7));
    byte[] huge = new io.github.edgenet.swarm.internal.WireWriter().u8(1).u16(1).string("x")
        .nodeId(TARGETS.get(2)).f64(1e6).toByteArray();
    PheromoneField f = PheromoneField.builder(A, clock).maxLevelPerOrigin(5).build();
    f.merge(env.roundTrip(liar, SwarmMessageTypes.PHEROMONE_FIELD, huge));
    f.deposit("x", TARGETS.get(2), 1);
    assertEquals(6, f.level("x", TARGETS.get(2)), 1e-9);
  }

  @Test
  void rouletteFollowsTheTrailsInProportion() {
    VirtualClock clock = new VirtualClock();
    PheromoneField f = PheromoneField.builder(A, clock).exploration(0).build();
    f.deposit("x", TARGETS.get(0), 0.6);
    f.deposit("x", TARGETS.get(1), 0.3);
    RandomSource r = RandomSource.seeded(5);
    int[] count = new int[3];
    int n = 30_000;
    for (int i = 0; i < n; i++) {
      count[TARGETS.indexOf(f.select("x", TARGETS, r))]++;
    }
    assertEquals(0, count[2]);
    assertEquals(2.0 / 3, count[0] / (double) n, 0.015);
    assertNotEquals(0, count[1]);
  }

  @Test
  void ownRegistersRestoredAfterARestartReadTheSameLevelsAndKeepGrowing() throws Exception {
    VirtualClock clock = new VirtualClock();
    PheromoneField before = field(A, clock);
    before.deposit("x", TARGETS.get(0), 0.8);
    before.deposit("x", TARGETS.get(1), 0.3);
    clock.advance(Duration.ofSeconds(3));
    List<byte[]> stored = before.ownPayloads();
    PheromoneField after = field(A, clock);
    for (byte[] payload : stored) {
      assertEquals(2, after.restoreOwn(java.nio.ByteBuffer.wrap(payload)));
    }
    assertEquals(before.trails(), after.trails());
    assertEquals(before.level("x", TARGETS.get(0)), after.level("x", TARGETS.get(0)), 0);
    double old = after.level("x", TARGETS.get(0));
    after.deposit("x", TARGETS.get(0), 0.5); // on top of the restored register, not from zero
    assertEquals(old + 0.5, after.level("x", TARGETS.get(0)), 1e-9);

    byte[] bad = stored.getFirst().clone();
    bad[0] = 99; // version
    PheromoneField empty = field(A, clock);
    assertThrows(SwarmProtocolException.class,
        () -> empty.restoreOwn(java.nio.ByteBuffer.wrap(bad)));
    assertEquals(0, empty.trails().size(), "a rejected payload changed state");
  }
}
