package io.github.edgenet.swarm.node;

import static io.github.edgenet.swarm.node.Sims.identity;
import static io.github.edgenet.swarm.node.Sims.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.swarm.node.internal.AllocationGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * optimize's allocator in the flow: a provider with 2 execution slots and two task types; bursts
 * of one type are declined beyond its share (a BUSY answer instead of an offer) while the other
 * type keeps its slot, the provider never holds more than its slots, the declined submitter asks
 * again after the wait the provider asked for, and the metrics count admitted and declined tasks.
 */
class AllocatorFlowTest {
  private static final Duration TEN_S = Duration.ofSeconds(10);

  @Test
  void aBurstOfOneTypeIsDeclinedBeyondItsShareWhileTheOtherKeepsItsSlot() {
    NetworkSimulator sim = Sims.simulator(41);
    EdgeNode provider = EdgeNode.builder().simulator(sim).identity(identity(41, 1))
        .config(EdgeNodeConfig.builder().executionSlots(2).build())
        .executor("a", 5, ctx -> Sims.reverse(ctx.payload()))
        .executor("b", 5, ctx -> Sims.reverse(ctx.payload())).build();
    EdgeNode host = EdgeNode.builder().simulator(sim).identity(identity(41, 0)).build();
    AllocationGate gate = (AllocationGate) provider.engine().seams().gate();
    sim.runFor(Duration.ofSeconds(3));

    List<CompletableFuture<byte[]>> as = new ArrayList<>();
    List<CompletableFuture<byte[]>> bs = new ArrayList<>();
    long maxHeld = 0;
    for (int burst = 0; burst < 10; burst++) {
      for (int k = 0; k < 6; k++) {
        as.add(host.submit(task("a", "a " + burst + " " + k, 1_000_000, TEN_S)));
      }
      bs.add(host.submit(task("b", "b " + burst, 1_000_000, TEN_S)));
      for (int step = 0; step < 60; step++) { // 3 s between bursts, watched every 50 ms
        sim.runFor(Duration.ofMillis(50));
        maxHeld = Math.max(maxHeld, gate.held());
      }
    }
    sim.runFor(TEN_S);
    long aDone = as.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
    long bDone = bs.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
    NodeMetrics m = provider.metrics();
    System.out.printf("a: %d of %d done, b: %d of %d; admitted %s, declined %s, shares %s%n",
        aDone, as.size(), bDone, bs.size(), m.admittedByType(), m.declinedByType(),
        gate.shares());
    Map<TaskFailedException.Reason, Long> failures = host.metrics().failuresByReason();
    System.out.println("failures at the submitter " + failures);
    assertTrue(maxHeld <= 2, "held " + maxHeld);
    assertEquals(bs.size(), bDone, "b keeps its slot");
    assertEquals(0, m.declinedByType().get("b"));
    assertTrue(m.declinedByType().get("a") >= as.size() / 2, "a declined " + m.declinedByType());
    // a declined request is answered BUSY and asked again later, never given up on: what fails,
    // fails at its deadline (without BUSY, 27 of 60 completed and the rest were NO_CANDIDATE)
    assertEquals(0, failures.get(TaskFailedException.Reason.NO_CANDIDATE), failures.toString());
    assertEquals(as.size() - aDone, failures.get(TaskFailedException.Reason.DEADLINE_EXCEEDED));
    assertTrue(aDone >= as.size() * 6 / 10 && aDone < as.size(), "a done " + aDone);
    assertEquals(m.admittedByType(), gate.admitted());
    assertEquals(aDone + bDone, m.executions());
  }
}
