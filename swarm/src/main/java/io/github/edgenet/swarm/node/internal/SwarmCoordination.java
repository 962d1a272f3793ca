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
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The swarm's part of the data flow on one node: who runs a task, and what the swarm remembers of
 * it afterwards.
 *
 * <ul>
 *   <li><b>Ranking</b> ({@link #rank}): the swarm shortlists {@value #SHORTLIST} of the offering
 *       providers: one drawn by Thompson sampling on the latency and success posteriors
 *       ({@link TaskAllocator}), one by roulette on the task type's pheromone trails ({@link
 *       PheromoneField}) among the others, the rest by Thompson sampling again. The shortlist is
 *       then ordered by price (the market decides among the swarm's choices; the swarm's order
 *       breaks ties); the providers left out follow by price, then node id.
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
  private static final Comparator<Offer> BY_PRICE =
      Comparator.comparingLong(Offer::priceMicros).thenComparing(Offer::provider);
  /** How many providers the swarm shortlists for the price comparison. */
  static final int SHORTLIST = 3;
  /** Most memory patterns shared per gossip round. */
  static final int SHARED_PATTERNS = 64;

  private final TaskAllocator allocator;
  private final PheromoneField trails;
  private final CollectiveMemory memory;
  private final RandomSource random;
  private final Clock clock;

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
  public List<Offer> rank(Task task, List<Offer> offers) {
    List<Offer> rest = new ArrayList<>(offers);
    rest.sort(BY_PRICE); // a deterministic base order, whatever order the offers arrived in
    List<Offer> shortlist = new ArrayList<>(SHORTLIST);
    move(rest, allocator.chooseThompson(task.type(), providers(rest), random), shortlist);
    if (!rest.isEmpty()) {
      move(rest, trails.select(task.type(), providers(rest), random), shortlist);
    }
    while (!rest.isEmpty() && shortlist.size() < SHORTLIST) {
      move(rest, allocator.chooseThompson(task.type(), providers(rest), random), shortlist);
    }
    // The market among the shortlisted: the lowest price wins, the swarm's order breaks ties.
    shortlist.sort(Comparator.comparingLong(Offer::priceMicros));
    shortlist.addAll(rest);
    return shortlist;
  }

  private static List<NodeId> providers(List<Offer> offers) {
    List<NodeId> ids = new ArrayList<>(offers.size());
    for (Offer o : offers) {
      ids.add(o.provider());
    }
    return ids;
  }

  private static void move(List<Offer> from, NodeId provider, List<Offer> to) {
    for (int i = 0; i < from.size(); i++) {
      if (from.get(i).provider().equals(provider)) {
        to.add(from.remove(i));
        return;
      }
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
