package io.github.edgenet.economy.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.ledger.LedgerException.Reason;
import io.github.edgenet.economy.ledger.OperationBody.EscrowLock;
import io.github.edgenet.economy.ledger.OperationBody.EscrowRelease;
import io.github.edgenet.economy.ledger.OperationBody.EscrowVest;
import io.github.edgenet.economy.ledger.OperationBody.Mint;
import io.github.edgenet.economy.ledger.OperationBody.Receive;
import io.github.edgenet.economy.ledger.OperationBody.Send;
import io.github.edgenet.economy.ledger.OperationBody.TaskFailed;
import io.github.edgenet.economy.ledger.OperationBody.VestClaim;
import io.github.edgenet.economy.ledger.OperationBody.VestClawBack;
import io.github.edgenet.economy.replication.ReplicationSimulationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Vesting on the ledger (escrow released as a grant, claims, claw-back) and task failure reports:
 * exact VestingWalletCliff amounts, every refusal with its typed reason and an unchanged digest,
 * supply conserved with the grants counted, and the same digest in any arrival order.
 */
class LedgerVestingTest {
  private final List<NodeIdentity> ids = Keys.identities(17, 4);
  private final NodeIdentity genesis = ids.get(0);
  private final NodeIdentity alice = ids.get(1);
  private final NodeIdentity bob = ids.get(2);
  private final NodeIdentity mallory = ids.get(3);
  private final VirtualClock clock = new VirtualClock();
  private final LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id())).build();
  private Ledger ledger;

  @BeforeEach
  void open() throws Exception {
    ledger = Ledger.inMemory(config, clock);
    ledger.append(genesis, new Mint(10_000_000));
    Operation pay = ledger.append(genesis, new Send(alice.id(), 4_000_000));
    ledger.append(alice, new Receive(pay.id()));
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  private Operation next(NodeIdentity who, OperationBody body) {
    ChainHead h = ledger.head(who.id());
    long seq = h == null ? 0 : h.length();
    return Operation.sign(
        who, seq, h == null ? OperationId.ZERO : h.head(), clock.epochMillis(), body);
  }

  private void rejected(Reason reason, Operation op) {
    byte[] before = ledger.stateDigest();
    int size = ledger.size();
    LedgerException e = assertThrows(LedgerException.class, () -> ledger.submit(op));
    assertEquals(reason, e.reason(), e.getMessage());
    assertArrayEquals(before, ledger.stateDigest(), "a rejection changes nothing");
    assertEquals(size, ledger.size());
  }

  private void assertConserved() {
    assertEquals(10_000_000, ledger.supply());
    assertEquals(ledger.supply(), ledger.circulating(), "the grants count in circulating");
  }

  private Operation lock(long amount) throws LedgerException {
    return ledger.append(alice, new EscrowLock(bob.id(), amount, clock.epochMillis() + 1_000,
        new byte[32]));
  }

  @Test
  void aGrantVestsLikeVestingWalletCliffAndOnlyTheWorkerClaimsIt() throws Exception {
    Operation lock = lock(1_000_000);
    Operation vest = ledger.append(alice, new EscrowVest(lock.id(), 10_000, 100_000));
    long start = vest.timestampMillis();
    assertEquals(0, ledger.account(alice.id()).escrowed());
    assertEquals(1_000_000, ledger.account(alice.id()).vesting());
    assertEquals(3_000_000, ledger.account(alice.id()).balance());
    assertConserved();
    rejected(Reason.ESCROW_CLOSED, next(alice, new EscrowRelease(lock.id())));
    rejected(Reason.ESCROW_CLOSED, next(alice, new EscrowVest(lock.id(), 0, 0)));
    rejected(Reason.UNKNOWN_ESCROW, next(bob, new EscrowVest(lock.id(), 0, 0)));

    clock.advance(Duration.ofMillis(9_999));
    rejected(Reason.NOTHING_VESTED, next(bob, new VestClaim(vest.id())));
    assertThrows(LedgerException.class, () -> ledger.append(bob, new VestClaim(vest.id())));
    rejected(Reason.NOT_RECIPIENT, next(mallory, new VestClaim(vest.id())));
    rejected(Reason.NOT_RECIPIENT, next(bob, new VestClaim(lock.id())));
    rejected(Reason.UNKNOWN_SOURCE, next(bob, new VestClaim(OperationId.of(new byte[32]))));
    clock.advance(Duration.ofMillis(1)); // the cliff: linear from the start on
    ledger.append(bob, new VestClaim(vest.id()));
    assertEquals(100_000, ledger.account(bob.id()).balance(), "1,000,000 * 10 s / 100 s");
    rejected(Reason.NOTHING_VESTED, next(bob, new VestClaim(vest.id())));
    clock.advance(Duration.ofMillis(45_555));
    ledger.append(bob, new VestClaim(vest.id()));
    assertEquals(555_550, ledger.account(bob.id()).balance(), "floor(10^6 * 55,555 / 100,000)");
    VestingGrant g = ledger.vestingGrant(vest.id()).orElseThrow();
    assertEquals(new VestingGrant(vest.id(), alice.id(), bob.id(), 1_000_000, 555_550, 0,
        new io.github.edgenet.economy.rewards.VestingSchedule(start, 10_000, 100_000), -1), g);
    assertEquals(List.of(g), ledger.vestingGrants(bob.id()));
    assertConserved();
    clock.advance(Duration.ofDays(1));
    ledger.append(bob, new VestClaim(vest.id()));
    assertEquals(1_000_000, ledger.account(bob.id()).balance());
    assertEquals(0, ledger.account(alice.id()).vesting());
    rejected(Reason.NOTHING_VESTED, next(bob, new VestClaim(vest.id())));
    assertConserved();
  }

  @Test
  void clawBackTakesOnlyTheUnvestedPartOfOnlyTheNamedRecipientsGrant() throws Exception {
    Operation lock = lock(1_000_000);
    Operation vest = ledger.append(alice, new EscrowVest(lock.id(), 0, 100_000));
    clock.advance(Duration.ofSeconds(10));
    ledger.append(bob, new VestClaim(vest.id()));
    clock.advance(Duration.ofSeconds(30));
    rejected(Reason.WRONG_RECIPIENT, next(alice, new VestClawBack(vest.id(), mallory.id())));
    rejected(Reason.UNKNOWN_GRANT, next(bob, new VestClawBack(vest.id(), bob.id())));
    rejected(Reason.UNKNOWN_GRANT, next(alice, new VestClawBack(lock.id(), bob.id())));
    ledger.append(alice, new VestClawBack(vest.id(), bob.id()));
    assertEquals(3_600_000, ledger.account(alice.id()).balance(), "600,000 unvested came back");
    assertEquals(300_000, ledger.account(alice.id()).vesting(), "400,000 vested, 100,000 claimed");
    rejected(Reason.ALREADY_CLAWED_BACK, next(alice, new VestClawBack(vest.id(), bob.id())));
    assertConserved();
    clock.advance(Duration.ofDays(1)); // vesting stopped: only what had vested is claimable
    ledger.append(bob, new VestClaim(vest.id()));
    assertEquals(400_000, ledger.account(bob.id()).balance());
    assertThrows(LedgerException.class, () -> ledger.append(bob, new VestClaim(vest.id())));
    VestingGrant g = ledger.vestingGrant(vest.id()).orElseThrow();
    assertEquals(400_000, g.total());
    assertEquals(600_000, g.clawedBack());
    assertEquals(0, g.outstanding());
    assertConserved();
  }

  @Test
  void scheduleBoundsAreTypedErrors() throws Exception {
    Operation lock = lock(1_000);
    assertThrows(IllegalArgumentException.class, () -> new EscrowVest(lock.id(), 11, 10));
    assertThrows(IllegalArgumentException.class, () -> new EscrowVest(lock.id(), -1, 10));
    clock.advance(Duration.ofMillis(5));
    rejected(Reason.INVALID_SCHEDULE, next(alice, new EscrowVest(lock.id(), 0, Long.MAX_VALUE)));
    byte[] b = next(alice, new EscrowVest(lock.id(), 5, 10)).encoded();
    Operation.putLong(b, Operation.HEADER_BYTES + 32, 11); // cliff 11 > duration 10
    assertEquals(Reason.MALFORMED,
        assertThrows(LedgerException.class, () -> Operation.decode(b)).reason());
    ledger.append(alice, new EscrowVest(lock.id(), 0, 0)); // zero duration: all vested at once
    Operation vest = ledger.operations(alice.id(), 0, 100).getLast();
    ledger.append(bob, new VestClaim(vest.id()));
    assertEquals(1_000, ledger.account(bob.id()).balance());
    assertConserved();
  }

  @Test
  void failureReportsOncePerEscrowByItsPayerNamingItsWorker() throws Exception {
    Operation lock = lock(50_000);
    Operation vest = ledger.append(alice, new EscrowVest(lock.id(), 0, 1_000));
    Operation lock2 = lock(70_000);
    rejected(Reason.UNKNOWN_ESCROW, next(bob, new TaskFailed(lock2.id(), bob.id())));
    rejected(Reason.WRONG_RECIPIENT, next(alice, new TaskFailed(lock2.id(), mallory.id())));
    Operation failed = ledger.append(alice, new TaskFailed(lock2.id(), bob.id()));
    rejected(Reason.ALREADY_REPORTED, next(alice, new TaskFailed(lock2.id(), bob.id())));
    ledger.append(alice, new TaskFailed(lock.id(), bob.id())); // after payment: still allowed
    List<WorkRecord> work = ledger.workRecords();
    assertEquals(3, work.size());
    assertEquals(new WorkRecord(WorkRecord.Kind.SUCCESS, bob.id(), 50_000,
        vest.timestampMillis(), 0, vest.id()), work.get(0));
    assertEquals(new WorkRecord(WorkRecord.Kind.FAILURE, bob.id(), 70_000,
        failed.timestampMillis(), 0, failed.id()), work.get(1));
    assertEquals(50_000, work.get(2).valueMicros());
    assertConserved();
  }

  @Test
  void aClaimLaterThanTheClawBackIsSettledInFoldOrderTheSameEverywhere() throws Exception {
    Operation lock = lock(1_000_000);
    Operation vest = ledger.append(alice, new EscrowVest(lock.id(), 0, 100_000));
    clock.advance(Duration.ofSeconds(20));
    // bob claims at 70 s, alice claws back at 20 s: bob's chain cannot know of the claw-back
    Operation clawBack = ledger.append(alice, new VestClawBack(vest.id(), bob.id()));
    Operation late = Operation.sign(bob, 0, OperationId.ZERO, clock.epochMillis() + 50_000,
        new VestClaim(vest.id()));
    clock.advance(Duration.ofSeconds(50));
    ledger.submit(late);
    assertEquals(200_000, ledger.account(bob.id()).balance(), "frozen at what had vested");
    assertEquals(0, ledger.vestingGrant(vest.id()).orElseThrow().outstanding());
    assertConserved();
    List<Operation> all = new ArrayList<>();
    for (ChainHead h : ledger.heads()) {
      all.addAll(ledger.operations(h.account(), 0, Integer.MAX_VALUE));
    }
    for (long seed = 1; seed <= 3; seed++) {
      try (Ledger other = Ledger.inMemory(config, clock)) {
        ReplicationSimulationTest.feedShuffled(other, all, RandomSource.seeded(seed));
        assertArrayEquals(ledger.stateDigest(), other.stateDigest(), "order " + seed);
      }
    }
    assertTrue(ledger.isFinal(clawBack.id(), Duration.ZERO));
  }

  @Test
  void aGrantOfAVoidVestIsNeverPaid() throws Exception {
    Operation lock = lock(1_000_000);
    ChainHead h = ledger.head(alice.id());
    Operation vest = Operation.sign(alice, h.length(), h.head(), clock.epochMillis(),
        new EscrowVest(lock.id(), 0, 0));
    Operation release = Operation.sign(alice, h.length(), h.head(), clock.epochMillis(),
        new EscrowRelease(lock.id()));
    ledger.submit(vest);
    ledger.append(bob, new VestClaim(vest.id()));
    assertEquals(1_000_000, ledger.account(bob.id()).balance());
    assertEquals(Ledger.Outcome.EQUIVOCATION, ledger.submit(release));
    assertEquals(0, ledger.account(bob.id()).balance(), "the vest is void, so is the claim");
    assertTrue(ledger.vestingGrant(vest.id()).isEmpty());
    assertEquals(1_000_000, ledger.account(alice.id()).escrowed(), "the escrow stays locked");
    assertConserved();
  }
}
