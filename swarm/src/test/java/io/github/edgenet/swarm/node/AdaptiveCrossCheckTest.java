package io.github.edgenet.swarm.node;

import static io.github.edgenet.swarm.node.Sims.identity;
import static io.github.edgenet.swarm.node.Sims.task;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.edgenet.core.net.sim.NetworkSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The determinism rule for learned types: their results depend on the adapter version, so a
 * submitter that knows a type is adaptive never has a second provider re-execute it for a byte
 * comparison, while other types are still cross-checked.
 */
class AdaptiveCrossCheckTest {
  private static final Duration TEN_S = Duration.ofSeconds(10);

  private static long executions(boolean adaptive) {
    NetworkSimulator sim = Sims.simulator(51);
    List<EdgeNode> workers = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      workers.add(EdgeNode.builder().simulator(sim).identity(identity(51, i))
          .executor("upper", 5, ctx -> Sims.reverse(ctx.payload())).build());
    }
    EdgeNode.Builder b = EdgeNode.builder().simulator(sim).identity(identity(51, 0))
        .config(EdgeNodeConfig.builder().crossCheckFraction(1).build());
    if (adaptive) {
      b.adaptive("upper");
    }
    EdgeNode host = b.build();
    sim.runFor(Duration.ofSeconds(3));
    for (int t = 0; t < 5; t++) {
      CompletableFuture<byte[]> f = host.submit(task("upper", "job " + t, 1_000, TEN_S));
      Sims.runUntilDone(sim, f, TEN_S);
      f.join();
      sim.runFor(Duration.ofSeconds(1));
    }
    return workers.stream().mapToLong(w -> w.metrics().executions()).sum();
  }

  @Test
  void adaptiveTypesAreNotReExecutedForAByteComparison() {
    assertEquals(10, executions(false), "every task cross-checked: two executions each");
    assertEquals(5, executions(true), "adaptive: one execution each");
  }
}
