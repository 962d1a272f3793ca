package io.github.edgenet.swarm.node;

import static io.github.edgenet.swarm.node.Sims.identity;
import static io.github.edgenet.swarm.node.Sims.reverse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.LatencyModel;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.SimulatedNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded runs under loss, duplication, reordering and providers that stop abruptly and come back
 * on their storage directory: every task ends exactly once, every accepted result is right, and no
 * provider ever runs one task twice.
 */
class FaultInvariantTest {
  private static final int PROVIDERS = 8;
  private static final int SUBMITTERS = 3;
  private static final int TASKS = 60;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {101, 202, 303})
  void tasksEndOnceWithRightBytesAndNoProviderRunsATaskTwice(long seed, @TempDir Path dir) {
    NetworkSimulator sim = NetworkSimulator.builder().seed(seed)
        .latency(LatencyModel.logNormal(Duration.ofMillis(15), 0.6))
        .loss(0.1).duplication(0.05).reordering(0.1, Duration.ofMillis(40))
        .failureDetectionDelay(Duration.ofMillis(200)).build();
    RandomSource random = RandomSource.seeded(seed);
    Map<String, Integer> runsPerNodeAndTask = new HashMap<>();
    NodeIdentity[] ids = new NodeIdentity[PROVIDERS];
    SimulatedNode[] nets = new SimulatedNode[PROVIDERS];
    for (int i = 0; i < PROVIDERS; i++) {
      ids[i] = identity(seed, 100 + i);
      nets[i] = sim.addNode(ids[i].id());
      build(nets[i], ids[i], dir.resolve("p" + i), runsPerNodeAndTask, 5 + i);
    }
    List<EdgeNode> submitters = new ArrayList<>();
    Map<TaskId, Integer> ends = new HashMap<>();
    for (int i = 0; i < SUBMITTERS; i++) {
      EdgeNode s = EdgeNode.builder().simulator(sim).identity(identity(seed, i))
          .config(EdgeNodeConfig.builder().awardAttempts(8).build()).build();
      s.addListener(e -> {
        if (e.step() == TaskEvent.Step.COMPLETED || e.step() == TaskEvent.Step.FAILED) {
          ends.merge(e.task(), 1, Integer::sum);
        }
      });
      submitters.add(s);
    }
    // Abrupt stops: a provider crashes, a new EdgeNode is built on its directory, it comes back.
    RandomSource faults = random.derive("faults");
    for (int k = 0; k < 6; k++) {
      int victim = faults.nextInt(PROVIDERS);
      long at = 500 + faults.nextInt(6000);
      sim.schedule(Duration.ofMillis(at), () -> {
        if (!sim.isUp(ids[victim].id())) {
          return;
        }
        sim.crash(ids[victim].id());
        sim.schedule(Duration.ofMillis(300 + faults.nextInt(1500)), () -> {
          build(nets[victim], ids[victim], dir.resolve("p" + victim), runsPerNodeAndTask,
              5 + victim);
          sim.restart(ids[victim].id());
        });
      });
    }
    List<CompletableFuture<byte[]>> futures = new ArrayList<>();
    List<byte[]> payloads = new ArrayList<>();
    RandomSource work = random.derive("work");
    for (int t = 0; t < TASKS; t++) {
      byte[] payload = new byte[1 + work.nextInt(40)];
      work.nextBytes(payload);
      payloads.add(payload);
      EdgeNode s = submitters.get(work.nextInt(SUBMITTERS));
      float[] e = Sims.embedding(work.nextLong());
      sim.runFor(Duration.ofMillis(100));
      futures.add(s.submit(new Task("reverse", payload, e, 100, Duration.ofSeconds(6))));
    }
    sim.runFor(Duration.ofSeconds(10));

    int completed = 0;
    for (int t = 0; t < TASKS; t++) {
      CompletableFuture<byte[]> f = futures.get(t);
      assertTrue(f.isDone(), "seed " + seed + ": task " + t + " never ended");
      if (!f.isCompletedExceptionally()) {
        completed++;
        assertArrayEquals(reverse(payloads.get(t)), f.join(), "seed " + seed + ", task " + t);
      }
    }
    assertEquals(TASKS, ends.size(), "seed " + seed);
    ends.forEach((id, n) -> assertEquals(1, n, "seed " + seed + ": " + id + " ended " + n + "x"));
    runsPerNodeAndTask.forEach((key, n) ->
        assertEquals(1, n, "seed " + seed + ": " + key + " ran " + n + " times"));
    long inFlight = 0;
    for (EdgeNode s : submitters) {
      inFlight += s.metrics().tasks(TaskState.REQUESTING) + s.metrics().tasks(TaskState.AWARDED);
    }
    assertEquals(0, inFlight);
    System.out.println("seed " + seed + ": " + completed + "/" + TASKS + " completed, "
        + runsPerNodeAndTask.size() + " executions");
    assertTrue(completed >= TASKS / 2, "seed " + seed + ": only " + completed + " completed");
  }

  private static void build(SimulatedNode net, NodeIdentity id, Path dir,
      Map<String, Integer> runs, long price) {
    NodeId node = id.id();
    EdgeNode.builder().network(net).identity(id).storage(dir)
        .executor("reverse", price, ctx -> {
          runs.merge(node.toHex().substring(0, 8) + "/" + ctx.id(), 1, Integer::sum);
          return reverse(ctx.payload());
        }).build();
  }
}
