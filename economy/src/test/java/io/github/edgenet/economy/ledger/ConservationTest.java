package io.github.edgenet.economy.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.ledger.OperationBody.Application;
import io.github.edgenet.economy.ledger.OperationBody.Burn;
import io.github.edgenet.economy.ledger.OperationBody.EscrowLock;
import io.github.edgenet.economy.ledger.OperationBody.EscrowRefund;
import io.github.edgenet.economy.ledger.OperationBody.EscrowRelease;
import io.github.edgenet.economy.ledger.OperationBody.EscrowVest;
import io.github.edgenet.economy.ledger.OperationBody.Mint;
import io.github.edgenet.economy.ledger.OperationBody.Receive;
import io.github.edgenet.economy.ledger.OperationBody.Send;
import io.github.edgenet.economy.ledger.OperationBody.Slash;
import io.github.edgenet.economy.ledger.OperationBody.Stake;
import io.github.edgenet.economy.ledger.OperationBody.TaskFailed;
import io.github.edgenet.economy.ledger.OperationBody.Unstake;
import io.github.edgenet.economy.ledger.OperationBody.VestClaim;
import io.github.edgenet.economy.ledger.OperationBody.VestClawBack;
import io.github.edgenet.economy.ledger.OperationBody.Withdraw;
import io.github.edgenet.economy.replication.ReplicationSimulationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded random operations mixing every kind (valid and invalid): supply always equals mints minus
 * burns (an independent count kept by the test), holdings always sum to the supply, a rejection
 * never changes the digest, and the same operations in another order give the same state.
 */
class ConservationTest {

  private record OpenEscrow(NodeIdentity payer, OperationId id, long deadline) {}

  private record Grant(NodeIdentity funder, NodeIdentity worker, OperationId id) {}

  @ParameterizedTest(name = "seed {0}, {1} operations")
  @CsvSource({"1, 100000", "2, 3000", "3, 3000"})
  void supplyIsConservedOverRandomOperations(long seed, int count) throws Exception {
    System.out.println("ConservationTest seed " + seed + ", " + count + " operations");
    List<NodeIdentity> ids = Keys.identities(seed, 10);
    NodeIdentity genesis = ids.get(0);
    NodeIdentity judge = ids.get(1);
    List<NodeIdentity> users = ids.subList(2, 10);
    VirtualClock clock = new VirtualClock();
    LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id()))
        .adjudicators(Set.of(judge.id()))
        .unbondingPeriod(Duration.ofSeconds(20))
        .treasury(seed % 2 == 0 ? ids.get(2).id() : null)
        .build();
    RandomSource r = RandomSource.seeded(seed);
    List<OpenEscrow> escrows = new ArrayList<>();
    List<OpenEscrow> closed = new ArrayList<>();
    List<Grant> grants = new ArrayList<>();
    long expectedSupply = 0;
    int accepted = 0;
    int rejected = 0;
    try (Ledger ledger = Ledger.inMemory(config, clock)) {
      for (int i = 0; i < count; i++) {
        clock.advance(Duration.ofMillis(1 + r.nextInt(20))); // causal order = time order here
        NodeIdentity u = users.get(r.nextInt(users.size()));
        AccountView a = ledger.account(u.id());
        NodeIdentity signer = u;
        OperationBody body;
        int kind = r.nextInt(112);
        long slashExpected = 0;
        if (kind < 8) {
          signer = genesis;
          body = new Mint(1 + r.nextInt(1_000_000));
        } else if (kind < 16) {
          signer = genesis;
          long have = ledger.account(genesis.id()).balance();
          body = new Send(u.id(), 1 + (have > 0 ? r.nextLong(have + have / 10 + 1) : 5));
        } else if (kind < 34) {
          NodeIdentity to = users.get(r.nextInt(users.size()));
          body = new Send(to.id(), 1 + r.nextLong(a.balance() + 100));
        } else if (kind < 52) {
          List<OperationId> un = ledger.unclaimed(u.id());
          body = un.isEmpty() ? new Burn(1 + r.nextInt(10))
              : new Receive(un.get(r.nextInt(un.size())));
        } else if (kind < 56) {
          body = new Burn(1 + r.nextLong(a.balance() / 4 + 2));
        } else if (kind < 64) {
          body = new Stake(1 + r.nextLong(a.balance() / 2 + 2));
        } else if (kind < 70) {
          body = new Unstake(1 + r.nextLong(a.stake() + 2));
        } else if (kind < 76) {
          body = new Withdraw(1 + r.nextLong(a.unbonding() + 2));
        } else if (kind < 82) {
          NodeIdentity worker = users.get(r.nextInt(users.size()));
          body = new EscrowLock(worker.id(), 1 + r.nextLong(a.balance() / 3 + 2),
              clock.epochMillis() + r.nextInt(2_000), new byte[32]);
        } else if (kind < 90 && !escrows.isEmpty()) {
          OpenEscrow e = escrows.get(r.nextInt(escrows.size()));
          signer = e.payer();
          int how = r.nextInt(3);
          body = how == 0 ? new EscrowRelease(e.id()) : how == 1 ? new EscrowRefund(e.id())
              : new EscrowVest(e.id(), r.nextInt(3) * 500L, 500L * (2 + r.nextInt(8)));
        } else if (kind < 94) {
          Offense offense = Offense.values()[r.nextInt(Offense.values().length)];
          byte[] evidence = new byte[32];
          evidence[0] = (byte) r.nextInt(4); // repeats sometimes: slashed once only
          byte[] sig = judge.sign(Slash.statement(u.id(), offense, evidence));
          ChainHead h = ledger.head(u.id());
          signer = judge; // only an adjudicator appends a slash
          body = new Slash(u.id(), h == null ? OperationId.ZERO : h.head(), offense, judge.id(),
              evidence, sig);
        } else if (kind >= 100 && kind < 106 && !grants.isEmpty()) {
          Grant g = grants.get(r.nextInt(grants.size()));
          signer = r.nextInt(8) == 0 ? u : g.worker(); // sometimes not the recipient
          body = new VestClaim(g.id());
        } else if (kind >= 106 && kind < 109 && !grants.isEmpty()) {
          Grant g = grants.get(r.nextInt(grants.size()));
          signer = r.nextInt(8) == 0 ? u : g.funder();
          body = new VestClawBack(g.id(), r.nextInt(8) == 0 ? u.id() : g.worker().id());
        } else if (kind >= 109 && !closed.isEmpty()) {
          OpenEscrow e = closed.get(r.nextInt(closed.size()));
          signer = e.payer();
          EscrowLock l = (EscrowLock) ledger.operation(e.id()).orElseThrow().body();
          body = new TaskFailed(e.id(), r.nextInt(8) == 0 ? u.id() : l.worker());
        } else {
          byte[] data = new byte[r.nextInt(64)];
          r.nextBytes(data);
          body = new Application(r.nextInt(4), data);
        }
        byte[] before = i % 499 == 0 ? ledger.stateDigest() : null;
        long slashedBefore = ledger.slashed();
        try {
          Operation op = ledger.append(signer, body);
          accepted++;
          switch (body) {
            case Mint m -> expectedSupply += m.amount();
            case Burn b -> expectedSupply -= b.amount();
            case EscrowLock e -> {
              escrows.add(new OpenEscrow(signer, op.id(), e.deadlineMillis()));
              closed.add(new OpenEscrow(signer, op.id(), e.deadlineMillis()));
            }
            case EscrowRelease e -> escrows.removeIf(x -> x.id().equals(e.escrow()));
            case EscrowRefund e -> escrows.removeIf(x -> x.id().equals(e.escrow()));
            case EscrowVest e -> {
              escrows.removeIf(x -> x.id().equals(e.escrow()));
              EscrowLock l = (EscrowLock) ledger.operation(e.escrow()).orElseThrow().body();
              NodeIdentity worker = users.stream().filter(x -> x.id().equals(l.worker()))
                  .findFirst().orElseThrow();
              grants.add(new Grant(signer, worker, op.id()));
            }
            case Slash s -> {
              if (config.treasury() == null) {
                slashExpected = ledger.slashed() - slashedBefore;
                expectedSupply -= slashExpected;
              }
            }
            default -> {}
          }
        } catch (LedgerException e) {
          rejected++;
          if (before != null) {
            assertArrayEquals(before, ledger.stateDigest(), "rejected " + body + ": " + e);
          }
        }
        if (i % 500 == 0 || i == count - 1) {
          assertEquals(expectedSupply, ledger.supply(), "supply after " + i);
          assertEquals(ledger.supply(), ledger.circulating(), "holdings after " + i);
        }
      }
      long vesting = 0;
      long claimed = 0;
      for (NodeIdentity u : users) {
        vesting += ledger.account(u.id()).vesting();
        for (VestingGrant g : ledger.vestingGrants(u.id())) {
          claimed += g.released();
          assertTrue(g.released() <= g.total(), g.toString());
        }
      }
      System.out.println("accepted " + accepted + ", rejected " + rejected + ", slashed "
          + ledger.slashed() + ", grants " + grants.size() + ", claimed " + claimed
          + ", still vesting " + vesting + ", work records " + ledger.workRecords().size());
      assertTrue(grants.size() > count / 200 && claimed > 0, "vesting is exercised");
      assertTrue(accepted > count / 3 && rejected > count / 50, accepted + "/" + rejected);
      assertTrue(ledger.slashed() > 0);
      assertEquals(0, ledger.skipped(), "without equivocation nothing is skipped");
      if (count <= 10_000) {
        List<Operation> all = new ArrayList<>();
        for (ChainHead h : ledger.heads()) {
          all.addAll(ledger.operations(h.account(), 0, Integer.MAX_VALUE));
        }
        try (Ledger other = Ledger.inMemory(config, clock)) {
          ReplicationSimulationTest.feedShuffled(other, all, RandomSource.seeded(seed + 100));
          assertArrayEquals(ledger.stateDigest(), other.stateDigest(), "another order");
          assertEquals(ledger.supply(), other.supply());
        }
      }
    }
  }
}
