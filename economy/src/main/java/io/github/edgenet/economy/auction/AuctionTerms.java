package io.github.edgenet.economy.auction;

import io.github.edgenet.core.identity.NodeId;
import java.util.Objects;

/**
 * The terms of one sealed reverse auction for a task, fixed by the buyer's signed announcement.
 * Immutable.
 *
 * @param auctionId unique id of the auction (bound into every commitment, so a commitment cannot be
 *     replayed into another auction)
 * @param buyer who pays the winner
 * @param commitDeadlineMillis commitments are accepted up to and including this time
 * @param revealDeadlineMillis reveals are accepted after the commit deadline up to and including
 *     this time; settlement after it
 * @param depositMicros the deposit every commitment locks, > 0; returned on reveal, forfeited if
 *     the bidder never reveals
 * @param reservePriceMicros the most the buyer pays; bids above it are ineligible and a lone
 *     eligible bid is paid this (second-price auction with a reserve)
 * @param minBidMicros the least acceptable bid, in (0, reservePriceMicros]
 * @param maxLatencyMillis the largest acceptable promised latency, > 0
 * @param minQualityBps the least acceptable promised quality in basis points, in [0, 10000]
 * @param maxBidders the most commitments held, in [1, 100000] (bounds memory)
 */
public record AuctionTerms(
    long auctionId, NodeId buyer, long commitDeadlineMillis, long revealDeadlineMillis,
    long depositMicros, long reservePriceMicros, long minBidMicros, long maxLatencyMillis,
    int minQualityBps, int maxBidders) {

  /**
   * Validates the terms.
   *
   * @throws IllegalArgumentException naming the first value out of range
   */
  public AuctionTerms {
    Objects.requireNonNull(buyer, "buyer");
    if (revealDeadlineMillis <= commitDeadlineMillis) {
      throw new IllegalArgumentException("revealDeadlineMillis " + revealDeadlineMillis
          + " must be after commitDeadlineMillis " + commitDeadlineMillis);
    }
    if (depositMicros <= 0) {
      throw new IllegalArgumentException("depositMicros must be > 0, got " + depositMicros);
    }
    if (minBidMicros <= 0 || minBidMicros > reservePriceMicros) {
      throw new IllegalArgumentException("need 0 < minBidMicros <= reservePriceMicros, got "
          + minBidMicros + ", " + reservePriceMicros);
    }
    if (maxLatencyMillis <= 0) {
      throw new IllegalArgumentException("maxLatencyMillis must be > 0, got " + maxLatencyMillis);
    }
    if (minQualityBps < 0 || minQualityBps > 10_000) {
      throw new IllegalArgumentException("minQualityBps must be in [0, 10000], got " + minQualityBps);
    }
    if (maxBidders < 1 || maxBidders > 100_000) {
      throw new IllegalArgumentException("maxBidders must be in [1, 100000], got " + maxBidders);
    }
  }
}
