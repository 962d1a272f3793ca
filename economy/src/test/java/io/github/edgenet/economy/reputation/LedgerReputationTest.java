package io.github.edgenet.economy.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.Offense;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reputation from ledger data: exact scores, the stake rule, failures and the slash rule. */
class LedgerReputationTest {
  private final RandomSource keys = RandomSource.seeded(23);
  private final NodeIdentity genesis = NodeIdentity.generate(keys);
  private final NodeIdentity judge = NodeIdentity.generate(keys);
  private final NodeIdentity alice = NodeIdentity.generate(keys);
  private final NodeIdentity bob = NodeIdentity.generate(keys);
  private final NodeIdentity carol = NodeIdentity.generate(keys);
  private final VirtualClock clock = new VirtualClock();
  private final ReputationConfig rc = new ReputationConfig(3_600_000, 10_000, 2_000, 500_000);

  private Operation pay(Ledger l, NodeIdentity worker, long amount, boolean ok) throws Exception {
    clock.advance(Duration.ofMillis(1)); // "at that time" is the fold's (timestamp, id) order
    Operation lock = l.append(alice, new OperationBody.EscrowLock(worker.id(), amount,
        clock.epochMillis(), new byte[32]));
    if (ok) {
      return l.append(alice, new OperationBody.EscrowRelease(lock.id()));
    }
    l.append(alice, new OperationBody.EscrowRefund(lock.id()));
    return l.append(alice, new OperationBody.TaskFailed(lock.id(), worker.id()));
  }

  @Test
  void scoresFollowTheBookAndOnlyStakedWorkersCount() throws Exception {
    LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id()))
        .adjudicators(Set.of(judge.id())).build();
    try (Ledger l = Ledger.inMemory(config, clock)) {
      l.append(genesis, new OperationBody.Mint(100_000_000));
      for (NodeIdentity n : new NodeIdentity[] {alice, bob, carol}) {
        Operation s = l.append(genesis, new OperationBody.Send(n.id(), 10_000_000));
        l.append(n, new OperationBody.Receive(s.id()));
      }
      LedgerReputation rep = new LedgerReputation(l, rc);
      pay(l, bob, 30_000, true); // bob not staked yet: dropped
      assertEquals(0, rep.counted());
      clock.advance(Duration.ofMillis(1)); // "at that time" is the fold's (timestamp, id) order
      l.append(bob, new OperationBody.Stake(500_000));
      l.append(carol, new OperationBody.Stake(499_999)); // one micro short
      clock.advance(Duration.ofMillis(1));
      long t = pay(l, bob, 30_000, true).timestampMillis();
      pay(l, carol, 30_000, true);
      assertEquals(30_000.0 / 40_000, rep.scoreAt(bob.id(), t), 1e-15, "S / (S + F + C)");
      assertEquals(0.0, rep.scoreAt(carol.id(), t));
      assertEquals(1, rep.counted());
      assertEquals(1_000_000 - 150_000, rep.discountedPrice(1_000_000, bob.id(), t),
          "floor(2000 * 0.75) = 1500 bps");
      clock.advance(Duration.ofHours(1)); // one half-life
      pay(l, bob, 15_000, false);
      t = clock.epochMillis();
      assertEquals(15_000.0 / (15_000 + 15_000 + 10_000), rep.scoreAt(bob.id(), t), 1e-6);
      String before = rep.digest();
      LedgerReputation fresh = new LedgerReputation(l, rc);
      assertEquals(before, fresh.digest(), "rebuilt from scratch: the same bits");

      clock.advance(Duration.ofMillis(1));
      byte[] evidence = new byte[32];
      l.append(judge, new OperationBody.Slash(bob.id(), l.head(bob.id()).head(),
          Offense.INCORRECT_RESULT, judge.id(), evidence,
          judge.sign(OperationBody.Slash.statement(bob.id(), Offense.INCORRECT_RESULT, evidence))));
      assertEquals(0.0, rep.scoreAt(bob.id(), clock.epochMillis()), "a slash forfeits successes");
      assertNotEquals(before, rep.digest());
      clock.advance(Duration.ofMillis(1));
      pay(l, bob, 30_000, true); // stake 450,000 after the 10% slash: below the minimum
      assertEquals(0.0, rep.scoreAt(bob.id(), clock.epochMillis()));
      l.append(bob, new OperationBody.Stake(100_000));
      clock.advance(Duration.ofMillis(1));
      pay(l, bob, 30_000, true);
      double after = rep.scoreAt(bob.id(), clock.epochMillis());
      assertEquals(30_000.0 / (30_000 + 15_000 + 10_000), after, 1e-6,
          "one counted success after the slash; the old failure still weighs");
    }
  }
}
