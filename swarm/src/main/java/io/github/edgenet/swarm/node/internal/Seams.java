package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The places where learning, optimize, economy and the swarm algorithms plug into a node, with the
 * honest defaults each starts from. See each interface for what the real module must provide.
 *
 * @param candidates who gets a task (swarm)
 * @param pricing what this node asks (economy market / auction)
 * @param settlement who pays whom (economy ledger)
 * @param misbehaviour where evidence goes (economy reputation and slashing)
 * @param outcomes what is learned from outcomes (learning, stigmergy, collective memory)
 * @param gate whether this node takes a task now (optimize allocator)
 * @param shared state gossiped with peers and merged from theirs (swarm statistics, trails, memory)
 * @param learning which adapter a task type runs with and what the provider learns from it
 *     (learning: replay, EWC, robustly aggregated shared adapters)
 */
public record Seams(
    CandidateSelector candidates,
    ProviderPricing pricing,
    Settlement settlement,
    MisbehaviourSink misbehaviour,
    OutcomeSink outcomes,
    ResourceGate gate,
    List<SharedState> shared,
    AdapterLearning learning) {

  /** Checks for nulls. */
  public Seams {
    Objects.requireNonNull(candidates, "candidates");
    Objects.requireNonNull(pricing, "pricing");
    Objects.requireNonNull(settlement, "settlement");
    Objects.requireNonNull(misbehaviour, "misbehaviour");
    Objects.requireNonNull(outcomes, "outcomes");
    Objects.requireNonNull(gate, "gate");
    shared = List.copyOf(shared);
    Objects.requireNonNull(learning, "learning");
  }

  /**
   * The seams a node runs with: the swarm's coordination (Thompson sampling, pheromone trails,
   * collective memory, their gossiped statistics) for who runs a task and what is learned from it;
   * economy's compute pools for what this node asks ({@link MarketPricing}, starting at the
   * registered prices); no payment, an evidence log and admitting everything for the parts that
   * need more than this node's own state. The builder replaces the settlement and the evidence log
   * with {@link LedgerSettlement} when the network has a genesis (without one nobody holds money,
   * so every escrow would be refused), the gate with optimize's {@link AllocationGate} when the
   * configuration has execution slots, and the provider-side learning with {@link
   * CollectiveLearning} when a task type has an objective.
   *
   * @param self this node
   * @param clock its clock
   * @param random its seeded randomness (a stream is derived for the swarm)
   * @param embeddingDimension the task embedding length
   * @param prices this node's advertised price per task type, micro-units
   * @return the seams
   */
  public static Seams standard(NodeId self, Clock clock, RandomSource random,
      int embeddingDimension, Map<String, Long> prices) {
    SwarmCoordination swarm =
        new SwarmCoordination(self, clock, random.derive("swarm"), embeddingDimension);
    return new Seams(swarm, MarketPricing.withDefaults(self, clock, prices), new NoPayment(),
        new EvidenceLog(256), swarm, new AlwaysAdmit(), swarm.sharedStates(),
        new NoAdapterLearning());
  }

  /**
   * The placeholder seams: the first committers shortlisted, fixed advertised prices, no payment,
   * an evidence log, no learning, nothing shared.
   *
   * @param prices this node's advertised price per task type, micro-units
   * @return the seams
   */
  public static Seams defaults(Map<String, Long> prices) {
    return new Seams(new FirstCommitters(), new FixedAdvertisedPrice(prices),
        new NoPayment(), new EvidenceLog(256), new NoLearning(), new AlwaysAdmit(), List.of(),
        new NoAdapterLearning());
  }

  /** This with another candidate selector. */
  public Seams withCandidates(CandidateSelector c) {
    return new Seams(c, pricing, settlement, misbehaviour, outcomes, gate, shared, learning);
  }

  /** This with another pricing. */
  public Seams withPricing(ProviderPricing p) {
    return new Seams(candidates, p, settlement, misbehaviour, outcomes, gate, shared, learning);
  }

  /** This with another settlement. */
  public Seams withSettlement(Settlement s) {
    return new Seams(candidates, pricing, s, misbehaviour, outcomes, gate, shared, learning);
  }

  /** This with another misbehaviour sink. */
  public Seams withMisbehaviour(MisbehaviourSink m) {
    return new Seams(candidates, pricing, settlement, m, outcomes, gate, shared, learning);
  }

  /** This with another resource gate. */
  public Seams withGate(ResourceGate g) {
    return new Seams(candidates, pricing, settlement, misbehaviour, outcomes, g, shared, learning);
  }

  /** This with another provider-side learning. */
  public Seams withLearning(AdapterLearning l) {
    return new Seams(candidates, pricing, settlement, misbehaviour, outcomes, gate, shared, l);
  }
}
