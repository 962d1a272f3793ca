package io.github.edgenet.economy.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.governance.GovernanceException.Reason;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class GovernorTest {
  static final NodeIdentity GUARDIAN = NodeIdentity.generate(RandomSource.seeded(99));
  static final NodeIdentity OUTSIDER = NodeIdentity.generate(RandomSource.seeded(98));
  // propose at 0: snapshot 10, deadline 110; queue at 111 -> eta 161; grace 1000
  static final GovernorSettings SETTINGS =
      new GovernorSettings(10, 100, 4_000, 50, 50, 1_000, Set.of(GUARDIAN.id()));

  static NodeId id(int i) {
    byte[] k = new byte[NodeId.LENGTH];
    k[9] = (byte) i;
    return NodeId.of(k);
  }

  /** A mutable stake table, read at any time (a simple stand-in for the ledger's history). */
  static final class Stakes implements StakeHistory {
    final Map<NodeId, Long> stake = new HashMap<>();

    @Override
    public long stakeAt(NodeId node, long atMillis) {
      return stake.getOrDefault(node, 0L);
    }

    @Override
    public long totalStakeAt(long atMillis) {
      return stake.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  static Stakes stakes() {
    Stakes s = new Stakes();
    s.stake.put(id(1), 400L);
    s.stake.put(id(2), 300L);
    s.stake.put(id(3), 200L);
    s.stake.put(id(4), 100L);
    return s; // total 1000, quorum 40% = 400
  }

  static final Map<NetworkParameter, Long> FEE_50 = Map.of(NetworkParameter.MARKET_FEE_BPS, 50L);

  private static void refused(Governor g, Reason reason, Executable op) {
    String before = g.digest();
    GovernanceException e = assertThrows(GovernanceException.class, op);
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(before, g.digest(), "a refused operation changed the governor");
  }

  @Test
  void statesFollowGovernorsBoundaries() {
    Governor g = new Governor(SETTINGS, NetworkConfig.defaults(), stakes());
    ProposalId p = g.propose(id(1), FEE_50, "raise the fee", 0);
    assertEquals(ProposalState.PENDING, g.state(p, 0));
    assertEquals(ProposalState.PENDING, g.state(p, 10), "at the snapshot still Pending");
    assertEquals(ProposalState.ACTIVE, g.state(p, 11));
    assertEquals(ProposalState.ACTIVE, g.state(p, 110), "at the deadline still Active");
    refused(g, Reason.UNEXPECTED_STATE, () -> g.castVote(p, id(1), Support.FOR, 10));
    assertEquals(400, g.castVote(p, id(1), Support.FOR, 11));
    assertEquals(100, g.castVote(p, id(4), Support.AGAINST, 110));
    refused(g, Reason.UNEXPECTED_STATE, () -> g.castVote(p, id(2), Support.AGAINST, 111));
    assertEquals(ProposalState.SUCCEEDED, g.state(p, 111));
    refused(g, Reason.UNEXPECTED_STATE, () -> g.execute(p, 111));
    assertEquals(161, g.queue(p, 111));
    assertEquals(ProposalState.QUEUED, g.state(p, 161));
    refused(g, Reason.UNEXPECTED_STATE, () -> g.queue(p, 112));
    NetworkConfig before = g.config();
    refused(g, Reason.TIMELOCK_NOT_READY, () -> g.execute(p, 160));
    NetworkConfig after = g.execute(p, 161);
    assertEquals(50, after.get(NetworkParameter.MARKET_FEE_BPS));
    assertEquals(30, before.get(NetworkParameter.MARKET_FEE_BPS), "old config is immutable");
    assertEquals(1, after.version());
    assertSame(after, g.config());
    assertEquals(ProposalState.EXECUTED, g.state(p, 10_000));
    refused(g, Reason.UNEXPECTED_STATE, () -> g.execute(p, 200));
  }

  @Test
  void quorumCountsForAndAbstainAndSuccessNeedsStrictlyMoreFor() {
    Stakes s = stakes();
    Governor g = new Governor(SETTINGS, NetworkConfig.defaults(), s);
    // For 300 + Abstain 100 = 400 = quorum exactly (reached: quorum <= for + abstain)
    ProposalId a = g.propose(id(1), FEE_50, "a", 0);
    g.castVote(a, id(2), Support.FOR, 20);
    g.castVote(a, id(4), Support.ABSTAIN, 20);
    // For 300 < quorum 400 without abstain
    ProposalId b = g.propose(id(1), FEE_50, "b", 0);
    g.castVote(b, id(2), Support.FOR, 20);
    // For 300 = Against 300 (tie is defeat)
    ProposalId c = g.propose(id(1), FEE_50, "c", 0);
    g.castVote(c, id(2), Support.FOR, 20);
    g.castVote(c, id(3), Support.AGAINST, 20);
    g.castVote(c, id(4), Support.AGAINST, 20);
    assertEquals(400, g.quorum(a));
    assertEquals(ProposalState.SUCCEEDED, g.state(a, 111));
    assertEquals(ProposalState.DEFEATED, g.state(b, 111));
    assertEquals(ProposalState.DEFEATED, g.state(c, 111));
    refused(g, Reason.UNEXPECTED_STATE, () -> g.queue(b, 111));
  }

  @Test
  void doubleLateAndPowerlessVotesAreRefused() {
    Stakes s = stakes();
    Governor g = new Governor(SETTINGS, NetworkConfig.defaults(), s);
    ProposalId p = g.propose(id(1), FEE_50, "x", 0);
    g.castVote(p, id(2), Support.AGAINST, 50);
    refused(g, Reason.ALREADY_VOTED, () -> g.castVote(p, id(2), Support.FOR, 60));
    refused(g, Reason.NO_VOTING_POWER, () -> g.castVote(p, id(7), Support.FOR, 60));
    // Stake bought after the vote was counted changes nothing; the voter's weight is fixed.
    s.stake.put(id(2), 10_000L);
    assertEquals(300, g.proposal(p).againstVotes());
    g.castVote(p, id(1), Support.FOR, 100);
    g.observe(111); // this node has seen time pass the deadline
    assertEquals(ProposalState.SUCCEEDED, g.state(p, 111));
    // A vote signed inside the window but arriving now is back-dated: refused.
    refused(g, Reason.VOTING_CLOSED, () -> g.castVote(p, id(3), Support.AGAINST, 105));
    assertEquals(ProposalState.SUCCEEDED, g.state(p, 112));
    refused(g, Reason.UNKNOWN_PROPOSAL,
        () -> g.castVote(new ProposalId("0".repeat(64)), id(1), Support.FOR, 20));
  }

  @Test
  void proposalsAreValidated() {
    Governor g = new Governor(SETTINGS, NetworkConfig.defaults(), stakes());
    refused(g, Reason.PARAMETER_OUT_OF_BOUNDS,
        () -> g.propose(id(1), Map.of(NetworkParameter.MARKET_FEE_BPS, 1_001L), "x", 0));
    refused(g, Reason.PARAMETER_OUT_OF_BOUNDS,
        () -> g.propose(id(1), Map.of(NetworkParameter.SLASH_SYBIL_BPS, -1L), "x", 0));
    refused(g, Reason.PARAMETER_OUT_OF_BOUNDS,
        () -> g.propose(id(1), Map.of(NetworkParameter.MIN_STAKE_MICROS, 0L), "x", 0));
    refused(g, Reason.MALFORMED_PROPOSAL, () -> g.propose(id(1), Map.of(), "x", 0));
    refused(g, Reason.MALFORMED_PROPOSAL, () -> g.propose(id(1), FEE_50, "x".repeat(2_001), 0));
    refused(g, Reason.BELOW_PROPOSAL_THRESHOLD, () -> g.propose(id(9), FEE_50, "x", 0));
    g.propose(id(1), FEE_50, "x", 0);
    refused(g, Reason.PROPOSAL_EXISTS, () -> g.propose(id(1), FEE_50, "x", 5));
  }

  @Test
  void cancelsByProposerAndGuardian() {
    Governor g = new Governor(SETTINGS, NetworkConfig.defaults(), stakes());
    ProposalId p = g.propose(id(1), FEE_50, "p", 0);
    refused(g, Reason.NOT_PROPOSER, () -> g.cancel(p, id(2), 5));
    g.cancel(p, id(1), 5);
    assertEquals(ProposalState.CANCELED, g.state(p, 5));
    refused(g, Reason.UNEXPECTED_STATE, () -> g.castVote(p, id(1), Support.FOR, 20));

    ProposalId q = g.propose(id(1), FEE_50, "q", 0);
    refused(g, Reason.UNEXPECTED_STATE, () -> g.cancel(q, id(1), 11)); // active: proposer too late
    g.castVote(q, id(1), Support.FOR, 20);
    g.queue(q, 120);
    GuardianCancel forged = GuardianCancel.sign(OUTSIDER, q, "no", 130);
    refused(g, Reason.NOT_GUARDIAN, () -> g.guardianCancel(forged));
    GuardianCancel real = GuardianCancel.sign(GUARDIAN, q, "unsafe fee", 130);
    GuardianCancel tampered = new GuardianCancel(q, GUARDIAN.id(), "other reason", 130,
        real.signature());
    refused(g, Reason.BAD_SIGNATURE, () -> g.guardianCancel(tampered));
    g.guardianCancel(real);
    assertEquals(ProposalState.CANCELED, g.state(q, 200));
    refused(g, Reason.UNEXPECTED_STATE, () -> g.execute(q, 200));
    assertEquals(1, g.cancelLog().size());
    assertTrue(g.cancelLog().get(0).verifies());
    assertEquals(0, g.config().version());
    ProposalId r = g.propose(id(1), FEE_50, "r", 0);
    refused(g, Reason.UNEXPECTED_STATE,
        () -> g.guardianCancel(GuardianCancel.sign(GUARDIAN, r, "early", 5)));
  }

  @Test
  void queuedProposalsExpireAfterTheGracePeriod() {
    Governor g = new Governor(SETTINGS, NetworkConfig.defaults(), stakes());
    ProposalId p = g.propose(id(1), FEE_50, "p", 0);
    g.castVote(p, id(1), Support.FOR, 20);
    long eta = g.queue(p, 111);
    assertEquals(ProposalState.QUEUED, g.state(p, eta + 999));
    assertEquals(ProposalState.EXPIRED, g.state(p, eta + 1_000));
    refused(g, Reason.UNEXPECTED_STATE, () -> g.execute(p, eta + 1_000));
  }

  @Test
  void executionChangesEveryParameterAtOnce() {
    Governor g = new Governor(SETTINGS, NetworkConfig.defaults(), stakes());
    Map<NetworkParameter, Long> many = Map.of(NetworkParameter.SLASH_EQUIVOCATION_BPS, 6_000L,
        NetworkParameter.REPUTATION_HALF_LIFE_MILLIS, 86_400_000L,
        NetworkParameter.VESTING_DURATION_MILLIS, 0L);
    ProposalId p = g.propose(id(1), many, "several", 0);
    g.castVote(p, id(1), Support.FOR, 20);
    g.queue(p, 111);
    NetworkConfig before = g.config();
    NetworkConfig after = g.execute(p, 161);
    many.forEach((k, v) -> assertEquals(v, after.get(k)));
    assertEquals(5_000, before.get(NetworkParameter.SLASH_EQUIVOCATION_BPS));
    assertNotEquals(before.digest(), after.digest());
  }
}
