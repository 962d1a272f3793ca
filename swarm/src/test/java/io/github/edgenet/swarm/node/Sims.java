package io.github.edgenet.swarm.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.sim.NetworkSimulator;
import io.github.edgenet.core.net.sim.OutboundInterceptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Shared helpers for tests on the simulator. */
final class Sims {
  static final int DIM = 16;

  private Sims() {}

  /** Drops a node's outgoing RESULT frames (envelope type 0x5305 at bytes 4-5). */
  static final OutboundInterceptor DROP_RESULTS = (to, message, out) -> {
    if (!(message.length > 6 && message[4] == 0x53 && message[5] == 0x05)) {
      out.send(to, message);
    }
  };

  static NetworkSimulator simulator(long seed) {
    return NetworkSimulator.builder().seed(seed).build();
  }

  static NodeIdentity identity(long seed, int index) {
    return NodeIdentity.generate(RandomSource.seeded(seed).derive("id").derive(index));
  }

  static float[] embedding(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    float[] e = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      e[i] = (float) r.nextGaussian();
    }
    return e;
  }

  static Task task(String type, String payload, long maxPrice, Duration deadline) {
    return new Task(type, payload.getBytes(StandardCharsets.UTF_8), embedding(payload.hashCode()),
        maxPrice, deadline);
  }

  static byte[] reverse(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }

  /** Runs the simulator until {@code f} is done or {@code max} of virtual time passed. */
  static void runUntilDone(NetworkSimulator sim, CompletableFuture<?> f, Duration max) {
    long end = sim.now() + max.toNanos();
    while (!f.isDone() && sim.now() < end) {
      sim.runFor(Duration.ofMillis(50));
    }
    assertTrue(f.isDone(), "not done after " + max + " of virtual time");
  }

  /** The failure reason of a failed future. */
  static TaskFailedException.Reason reason(CompletableFuture<?> f) {
    try {
      f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TaskFailedException t) {
        return t.reason();
      }
      throw new AssertionError("failed with " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("completed normally");
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /**
   * What a task's winner must have been paid, from the asks its submitter saw revealed (the
   * BID_REVEALED events): economy's second price (the lowest other ask, or {@code reserve} for a
   * lone bid) if the winner's ask was the lowest (ties to the smaller node id, economy's rule);
   * else the winner replaced a failed bidder and is paid its own ask.
   */
  static long expectedPrice(java.util.Map<io.github.edgenet.core.identity.NodeId, Long> asks,
      io.github.edgenet.core.identity.NodeId winner, long reserve) {
    long own = asks.get(winner);
    boolean lowest = asks.entrySet().stream().allMatch(e -> e.getValue() > own
        || e.getValue() == own && e.getKey().compareTo(winner) >= 0);
    if (!lowest) {
      return own;
    }
    return asks.entrySet().stream().filter(e -> !e.getKey().equals(winner))
        .mapToLong(java.util.Map.Entry::getValue).min().orElse(reserve);
  }
}
