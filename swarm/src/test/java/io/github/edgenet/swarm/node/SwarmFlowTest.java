package io.github.edgenet.swarm.node;

import static io.github.edgenet.swarm.node.Sims.identity;
import static io.github.edgenet.swarm.node.Sims.runUntilDone;
import static io.github.edgenet.swarm.node.Sims.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.swarm.node.internal.SwarmCoordination;
import io.github.edgenet.swarm.protocol.SwarmMessageTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The swarm's part of the flow across nodes: the submitter's observations of its providers reach a
 * node that took no part in the tasks, through signed, gossiped statistics, trails and patterns.
 */
class SwarmFlowTest {
  private static final Duration TEN_S = Duration.ofSeconds(10);

  private static SwarmCoordination swarm(EdgeNode node) {
    return (SwarmCoordination) node.engine().seams().candidates();
  }

  @Test
  void observationsTrailsAndPatternsReachABystanderThroughSignedGossip() {
    NetworkSimulator sim = Sims.simulator(21);
    List<EdgeNode> workers = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      workers.add(EdgeNode.builder().simulator(sim).identity(identity(3, i))
          .executor("reverse", 5, ctx -> Sims.reverse(ctx.payload())).build());
    }
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(identity(3, 0)).build();
    EdgeNode bystander = EdgeNode.builder().simulator(sim).identity(identity(3, 9)).build();
    sim.runFor(Duration.ofSeconds(2)); // capabilities announced

    for (int t = 0; t < 20; t++) {
      CompletableFuture<byte[]> f = host.submit(task("reverse", "job " + t, 10, TEN_S));
      runUntilDone(sim, f, TEN_S);
    }
    sim.runFor(Duration.ofSeconds(30)); // several sharing rounds

    long executed = 0;
    for (EdgeNode w : workers) {
      long runs = w.metrics().executions();
      executed += runs;
      // The bystander's posterior counts exactly the host's accepted results from this worker.
      assertEquals(runs, swarm(bystander).allocator().posterior(w.id(), "reverse").observations(),
          "observations of " + w.id() + " on the bystander");
      assertEquals(runs > 0, swarm(bystander).trails().level("reverse", w.id()) > 0,
          "trail to " + w.id() + " on the bystander");
    }
    assertTrue(executed >= 20, "executions " + executed);
    assertTrue(swarm(bystander).memory().patterns() > 0, "patterns on the bystander");
    assertEquals(0, bystander.metrics().rejectedTotal());
  }

  @Test
  void thompsonSamplingLearnsToAvoidACheapProviderWhoseResultsFailVerification() {
    NetworkSimulator sim = Sims.simulator(23);
    List<EdgeNode> honest = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      honest.add(EdgeNode.builder().simulator(sim).identity(identity(5, i))
          .executor("reverse", 5, ctx -> Sims.reverse(ctx.payload())).build());
    }
    EdgeNode liar = EdgeNode.builder().simulator(sim).identity(identity(5, 4))
        .executor("reverse", 1, ctx -> ctx.payload()).build(); // cheapest, and wrong
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(identity(5, 0))
        .verifier("reverse", (t, r) -> Arrays.equals(r, Sims.reverse(t.payload()))).build();
    sim.runFor(Duration.ofSeconds(2));

    int tasks = 60;
    long liarRunsAtHalf = 0;
    for (int t = 0; t < tasks; t++) {
      if (t == tasks / 2) {
        liarRunsAtHalf = liar.metrics().executions();
      }
      CompletableFuture<byte[]> f = host.submit(task("reverse", "job " + t, 100, TEN_S));
      runUntilDone(sim, f, TEN_S);
      sim.runFor(Duration.ofSeconds(1)); // the providers' market prices relax between tasks
      assertEquals("job " + t, new StringBuilder(Sims.text(f.join())).reverse().toString());
    }
    long liarLate = liar.metrics().executions() - liarRunsAtHalf;
    // Lowest price alone would award the liar first every time (60 of 60); the swarm's posteriors
    // keep it out of most shortlists once its failures are known.
    assertTrue(liarLate <= tasks / 2 / 4, "liar ran " + liarLate + " of the last " + tasks / 2);
    // Every one of the liar's executions became a failure observation, none a success.
    var posterior = swarm(host).allocator().posterior(liar.id(), "reverse");
    assertEquals(liar.metrics().executions(), posterior.observations(), "liar's " + posterior);
    assertEquals(1.0, posterior.success().a(), "no success: the prior's a, " + posterior);
    assertTrue(posterior.observations() >= 2, "the liar was tried and caught: " + posterior);
  }

  @Test
  void aMalformedSharedPayloadIsRejectedAndChangesNothing() {
    NetworkSimulator sim = Sims.simulator(22);
    EdgeNode node = EdgeNode.builder().simulator(sim).identity(identity(4, 0)).build();
    NodeIdentity attacker = identity(4, 1);
    SimulatedNode raw = sim.addNode(attacker.id());
    EnvelopeSender forge = EnvelopeSender.create(attacker, sim.clock());
    raw.send(node.id(), forge.encode(SwarmMessageTypes.ALLOCATION_STATS, new byte[] {1, 2, 3}));
    raw.send(node.id(), forge.encode(SwarmMessageTypes.PHEROMONE_FIELD, new byte[] {9}));
    sim.runFor(Duration.ofSeconds(1));

    assertEquals(2, node.metrics().rejected(RejectionReason.MALFORMED_PAYLOAD));
    assertEquals(0, swarm(node).trails().trails().size());
    assertEquals(0, swarm(node).allocator().posterior(attacker.id(), "reverse").observations());
  }

  /**
   * A node that never heard a rare type's only provider announce itself still finds it: the
   * allocation statistics another submitter gossiped name the provider, and the request round asks
   * it. With one request to one peer per task, a random peer would be the provider about 1 time in
   * 11.
   */
  @Test
  void aProviderNeverHeardAnnouncingIsFoundThroughTheSwarmsObservations() {
    NetworkSimulator sim = Sims.simulator(23);
    NodeIdentity hid = identity(9, 0);
    EdgeNode provider = EdgeNode.builder().simulator(sim).identity(identity(9, 1))
        .executor("rare", 5, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode other = EdgeNode.builder().simulator(sim).identity(identity(9, 2)).build();
    for (int i = 3; i < 12; i++) {
      EdgeNode.builder().simulator(sim).identity(identity(9, i)).build();
    }
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(hid)
        .config(EdgeNodeConfig.builder().requestFanout(1).requestRounds(1).build()).build();
    sim.setInterceptor(provider.id(), (to, m, out) -> { // its ANNOUNCE (0x5301) never reaches host
      if (!(to.equals(hid.id()) && m.length > 6 && m[4] == 0x53 && m[5] == 0x01)) {
        out.send(to, m);
      }
    });
    sim.runFor(Duration.ofSeconds(3));
    for (int k = 0; k < 5; k++) {
      runUntilDone(sim, other.submit(task("rare", "seen " + k, 1_000, TEN_S)), TEN_S);
    }
    for (int t = 0; t < 60 && swarm(host).knownWorkers("rare", 1).isEmpty(); t++) {
      sim.runFor(Duration.ofSeconds(1)); // the other submitter's statistics reach the host
    }
    assertEquals(List.of(provider.id()), swarm(host).knownWorkers("rare", 4));
    assertEquals(0, host.metrics().knownProviders(), "the host never heard an announcement");
    int done = 0;
    for (int k = 0; k < 10; k++) {
      CompletableFuture<byte[]> f = host.submit(task("rare", "found " + k, 1_000_000, TEN_S));
      runUntilDone(sim, f, TEN_S);
      done += f.isDone() && !f.isCompletedExceptionally() ? 1 : 0;
    }
    assertEquals(10, done, "every task found the provider: " + host.metrics().failuresByReason());
  }
}
