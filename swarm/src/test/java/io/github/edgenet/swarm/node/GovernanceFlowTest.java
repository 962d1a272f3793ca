package io.github.edgenet.swarm.node;

import static io.github.edgenet.swarm.node.Sims.identity;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.economy.governance.GovernanceException;
import io.github.edgenet.economy.governance.GovernanceView;
import io.github.edgenet.economy.governance.GovernorSettings;
import io.github.edgenet.economy.governance.NetworkParameter;
import io.github.edgenet.economy.governance.ProposalState;
import io.github.edgenet.economy.governance.Support;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.OperationId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Governance through the facade: three staked providers propose, vote, queue and execute a change
 * of a slash rate on the replicated ledger; every node then folds the same live configuration and
 * the same state, and a second vote is refused with a typed reason and changes nothing.
 */
class GovernanceFlowTest {
  /** A 1 s voting delay, a 5 s vote, a 40% quorum, no threshold, a 1 s timelock, 60 s grace. */
  static final GovernorSettings FAST = new GovernorSettings(1_000, 5_000, 4_000, 0, 1_000, 60_000,
      Set.of());

  @Test
  void aProposalVotedOnTheLedgerChangesTheLiveConfigurationOnEveryNode() throws Exception {
    long seed = 91;
    NetworkSimulator sim = Sims.simulator(seed);
    Map<NodeId, Long> genesis = new TreeMap<>();
    for (int i = 0; i < 3; i++) {
      genesis.put(identity(seed, i).id(), 1_000_000L);
    }
    List<EdgeNode> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) { // providers keep their stake bonded: voting power
      nodes.add(EdgeNode.builder().simulator(sim).identity(identity(seed, i)).genesis(genesis)
          .governance(FAST).executor("reverse", 5, ctx -> Sims.reverse(ctx.payload())).build());
    }
    sim.runFor(Duration.ofSeconds(3));
    NetworkGovernance g0 = nodes.getFirst().governance().orElseThrow();
    assertEquals(1_000, g0.networkConfig().get(NetworkParameter.SLASH_INCORRECT_RESULT_BPS));

    OperationId p = g0.propose(Map.of(NetworkParameter.SLASH_INCORRECT_RESULT_BPS, 3_000L),
        "harsher on wrong results");
    sim.runFor(Duration.ofMillis(1_500)); // past the snapshot, on every node
    for (EdgeNode n : nodes) {
      n.governance().orElseThrow().vote(p, Support.FOR);
    }
    byte[] before = nodes.get(1).economy().ledger().stateDigest();
    LedgerException again = assertThrows(LedgerException.class,
        () -> nodes.get(1).governance().orElseThrow().vote(p, Support.AGAINST));
    assertEquals(LedgerException.Reason.GOVERNANCE, again.reason());
    assertEquals(GovernanceException.Reason.ALREADY_VOTED, again.detail());
    assertArrayEquals(before, nodes.get(1).economy().ledger().stateDigest(), "nothing changed");

    for (int t = 0; t < 60 && !succeeded(nodes.get(1), p); t++) {
      sim.runFor(Duration.ofSeconds(1)); // the deadline passes, the replicators seal past it
    }
    assertTrue(succeeded(nodes.get(1), p), nodes.get(1).governance().orElseThrow().proposal(p)
        .toString());
    OperationId q = nodes.get(1).governance().orElseThrow().queue(p);
    sim.runFor(Duration.ofMillis(1_500)); // the timelock
    nodes.get(2).governance().orElseThrow().execute(q);
    sim.runFor(Duration.ofSeconds(3));

    byte[] digest = nodes.getFirst().economy().ledger().stateDigest();
    for (EdgeNode n : nodes) {
      NetworkGovernance g = n.governance().orElseThrow();
      assertEquals(3_000, g.networkConfig().get(NetworkParameter.SLASH_INCORRECT_RESULT_BPS),
          "on " + n.id());
      assertEquals(ProposalState.EXECUTED, g.proposal(p).orElseThrow().state(), "on " + n.id());
      assertEquals(3 * EconomyConfig.defaults().stakeMicros(),
          g.proposal(p).orElseThrow().tally().forVotes(), "every stake voted for");
      assertArrayEquals(digest, n.economy().ledger().stateDigest(), "state on " + n.id());
    }
    assertTrue(nodes.stream().allMatch(n -> n.economy().refusals() == 0));
    nodes.forEach(EdgeNode::close);
  }

  /** Past its deadline with more For than Against, and closed: it may be queued. */
  private static boolean succeeded(EdgeNode n, OperationId p) {
    GovernanceView.ProposalView v = n.governance().orElseThrow().proposal(p).orElseThrow();
    return v.state() == ProposalState.SUCCEEDED && v.closure() == GovernanceView.Closure.SUCCEEDED;
  }
}
