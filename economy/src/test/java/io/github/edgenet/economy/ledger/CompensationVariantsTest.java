package io.github.edgenet.economy.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.testing.SeededCases;
import io.github.edgenet.economy.ledger.OperationBody.Mint;
import io.github.edgenet.economy.ledger.OperationBody.Receive;
import io.github.edgenet.economy.ledger.OperationBody.Send;
import io.github.edgenet.economy.ledger.OperationBody.Stake;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An equivocator signs three or more variants at its conflicting sequence, each paying another
 * receiver who claims it; nodes see the variants in different orders, so each keeps a different
 * pair as its proof. The compensation claims are the receives of every validated variant
 * (docs/economy.md, "Compensation"), so every node pays the same receivers the same amounts and
 * holds the same state digest.
 */
class CompensationVariantsTest {
  private static final long STAKE = 400_000; // slashed 50 %: 200,000 to share
  private static final long[] AMOUNTS = {300_000, 200_000, 150_000, 600_000};

  private final List<NodeIdentity> ids = Keys.identities(41, 30);
  private final NodeIdentity genesis = ids.get(0);
  private final NodeIdentity eve = ids.get(1);
  private final VirtualClock clock = new VirtualClock();
  private final LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id())).build();

  static Stream<Arguments> cases() {
    return SeededCases.cross(SeededCases.seeds(71, 3), 3, 4);
  }

  /** The common history: eve holds 1,000,000, stakes 400,000; its head is the last element. */
  private List<Operation> history(long t) {
    Operation mint = Operation.sign(genesis, 0, OperationId.ZERO, t, new Mint(10_000_000));
    Operation toEve = Operation.sign(genesis, 1, mint.id(), t, new Send(eve.id(), 1_000_000));
    Operation got = Operation.sign(eve, 0, OperationId.ZERO, t + 1, new Receive(toEve.id()));
    Operation staked = Operation.sign(eve, 1, got.id(), t + 2, new Stake(STAKE));
    return List.of(mint, toEve, got, staked);
  }

  @ParameterizedTest(name = "seed {0}, {1} variants")
  @MethodSource("cases")
  void everyNodePaysTheSameClaimsWhateverPairItKept(long seed, int variants) throws Exception {
    RandomSource random = SeededCases.random("CompensationVariantsTest", seed);
    long t = clock.epochMillis() - 60_000;
    List<Operation> ops = new ArrayList<>(history(t));
    Operation head = ops.getLast();
    long total = 0;
    for (int i = 0; i < variants; i++) {
      NodeIdentity r = ids.get(2 + i);
      Operation v = Operation.sign(eve, 2, head.id(), t + 10, new Send(r.id(), AMOUNTS[i]));
      ops.add(v);
      ops.add(Operation.sign(r, 0, OperationId.ZERO, t + 20, new Receive(v.id())));
      total += AMOUNTS[i];
    }
    // Not claims: a variant eve could not afford (700,000 > 600,000), and a payment above the
    // conflict; both are received, both as evidence where the branch is not held.
    NodeIdentity forged = ids.get(10);
    Operation tooMuch = Operation.sign(eve, 2, head.id(), t + 10, new Send(forged.id(), 700_000));
    ops.add(tooMuch);
    ops.add(Operation.sign(forged, 0, OperationId.ZERO, t + 20, new Receive(tooMuch.id())));
    NodeIdentity above = ids.get(11);
    Operation high = Operation.sign(eve, 3, ops.get(4).id(), t + 11, new Send(above.id(), 1));
    ops.add(high);
    ops.add(Operation.sign(above, 0, OperationId.ZERO, t + 20, new Receive(high.id())));

    byte[] digest = null;
    for (int node = 0; node < 5; node++) {
      try (Ledger l = Ledger.inMemory(config, clock)) {
        Feed.shuffledUntilQuiet(l, ops, random.derive("node " + node));
        assertEquals(List.of(eve.id()), l.equivocators());
        for (int i = 0; i < variants; i++) {
          NodeIdentity r = ids.get(2 + i);
          assertEquals(1, l.head(r.id()).length(), "node " + node + " holds every receive");
          long want = total <= STAKE / 2 ? AMOUNTS[i] : STAKE / 2 * AMOUNTS[i] / total;
          assertEquals(want, l.compensation(r.id()), "node " + node + ", receiver " + i);
        }
        assertEquals(1, l.head(forged.id()).length());
        assertEquals(0, l.compensation(forged.id()), "an invalid variant is no claim");
        assertEquals(1, l.head(above.id()).length());
        assertEquals(0, l.compensation(above.id()), "above the conflict: no claim");
        assertEquals(l.supply(), l.circulating(), "node " + node);
        if (digest == null) {
          digest = l.stateDigest();
        } else {
          assertArrayEquals(digest, l.stateDigest(), "node " + node);
        }
      }
    }
  }

  @Test
  void atMostSixteenClaimedVariantsCountTheSmallestIds() throws Exception {
    long t = clock.epochMillis() - 60_000;
    List<Operation> ops = new ArrayList<>(history(t));
    Operation head = ops.getLast();
    List<Operation> variants = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      NodeIdentity r = ids.get(2 + i);
      Operation v = Operation.sign(eve, 2, head.id(), t + 10, new Send(r.id(), 5_000));
      variants.add(v);
      ops.add(v);
      ops.add(Operation.sign(r, 0, OperationId.ZERO, t + 20, new Receive(v.id())));
    }
    variants.sort(Comparator.comparing(Operation::id));
    byte[] digest = null;
    for (long order = 0; order < 3; order++) {
      try (Ledger l = Ledger.inMemory(config, clock)) {
        Feed.shuffledUntilQuiet(l, ops, RandomSource.seeded(order));
        for (int i = 0; i < variants.size(); i++) {
          Send s = (Send) variants.get(i).body();
          assertEquals(i < 16 ? 5_000 : 0, l.compensation(s.to()), "variant " + i + " by id");
        }
        assertEquals(l.supply(), l.circulating());
        if (digest == null) {
          digest = l.stateDigest();
        } else {
          assertArrayEquals(digest, l.stateDigest(), "order " + order);
        }
      }
    }
  }
}
