package io.github.edgenet.economy.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.ledger.LedgerException.Reason;
import io.github.edgenet.economy.ledger.OperationBody.Burn;
import io.github.edgenet.economy.ledger.OperationBody.EscrowLock;
import io.github.edgenet.economy.ledger.OperationBody.EscrowRefund;
import io.github.edgenet.economy.ledger.OperationBody.EscrowRelease;
import io.github.edgenet.economy.ledger.OperationBody.Mint;
import io.github.edgenet.economy.ledger.OperationBody.Receive;
import io.github.edgenet.economy.ledger.OperationBody.Send;
import io.github.edgenet.economy.ledger.OperationBody.Slash;
import io.github.edgenet.economy.ledger.OperationBody.Stake;
import io.github.edgenet.economy.ledger.OperationBody.Unstake;
import io.github.edgenet.economy.ledger.OperationBody.Withdraw;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LedgerTest {
  private final List<NodeIdentity> ids = Keys.identities(7, 5);
  private final NodeIdentity genesis = ids.get(0);
  private final NodeIdentity alice = ids.get(1);
  private final NodeIdentity bob = ids.get(2);
  private final NodeIdentity judge = ids.get(3);
  private final NodeIdentity mallory = ids.get(4);
  private final VirtualClock clock = new VirtualClock();
  private final LedgerConfig config =
      LedgerConfig.builder(Set.of(genesis.id()))
          .adjudicators(Set.of(judge.id()))
          .unbondingPeriod(Duration.ofHours(1))
          .build();
  private Ledger ledger;

  @BeforeEach
  void open() throws Exception {
    ledger = Ledger.inMemory(config, clock);
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  /** Mints 1,000,000 to genesis and pays alice 400,000 (received). */
  private Operation fundAlice() throws LedgerException {
    ledger.append(genesis, new Mint(1_000_000));
    Operation pay = ledger.append(genesis, new Send(alice.id(), 400_000));
    ledger.append(alice, new Receive(pay.id()));
    return pay;
  }

  private void assertConserved() {
    assertEquals(ledger.supply(), ledger.circulating(), "supply = mints - burns = holdings");
  }

  private LedgerException rejected(Reason reason, Operation op) {
    byte[] before = ledger.stateDigest();
    int size = ledger.size();
    LedgerException e = assertThrows(LedgerException.class, () -> ledger.submit(op));
    assertEquals(reason, e.reason(), e.getMessage());
    assertArrayEquals(before, ledger.stateDigest(), "a rejection changes nothing");
    assertEquals(size, ledger.size());
    return e;
  }

  private Operation next(NodeIdentity who, OperationBody body) {
    ChainHead h = ledger.head(who.id());
    long seq = h == null ? 0 : h.length();
    return Operation.sign(
        who, seq, h == null ? OperationId.ZERO : h.head(), clock.epochMillis(), body);
  }

  @Test
  void transferMovesExactAmountsAndConservesSupply() throws Exception {
    fundAlice();
    assertEquals(600_000, ledger.account(genesis.id()).balance());
    assertEquals(400_000, ledger.account(alice.id()).balance());
    assertEquals(1_000_000, ledger.supply());
    ledger.append(alice, new Burn(1));
    assertEquals(999_999, ledger.supply());
    assertConserved();
  }

  @Test
  void sendIsPendingUntilReceivedAndCannotBeClaimedTwice() throws Exception {
    ledger.append(genesis, new Mint(100));
    Operation pay = ledger.append(genesis, new Send(alice.id(), 60));
    assertEquals(0, ledger.account(alice.id()).balance());
    assertEquals(List.of(pay.id()), ledger.unclaimed(alice.id()));
    assertConserved();
    ledger.append(alice, new Receive(pay.id()));
    assertEquals(List.of(), ledger.unclaimed(alice.id()));
    rejected(Reason.ALREADY_CLAIMED, next(alice, new Receive(pay.id())));
    rejected(Reason.NOT_RECIPIENT, next(bob, new Receive(pay.id())));
    Operation nowhere = Operation.sign(genesis, 9, pay.id(), 0, new Mint(1));
    rejected(Reason.UNKNOWN_SOURCE, next(bob, new Receive(nowhere.id())));
  }

  @Test
  void replayedOperationIsADuplicate() throws Exception {
    Operation pay = fundAlice();
    rejected(Reason.DUPLICATE, Operation.decode(pay.encoded()));
  }

  @Test
  void forgedSignaturesAreRejected() throws Exception {
    fundAlice();
    byte[] b = next(alice, new Send(bob.id(), 10)).encoded();
    b[b.length - 1] ^= 1;
    rejected(Reason.BAD_SIGNATURE, Operation.decode(b));
    // mallory signs an operation that claims to be alice's: the account's key does not verify it
    Operation honest = next(alice, new Send(mallory.id(), 10));
    byte[] forged = honest.encoded();
    byte[] sig = mallory.sign(java.util.Arrays.copyOf(forged, forged.length - 64));
    System.arraycopy(sig, 0, forged, forged.length - 64, 64);
    rejected(Reason.BAD_SIGNATURE, Operation.decode(forged));
  }

  @Test
  void wrongLinkAndSkippedSequenceAreRejected() throws Exception {
    Operation pay = fundAlice();
    ChainHead h = ledger.head(alice.id());
    rejected(Reason.BAD_LINK, Operation.sign(alice, h.length(), pay.id(), 0, new Burn(1)));
    rejected(Reason.SEQUENCE_GAP, Operation.sign(alice, h.length() + 1, h.head(), 0, new Burn(1)));
    rejected(Reason.SEQUENCE_GAP, Operation.sign(bob, 1, pay.id(), 0, new Burn(1)));
  }

  @Test
  void timestampsMayNotRegressNorRunAhead() throws Exception {
    clock.advance(Duration.ofSeconds(10));
    fundAlice();
    ChainHead h = ledger.head(alice.id());
    rejected(Reason.TIMESTAMP_REGRESSION,
        Operation.sign(alice, h.length(), h.head(), clock.epochMillis() - 1, new Burn(1)));
    rejected(Reason.FROM_THE_FUTURE, Operation.sign(
        alice, h.length(), h.head(), clock.epochMillis() + 31_000, new Burn(1)));
  }

  @Test
  void zeroAndNegativeAmountsAreRejectedLocallyAndFromPeers() throws Exception {
    fundAlice();
    assertThrows(IllegalArgumentException.class, () -> new Send(bob.id(), 0));
    assertThrows(IllegalArgumentException.class, () -> new Stake(-5));
    for (long amount : new long[] {0, -1, Long.MIN_VALUE}) {
      byte[] b = next(alice, new Send(bob.id(), 10)).encoded();
      Operation.putLong(b, Operation.HEADER_BYTES + 32, amount);
      LedgerException e = assertThrows(LedgerException.class, () -> Operation.decode(b));
      assertEquals(Reason.NON_POSITIVE_AMOUNT, e.reason());
    }
  }

  @Test
  void overflowIsAnErrorNeverAWrap() throws Exception {
    ledger.append(genesis, new Mint(Long.MAX_VALUE));
    rejected(Reason.OVERFLOW, next(genesis, new Mint(1)));
    assertEquals(Long.MAX_VALUE, ledger.supply());
    assertConserved();
  }

  @Test
  void overspendingAndUnauthorizedMintsAreRejected() throws Exception {
    fundAlice();
    rejected(Reason.INSUFFICIENT_BALANCE, next(alice, new Send(bob.id(), 400_001)));
    rejected(Reason.INSUFFICIENT_BALANCE, next(alice, new Stake(400_001)));
    rejected(Reason.NOT_AUTHORIZED, next(alice, new Mint(5)));
    rejected(Reason.NOT_AUTHORIZED, next(alice, new Send(alice.id(), 5)));
    rejected(Reason.INSUFFICIENT_STAKE, next(alice, new Unstake(1)));
  }

  @Test
  void withdrawOnlyAfterTheUnbondingPeriodAndTopUpsNeverShortenIt() throws Exception {
    fundAlice();
    ledger.append(alice, new Stake(300_000));
    ledger.append(alice, new Unstake(100_000));
    long unlock = ledger.account(alice.id()).unlockAtMillis();
    assertEquals(clock.epochMillis() + 3_600_000, unlock);
    rejected(Reason.LOCKED, next(alice, new Withdraw(100_000)));
    clock.advance(Duration.ofMinutes(30));
    ledger.append(alice, new Unstake(50_000)); // a top-up: the unlock moves later, never earlier
    assertEquals(clock.epochMillis() + 3_600_000, ledger.account(alice.id()).unlockAtMillis());
    clock.advance(Duration.ofMinutes(31));
    assertTrue(clock.epochMillis() >= unlock);
    rejected(Reason.LOCKED, next(alice, new Withdraw(100_000)));
    clock.advance(Duration.ofMinutes(30));
    rejected(Reason.INSUFFICIENT_STAKE, next(alice, new Withdraw(150_001)));
    ledger.append(alice, new Withdraw(150_000));
    AccountView a = ledger.account(alice.id());
    assertEquals(250_000, a.balance());
    assertEquals(150_000, a.stake());
    assertEquals(0, a.unbonding());
    assertConserved();
  }

  @Test
  void escrowLockReleaseAndRefundAfterTheDeadline() throws Exception {
    fundAlice();
    long deadline = clock.epochMillis() + 60_000;
    Operation lock = ledger.append(alice, new EscrowLock(bob.id(), 100_000, deadline, new byte[32]));
    assertEquals(100_000, ledger.account(alice.id()).escrowed());
    assertConserved();
    Operation release = ledger.append(alice, new EscrowRelease(lock.id()));
    rejected(Reason.ESCROW_CLOSED, next(alice, new EscrowRelease(lock.id())));
    ledger.append(bob, new Receive(release.id()));
    assertEquals(100_000, ledger.account(bob.id()).balance());
    assertEquals(0, ledger.account(alice.id()).escrowed());

    Operation lock2 = ledger.append(alice, new EscrowLock(bob.id(), 50_000, deadline, new byte[32]));
    rejected(Reason.BEFORE_DEADLINE, next(alice, new EscrowRefund(lock2.id())));
    rejected(Reason.UNKNOWN_ESCROW, next(alice, new EscrowRefund(release.id())));
    rejected(Reason.UNKNOWN_ESCROW, next(bob, new EscrowRelease(lock2.id())));
    clock.advance(Duration.ofMinutes(1));
    ledger.append(alice, new EscrowRefund(lock2.id()));
    assertEquals(300_000, ledger.account(alice.id()).balance());
    assertConserved();
  }

  private Slash verdict(NodeIdentity signer, NodeIdentity offender, Offense offense) {
    byte[] evidence = new byte[32];
    evidence[0] = 42;
    byte[] sig = signer.sign(Slash.statement(offender.id(), offense, evidence));
    ChainHead h = ledger.head(offender.id());
    return new Slash(offender.id(), h == null ? OperationId.ZERO : h.head(), offense, signer.id(),
        evidence, sig);
  }

  @Test
  void slashNeedsAValidVerdictOfAKnownOffender() throws Exception {
    fundAlice();
    ledger.append(alice, new Stake(200_000));
    rejected(Reason.INVALID_PROOF, next(bob, verdict(mallory, alice, Offense.INCORRECT_RESULT)));
    Slash good = verdict(judge, alice, Offense.INCORRECT_RESULT);
    byte[] badSig = good.verdict();
    badSig[3] ^= 1;
    rejected(Reason.INVALID_PROOF, next(bob, new Slash(
        alice.id(), good.offenderHead(), Offense.INCORRECT_RESULT, judge.id(), good.evidence(),
        badSig)));
    rejected(Reason.INVALID_PROOF, next(bob, verdict(judge, alice, Offense.EQUIVOCATION)));
    rejected(Reason.UNKNOWN_ACCOUNT, next(bob, verdict(judge, mallory, Offense.SYBIL)));

    rejected(Reason.NOT_AUTHORIZED, next(bob, good)); // a valid verdict, but bob is no adjudicator

    ledger.append(judge, good);
    assertEquals(180_000, ledger.account(alice.id()).stake(), "10% of 200,000");
    ledger.append(judge, good); // the same verdict again: slashed once only
    assertEquals(180_000, ledger.account(alice.id()).stake());
    ledger.append(judge, verdict(judge, alice, Offense.PROTOCOL_VIOLATION));
    assertEquals(144_000, ledger.account(alice.id()).stake(), "then 20% of 180,000");
    assertEquals(56_000, ledger.slashed());
    assertEquals(1_000_000 - 56_000, ledger.supply(), "burned by default");
    assertConserved();
  }

  @Test
  void slashedStakeGoesToTheTreasuryWhenOneIsConfigured() throws Exception {
    ledger.close();
    ledger = Ledger.inMemory(LedgerConfig.builder(Set.of(genesis.id()))
        .adjudicators(Set.of(judge.id())).treasury(bob.id()).build(), clock);
    fundAlice();
    ledger.append(alice, new Stake(100_000));
    ledger.append(judge, verdict(judge, alice, Offense.SYBIL));
    assertEquals(0, ledger.account(alice.id()).stake());
    assertEquals(100_000, ledger.account(bob.id()).balance());
    assertEquals(1_000_000, ledger.supply());
    assertConserved();
  }

  @Test
  void malformedAndOversizedBytesAreTypedErrors() throws Exception {
    byte[] good = Operation.sign(alice, 0, OperationId.ZERO, 0, new Burn(5)).encoded();
    assertEquals(Reason.OVERSIZED, assertThrows(LedgerException.class,
        () -> Operation.decode(new byte[Operation.MAX_BYTES + 1])).reason());
    assertEquals(Reason.MALFORMED, assertThrows(LedgerException.class,
        () -> Operation.decode(good, 0, good.length - 1)).reason());
    byte[] kind = good.clone();
    kind[3] = 99;
    assertEquals(Reason.MALFORMED,
        assertThrows(LedgerException.class, () -> Operation.decode(kind)).reason());
    byte[] bodyLen = good.clone();
    bodyLen[84] = (byte) 0xFF;
    assertEquals(Reason.OVERSIZED,
        assertThrows(LedgerException.class, () -> Operation.decode(bodyLen)).reason());
    byte[] magic = good.clone();
    magic[0] = 0;
    assertEquals(Reason.MALFORMED,
        assertThrows(LedgerException.class, () -> Operation.decode(magic)).reason());
    byte[] link = good.clone();
    link[50] = 1; // sequence 0 with a non-zero previous link
    assertEquals(Reason.MALFORMED,
        assertThrows(LedgerException.class, () -> Operation.decode(link)).reason());
    assertEquals(Operation.decode(good), Operation.decode(good.clone()));
  }

  @Test
  void applicationOperationsAreOrderedAndStoredWithoutBalanceEffect() throws Exception {
    fundAlice();
    byte[] before = ledger.stateDigest();
    long balance = ledger.account(alice.id()).balance();
    Operation vote = ledger.append(alice, new OperationBody.Application(7, new byte[] {1, 2, 3}));
    assertEquals(balance, ledger.account(alice.id()).balance());
    assertFalse(java.util.Arrays.equals(before, ledger.stateDigest()), "but it is in the state");
    assertEquals(List.of(vote), ledger.applicationOperations(7));
    assertEquals(List.of(), ledger.applicationOperations(8));
    assertThrows(IllegalArgumentException.class,
        () -> new OperationBody.Application(7, new byte[OperationBody.MAX_APPLICATION_DATA + 1]));
  }

  @Test
  void equivocationVoidsTheChainFromTheConflictAndSlashesHalfTheStake() throws Exception {
    fundAlice();
    ledger.append(alice, new Stake(200_000));
    Operation toBob = next(alice, new Send(bob.id(), 150_000));
    Operation toMallory = next(alice, new Send(mallory.id(), 150_000));
    assertEquals(Ledger.Outcome.ACCEPTED, ledger.submit(toBob));
    assertFalse(ledger.isFinal(toBob.id(), Duration.ofSeconds(5)), "not before the window");
    clock.advance(Duration.ofSeconds(5));
    assertTrue(ledger.isFinal(toBob.id(), Duration.ofSeconds(5)), "no conflict seen in 5 s");
    ledger.append(bob, new Receive(toBob.id()));
    assertEquals(150_000, ledger.account(bob.id()).balance());
    assertEquals(Ledger.Outcome.EQUIVOCATION, ledger.submit(toMallory));
    assertEquals(List.of(alice.id()), ledger.equivocators());
    EquivocationProof proof = ledger.equivocation(alice.id()).orElseThrow();
    assertEquals(Set.of(toBob, toMallory), Set.of(proof.first(), proof.second()));
    AccountView a = ledger.account(alice.id());
    assertEquals(200_000, a.balance(), "both conflicting sends are void");
    assertEquals(100_000, a.stake(), "50% of 200,000 slashed");
    assertEquals(1, ledger.skipped(), "a receive of a void send takes no effect");
    assertEquals(100_000, ledger.account(bob.id()).balance(),
        "but bob, who received it, is compensated from the whole slash (claim 150,000)");
    assertEquals(100_000, ledger.compensation(bob.id()));
    assertEquals(0, ledger.compensation(mallory.id()), "mallory never received hers");
    assertEquals(1_000_000, ledger.supply(), "nothing burned: the slash all went to bob");
    assertFalse(ledger.isFinal(toBob.id(), Duration.ofSeconds(5)), "void once the conflict is held");
    assertTrue(ledger.isFinal(ledger.operations(alice.id(), 0, 1).getFirst().id(), Duration.ZERO),
        "alice's operations before the conflict stay final");
    rejected(Reason.CHAIN_VOID, Operation.sign(alice, toBob.sequence() + 1, toBob.id(),
        clock.epochMillis(), new Burn(1)));
    assertConserved();
  }
}
