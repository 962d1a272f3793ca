package io.github.edgenet.swarm.node;

import static io.github.edgenet.swarm.node.Sims.identity;
import static io.github.edgenet.swarm.node.Sims.reverse;
import static io.github.edgenet.swarm.node.Sims.runUntilDone;
import static io.github.edgenet.swarm.node.Sims.task;
import static io.github.edgenet.swarm.node.Sims.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.net.sim.LatencyModel;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What the real transport showed (EdgeNodeJGroupsTest): when a round trip is longer than the award
 * retry interval, the award is re-sent, the provider answers twice, and the second result arrives
 * after the task completed. That is a duplicate, not a message to reject.
 */
class SlowLinkTest {
  @Test
  void aDuplicateResultAfterCompletionIsNeitherRejectedNorRunAgain() {
    NetworkSimulator sim = NetworkSimulator.builder().seed(21)
        .latency(LatencyModel.constant(Duration.ofMillis(200))).build(); // round trip 400 ms
    EdgeNodeConfig config = EdgeNodeConfig.builder().offerWindow(Duration.ofMillis(500)).build();
    EdgeNode worker = EdgeNode.builder().simulator(sim).identity(identity(3, 1)).config(config)
        .executor("reverse", 5, ctx -> reverse(ctx.payload())).build();
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(identity(3, 0)).config(config)
        .build();
    CompletableFuture<byte[]> f = host.submit(task("reverse", "slow link", 10,
        Duration.ofSeconds(5)));
    runUntilDone(sim, f, Duration.ofSeconds(5));
    assertEquals("knil wols", text(f.join()));
    sim.runFor(Duration.ofSeconds(2)); // the answers to the re-sent award arrive
    assertTrue(worker.metrics().executionsFromStore() >= 1,
        "the award was re-sent and answered again: " + worker.metrics().executionsFromStore());
    assertEquals(1, worker.metrics().executions(), "run once");
    assertEquals(0, host.metrics().rejectedTotal(), host.metrics().rejectedByReason().toString());
    assertEquals(0, worker.metrics().rejectedTotal(),
        worker.metrics().rejectedByReason().toString());
  }
}
