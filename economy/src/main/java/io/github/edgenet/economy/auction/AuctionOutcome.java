package io.github.edgenet.economy.auction;

import io.github.edgenet.core.identity.NodeId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settlement of a sealed reverse auction. The ledger pays {@code paymentMicros} from the buyer
 * to the winner (usually through escrow), returns every {@code refunds} deposit and moves every
 * {@code forfeits} deposit to the buyer (compensation for a bidder that committed and vanished).
 * Immutable; the maps iterate in node-id order.
 *
 * @param auctionId the auction
 * @param winner the lowest eligible bidder after the tie-break, if any bid was eligible
 * @param winningBid the winner's revealed bid, if any
 * @param paymentMicros the second-lowest eligible price, or the reserve price with one eligible
 *     bid, or 0 without a winner
 * @param ranking every eligible bidder, best first
 * @param ineligible revealed bidders whose bid broke the terms, with the term they broke
 * @param refunds deposits returned (every revealed bidder)
 * @param forfeits deposits forfeited (every bidder that committed and never revealed)
 */
public record AuctionOutcome(
    long auctionId, Optional<NodeId> winner, Optional<Bid> winningBid, long paymentMicros,
    List<NodeId> ranking, Map<NodeId, String> ineligible, Map<NodeId, Long> refunds,
    Map<NodeId, Long> forfeits) {

  /** Copies the collections so the outcome is immutable. */
  public AuctionOutcome {
    ranking = List.copyOf(ranking);
    ineligible = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(ineligible));
    refunds = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(refunds));
    forfeits = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(forfeits));
  }

  /**
   * The sum of forfeited deposits, micro-units.
   *
   * @return the sum of forfeited deposits, micro-units
   */
  public long forfeitedMicros() {
    return forfeits.values().stream().mapToLong(Long::longValue).sum();
  }
}
