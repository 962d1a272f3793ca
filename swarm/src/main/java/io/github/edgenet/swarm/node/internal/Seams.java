package io.github.edgenet.swarm.node.internal;

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
 */
public record Seams(
    CandidateSelector candidates,
    ProviderPricing pricing,
    Settlement settlement,
    MisbehaviourSink misbehaviour,
    OutcomeSink outcomes,
    ResourceGate gate) {

  /** Checks for nulls. */
  public Seams {
    Objects.requireNonNull(candidates, "candidates");
    Objects.requireNonNull(pricing, "pricing");
    Objects.requireNonNull(settlement, "settlement");
    Objects.requireNonNull(misbehaviour, "misbehaviour");
    Objects.requireNonNull(outcomes, "outcomes");
    Objects.requireNonNull(gate, "gate");
  }

  /** The defaults: lowest price, fixed advertised prices, no payment, an evidence log, no learning. */
  public static Seams defaults(Map<String, Long> prices) {
    return new Seams(new LowestPriceCandidates(), new FixedAdvertisedPrice(prices),
        new NoPayment(), new EvidenceLog(256), new NoLearning(), new AlwaysAdmit());
  }

  /** This with another candidate selector. */
  public Seams withCandidates(CandidateSelector c) {
    return new Seams(c, pricing, settlement, misbehaviour, outcomes, gate);
  }

  /** This with another misbehaviour sink. */
  public Seams withMisbehaviour(MisbehaviourSink m) {
    return new Seams(candidates, pricing, settlement, m, outcomes, gate);
  }
}
