package io.github.edgenet.swarm.node;

import io.github.edgenet.core.identity.NodeId;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The economy's part of a {@link NodeMetrics} snapshot. Counts are since the node object was built;
 * the ledger's figures ({@link #slashes()}, {@link #slashedMicros()}, the equivocations) are
 * network-wide, read from this node's copy of the replicated ledger (0 without a genesis).
 *
 * <p>Immutable and thread-safe.
 *
 * @param auctions sealed-auction rounds this node settled as a submitter
 * @param pricesPaid results accepted and paid for (one per paid provider)
 * @param pricesPaidMicros the sum of those prices, micro-units
 * @param lastPricePaidMicros the latest of those prices (0 before the first)
 * @param minPricePaidMicros the least of those prices (0 before the first)
 * @param maxPricePaidMicros the largest of those prices (0 before the first)
 * @param silentBidders shortlisted providers that never revealed their sealed bid
 * @param revealMismatches reveals that did not open their commitment
 * @param verdicts guilty verdicts this node signed as an adjudicator
 * @param dismissed accusations this node examined as an adjudicator and found unproven
 * @param slashes slash operations on the ledger (adjudicators' verdicts; equivocation is slashed
 *     by the ledger's fold without one, see {@code equivocationSlashes})
 * @param slashedMicros stake slashed on the ledger, micro-units (by verdict and for equivocation)
 * @param audits accepted results this node sent to the adjudicators for re-execution
 * @param clawBacks unvested rewards this node, as a funder, clawed back after a slash
 * @param stakeMicros this node's bonded stake
 * @param vestingGrantedMicros what the vesting grants paying this node amount to
 * @param vestingClaimedMicros what this node claimed of them
 * @param vestingClawedBackMicros what their funders clawed back
 * @param reputation the reputation in [0, 1) of the providers this node knows (its own included
 *     if it runs tasks), read from its ledger: the same on every node holding the same operations;
 *     0 for a provider that is not staked or has no record. Empty without a genesis
 * @param equivocators the accounts this node's ledger holds an equivocation proof for (two signed
 *     operations of one account for one sequence, such as a double spend), in id order: the
 *     ledger voids each one's chain from the conflict on
 * @param equivocationSlashes how many of them the ledger's fold slashed (once each, a share of
 *     their bonded stake; docs/economy.md)
 * @param equivocationSlashedMicros the stake those slashes took, micro-units
 * @param compensatedMicros what receivers of the equivocators' voided payments were paid from
 *     those slashes, micro-units (the rest was burned)
 */
public record EconomyMetrics(
    long auctions,
    long pricesPaid,
    long pricesPaidMicros,
    long lastPricePaidMicros,
    long minPricePaidMicros,
    long maxPricePaidMicros,
    long silentBidders,
    long revealMismatches,
    long verdicts,
    long dismissed,
    long slashes,
    long slashedMicros,
    long audits,
    long clawBacks,
    long stakeMicros,
    long vestingGrantedMicros,
    long vestingClaimedMicros,
    long vestingClawedBackMicros,
    Map<NodeId, Double> reputation,
    List<NodeId> equivocators,
    long equivocationSlashes,
    long equivocationSlashedMicros,
    long compensatedMicros) {

  /**
   * Copies the map (unmodifiable, in node-id order) and the list.
   *
   * @throws NullPointerException if {@code reputation} or {@code equivocators} is null
   */
  public EconomyMetrics {
    reputation = Collections.unmodifiableMap(new TreeMap<>(reputation));
    equivocators = List.copyOf(equivocators);
  }

  /**
   * The mean price paid per accepted result, in micro-units.
   *
   * @return {@code pricesPaidMicros / pricesPaid}, or 0 before the first price was paid
   */
  public double meanPricePaidMicros() {
    return pricesPaid == 0 ? 0 : (double) pricesPaidMicros / pricesPaid;
  }
}
