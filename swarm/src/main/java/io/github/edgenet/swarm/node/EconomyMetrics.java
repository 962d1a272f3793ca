package io.github.edgenet.swarm.node;

/**
 * The economy's part of a {@link NodeMetrics} snapshot. Counts are since the node object was built;
 * the ledger's figures ({@link #slashes()}, {@link #slashedMicros()}) are network-wide, read from
 * this node's copy of the replicated ledger (0 without a genesis).
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
 * @param slashes slash operations on the ledger
 * @param slashedMicros stake slashed on the ledger, micro-units
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
    long slashedMicros) {

  /** Nothing counted. */
  public static final EconomyMetrics NONE = new EconomyMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** The mean price paid, micro-units (0 before the first). */
  public double meanPricePaidMicros() {
    return pricesPaid == 0 ? 0 : (double) pricesPaidMicros / pricesPaid;
  }
}
