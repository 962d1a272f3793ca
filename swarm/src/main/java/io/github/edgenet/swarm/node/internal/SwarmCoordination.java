package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.allocation.TaskAllocator;
import io.github.edgenet.swarm.memory.CollectiveMemory;
import io.github.edgenet.swarm.memory.Trace;
import io.github.edgenet.swarm.node.Task;
import io.github.edgenet.swarm.node.TaskId;
import io.github.edgenet.swarm.protocol.SwarmMessageTypes;
import io.github.edgenet.swarm.protocol.SwarmProtocolException;
import io.github.edgenet.swarm.stigmergy.PheromoneField;
import java.util.ArrayList;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The swarm's part of the data flow on one node: who runs a task, and what the swarm remembers of
 * it afterwards.
 *
 * <ul>
 *   <li><b>Shortlist</b> ({@link #shortlist}), before any price is known: among the providers that
 *       sent a sealed bid, one drawn by Thompson sampling on the latency and success posteriors
 *       ({@link TaskAllocator}), one by roulette on the task type's pheromone trails ({@link
 *       PheromoneField}) among the others, one by roulette on the ledger's reputation (weight =
 *       score, {@link #useReputation}; Thompson sampling if none of them has any), the rest by
 *       Thompson sampling again. The sealed auction among the shortlist then decides (the market
 *       among the swarm's choices). Reputation weighs who is asked, never the price: prices must
 *       be exactly checkable by the winner, and reputation is only eventually the same on every
 *       node.
 *   <li><b>Outcomes</b> ({@link #outcome}, {@link #providerFailed}): a failed result (executor
 *       failure, rejected by the verifier, outvoted by a cross-check) is an observation of failure
 *       of its provider; an accepted result is an observation of success (latency in
 *       milliseconds), a pheromone deposit of quality 1 on the trail to it,
 *       and a trace of the task embedding in {@link CollectiveMemory}, tagged with the task type.
 *   <li><b>Sharing</b> ({@link #sharedStates()}): the allocation statistics, the trails and the
 *       memory patterns are gossiped by the engine in signed envelopes and merged as CRDTs, so
 *       every node learns from every other node's observations.
 * </ul>
 *
 * <p>Not thread-safe on its own: the engine calls it from its network thread only (the swarm
 * structures it holds synchronize themselves).
 */
public final class SwarmCoordination implements CandidateSelector, OutcomeSink {
  /** Most memory patterns shared per gossip round. */
  static final int SHARED_PATTERNS = 64;

  private final TaskAllocator allocator;
  private final PheromoneField trails;
  private final CollectiveMemory memory;
  private final RandomSource random;
  private final Clock clock;
  private ToDoubleFunction<NodeId> reputation = node -> 0;

  /**
   * Creates the swarm coordination of node {@code self}.
   *
   * @param self this node
   * @param clock its clock (pheromone evaporation, trace times)
   * @param random its seeded randomness, used for the Thompson and roulette draws only
   * @param embeddingDimension the task embedding length
   */
  public SwarmCoordination(NodeId self, Clock clock, RandomSource random, int embeddingDimension) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.allocator = TaskAllocator.builder(self).build();
    this.trails = PheromoneField.builder(self, clock).build();
    this.memory = CollectiveMemory.builder(self, embeddingDimension).maxPatterns(1_000).build();
  }

  @Override
  public List<NodeId> shortlist(Task task, List<NodeId> committers, int size) {
    List<NodeId> rest = new ArrayList<>(committers);
    rest.sort(null); // a deterministic base order, whatever order the commitments arrived in
    List<NodeId> chosen = new ArrayList<>(size);
    move(rest, allocator.chooseThompson(task.type(), rest, random), chosen);
    if (!rest.isEmpty() && chosen.size() < size) {
      move(rest, trails.select(task.type(), rest, random), chosen);
    }
    if (!rest.isEmpty() && chosen.size() < size) {
      NodeId reputable = byReputation(rest);
      move(rest, reputable != null ? reputable
          : allocator.chooseThompson(task.type(), rest, random), chosen);
    }
    while (!rest.isEmpty() && chosen.size() < size) {
      move(rest, allocator.chooseThompson(task.type(), rest, random), chosen);
    }
    return chosen;
  }

  /**
   * Roulette on reputation, each committer weighted by its score; null if none has any (then the
   * place goes to Thompson sampling, as without a ledger).
   */
  private NodeId byReputation(List<NodeId> candidates) {
    double[] weights = new double[candidates.size()];
    double total = 0;
    for (int i = 0; i < weights.length; i++) {
      double score = reputation.applyAsDouble(candidates.get(i));
      weights[i] = score > 0 && score < 1 ? score : 0;
      total += weights[i];
    }
    if (total == 0) {
      return null;
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) {
        return candidates.get(i);
      }
    }
    return candidates.getLast();
  }

  /**
   * Reputation weighs the shortlist's third place (in [0, 1) per node; the default knows none).
   * A node with a ledger reads it from the ledger's fold, the same on every node.
   *
   * @param scores a node's reputation now
   */
  public void useReputation(ToDoubleFunction<NodeId> scores) {
    this.reputation = Objects.requireNonNull(scores, "scores");
  }

  private static void move(List<NodeId> from, NodeId provider, List<NodeId> to) {
    if (from.remove(provider)) {
      to.add(provider);
    }
  }

  @Override
  public void outcome(TaskId id, Task task, NodeId provider, byte[] result, long latencyNanos) {
    if (provider == null) {
      return; // no provider's result was accepted: nothing to attribute
    }
    allocator.record(observationId(id, provider), provider, task.type(), latencyNanos / 1e6, true);
    trails.deposit(task.type(), provider, 1.0);
    memory.remember(new Trace(task.embedding(), 1.0, Set.of(task.type()), clock.epochMillis()));
  }

  /**
   * A failed result is an observation of failure for its provider (at the latency it cost), so
   * Thompson sampling learns to avoid providers whose results fail verification or cross-checks.
   */
  @Override
  public void providerFailed(TaskId id, Task task, NodeId provider, long latencyNanos) {
    allocator.record(observationId(id, provider), provider, task.type(), latencyNanos / 1e6, false);
  }

  private static long observationId(TaskId id, NodeId provider) {
    long h = id.submitter().hashCode() * 0x9E3779B97F4A7C15L ^ id.number();
    return h * 31 + provider.hashCode();
  }

  /** Workers the allocation statistics (this node's and those gossiped to it) saw succeed. */
  @Override
  public List<NodeId> knownWorkers(String type, int limit) {
    return allocator.workers(type, limit);
  }

  /** The allocation statistics, trails and memory patterns, as the engine gossips them. */
  public List<SharedState> sharedStates() {
    return List.of(
        new Shared(SwarmMessageTypes.ALLOCATION_STATS) {
          @Override
          public List<byte[]> ownPayloads() {
            return allocator.statsPayloads();
          }

          @Override
          public int merge(Envelope e) throws SwarmProtocolException {
            return allocator.merge(e);
          }

          @Override
          public void restoreOwn(ByteBuffer payload) throws SwarmProtocolException {
            allocator.restoreOwn(payload);
          }
        },
        new Shared(SwarmMessageTypes.PHEROMONE_FIELD) {
          @Override
          public List<byte[]> ownPayloads() {
            trails.prune();
            return trails.ownPayloads();
          }

          @Override
          public int merge(Envelope e) throws SwarmProtocolException {
            return trails.merge(e);
          }

          @Override
          public void restoreOwn(ByteBuffer payload) throws SwarmProtocolException {
            trails.restoreOwn(payload);
          }
        },
        new Shared(SwarmMessageTypes.MEMORY_PATTERNS) {
          @Override
          public List<byte[]> ownPayloads() {
            memory.consolidate();
            return memory.ownPayloads(SHARED_PATTERNS);
          }

          @Override
          public int merge(Envelope e) throws SwarmProtocolException {
            return memory.merge(e);
          }

          @Override
          public void restoreOwn(ByteBuffer payload) throws SwarmProtocolException {
            memory.restoreOwn(payload);
          }
        });
  }

  /** The allocator (for metrics and tests). */
  public TaskAllocator allocator() {
    return allocator;
  }

  /** The pheromone trails (for metrics and tests). */
  public PheromoneField trails() {
    return trails;
  }

  /** The collective memory (for metrics and tests). */
  public CollectiveMemory memory() {
    return memory;
  }

  private abstract static class Shared implements SharedState {
    private final int type;

    Shared(int type) {
      this.type = type;
    }

    @Override
    public int messageType() {
      return type;
    }
  }
}
