package io.github.edgenet.economy.ledger;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.auction.AuctionTerms;
import io.github.edgenet.economy.auction.Bid;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A sealed reverse auction as signed ledger operations, settled by the rules of {@link
 * io.github.edgenet.economy.auction.SealedReverseAuction} (lowest eligible ask wins, paid the
 * second-lowest eligible ask or the reserve; deterministic tie-break). The auction's id is the
 * id of its {@link Open} operation; commitments use {@link Bid#commitment} with {@link
 * #auctionId(OperationId)}.
 *
 * <ul>
 *   <li>{@link Open} (buyer): locks the reserve, the most it can pay.
 *   <li>{@link Commit} (bidder, at or before the commit deadline): locks the deposit.
 *   <li>{@link Reveal} (bidder, after the commit deadline, at or before the reveal deadline):
 *       opens the commitment; the deposit comes back at once.
 *   <li>{@link Settle} (buyer, after the reveal deadline): names the reveals it counts; the
 *       outcome is a function of those operations alone, so it is closed once the settle is held.
 *       The winner claims its payment with a {@link OperationBody.Receive} naming the settle; the
 *       rest of the reserve returns to the buyer.
 *   <li>{@link Forfeit} (buyer): takes the deposit of a commitment whose bidder signed an
 *       operation dated after the reveal deadline (the witness) without revealing before it; the
 *       buyer claims it with a {@link OperationBody.Receive} naming the forfeit.
 * </ul>
 *
 * Refusals are {@link LedgerException.Reason#AUCTION} with a {@link LedgerException#detail()}
 * from {@link io.github.edgenet.economy.auction.AuctionException.Reason}. docs/economy.md proves
 * that the outcome and every deposit's fate are closed and set-determined, and states what the
 * buyer and the bidders can still do.
 */
public sealed interface AuctionBody extends OperationBody {

  /** The most reveals one settlement may count (so that it fits one operation). */
  int MAX_BIDDERS = 30;

  /**
   * The 64-bit auction id that commitments bind ({@link Bid#commitment}): the first 8 bytes of
   * the {@link Open} operation's id, big-endian.
   *
   * @param open the id of the open operation
   * @return the auction id
   */
  static long auctionId(OperationId open) {
    byte[] b = open.toBytes();
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[i] & 0xFF);
    }
    return v;
  }

  /**
   * Opens an auction and locks {@code reservePriceMicros} of the buyer's balance until it
   * settles. The terms are those of {@link AuctionTerms} (validated the same way), with at most
   * {@link #MAX_BIDDERS} counted bidders; the open operation must be dated at or before the
   * commit deadline.
   *
   * @param commitDeadlineMillis commitments are accepted up to and including this time
   * @param revealDeadlineMillis reveals after the commit deadline up to and including this time
   * @param depositMicros the deposit every commitment locks, {@code > 0}
   * @param reservePriceMicros the most the buyer pays, locked now
   * @param minBidMicros the least acceptable ask, in (0, reserve]
   * @param maxLatencyMillis the largest acceptable latency, {@code > 0}
   * @param minQualityBps the least acceptable quality, in [0, 10000]
   * @param maxBidders how many reveals a settlement may count, in [1, {@link #MAX_BIDDERS}]
   * @param task a 32-byte task reference chosen by the buyer (copied)
   */
  record Open(long commitDeadlineMillis, long revealDeadlineMillis, long depositMicros,
      long reservePriceMicros, long minBidMicros, long maxLatencyMillis, int minQualityBps,
      int maxBidders, byte[] task) implements AuctionBody {
    /** Checks the terms as {@link AuctionTerms} does and copies the task reference. */
    public Open {
      if (commitDeadlineMillis < 0) {
        throw new IllegalArgumentException(
            "commitDeadlineMillis must be >= 0, was " + commitDeadlineMillis);
      }
      if (maxBidders > MAX_BIDDERS) {
        throw new IllegalArgumentException(
            "maxBidders must be at most " + MAX_BIDDERS + ", was " + maxBidders);
      }
      if (task.length != 32) {
        throw new IllegalArgumentException("task must be 32 bytes, was " + task.length);
      }
      new AuctionTerms(0, NodeId.of(new byte[NodeId.LENGTH]), commitDeadlineMillis,
          revealDeadlineMillis, depositMicros, reservePriceMicros, minBidMicros,
          maxLatencyMillis, minQualityBps, maxBidders);
      task = task.clone();
    }

    /**
     * The terms of the auction this body opens.
     *
     * @param open the id of the open operation
     * @param buyer its signer
     * @return the terms, with {@link #auctionId(OperationId)} as the auction id
     */
    public AuctionTerms terms(OperationId open, NodeId buyer) {
      return new AuctionTerms(auctionId(open), buyer, commitDeadlineMillis, revealDeadlineMillis,
          depositMicros, reservePriceMicros, minBidMicros, maxLatencyMillis, minQualityBps,
          maxBidders);
    }

    /**
     * A copy of the task reference.
     *
     * @return a copy of the task reference
     */
    @Override
    public byte[] task() {
      return task.clone();
    }

    @Override
    public OperationKind kind() {
      return OperationKind.AUCTION_OPEN;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Open x && commitDeadlineMillis == x.commitDeadlineMillis
          && revealDeadlineMillis == x.revealDeadlineMillis && depositMicros == x.depositMicros
          && reservePriceMicros == x.reservePriceMicros && minBidMicros == x.minBidMicros
          && maxLatencyMillis == x.maxLatencyMillis && minQualityBps == x.minQualityBps
          && maxBidders == x.maxBidders && Arrays.equals(task, x.task);
    }

    @Override
    public int hashCode() {
      return Objects.hash(commitDeadlineMillis, revealDeadlineMillis, depositMicros,
          reservePriceMicros, minBidMicros, maxLatencyMillis, minQualityBps, maxBidders)
          * 31 + Arrays.hashCode(task);
    }

    @Override
    public String toString() {
      return "Open[commit<=" + commitDeadlineMillis + ", reveal<=" + revealDeadlineMillis
          + ", deposit=" + depositMicros + ", reserve=" + reservePriceMicros + "]";
    }
  }

  /**
   * A bidder's sealed commitment, locking {@code depositMicros} (which must equal the auction's
   * deposit) of its balance. Once per bidder and auction, at or before the commit deadline; the
   * buyer may not bid.
   *
   * @param auction the id of the {@link Open} operation
   * @param depositMicros the deposit locked
   * @param commitment the 32-byte {@link Bid#commitment} (copied)
   */
  record Commit(OperationId auction, long depositMicros, byte[] commitment)
      implements AuctionBody {
    /** Checks the arguments and copies the commitment. */
    public Commit {
      Objects.requireNonNull(auction, "auction");
      if (depositMicros <= 0) {
        throw new IllegalArgumentException("depositMicros must be > 0, was " + depositMicros);
      }
      if (commitment.length != Bid.HASH_LENGTH) {
        throw new IllegalArgumentException("commitment must be 32 bytes, was "
            + commitment.length);
      }
      commitment = commitment.clone();
    }

    /**
     * A copy of the commitment.
     *
     * @return a copy of the commitment
     */
    @Override
    public byte[] commitment() {
      return commitment.clone();
    }

    @Override
    public OperationKind kind() {
      return OperationKind.BID_COMMIT;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Commit c && auction.equals(c.auction) && depositMicros == c.depositMicros
          && Arrays.equals(commitment, c.commitment);
    }

    @Override
    public int hashCode() {
      return Objects.hash(auction, depositMicros) * 31 + Arrays.hashCode(commitment);
    }

    @Override
    public String toString() {
      return "Commit[auction=" + auction + ", deposit=" + depositMicros + "]";
    }
  }

  /**
   * Opens the signing bidder's own commitment: the bid and salt must hash to it, dated after the
   * commit deadline and at or before the reveal deadline, once. The deposit returns to the
   * bidder's balance, whether the bid is eligible or not, and whether or not the buyer counts it.
   *
   * @param commit the id of the bidder's {@link Commit}
   * @param bid the committed bid
   * @param salt the committed 32-byte salt (copied)
   */
  record Reveal(OperationId commit, Bid bid, byte[] salt) implements AuctionBody {
    /** Checks the arguments and copies the salt. */
    public Reveal {
      Objects.requireNonNull(commit, "commit");
      Objects.requireNonNull(bid, "bid");
      if (salt.length != Bid.HASH_LENGTH) {
        throw new IllegalArgumentException("salt must be 32 bytes, was " + salt.length);
      }
      salt = salt.clone();
    }

    /**
     * A copy of the salt.
     *
     * @return a copy of the salt
     */
    @Override
    public byte[] salt() {
      return salt.clone();
    }

    @Override
    public OperationKind kind() {
      return OperationKind.BID_REVEAL;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Reveal r && commit.equals(r.commit) && bid.equals(r.bid)
          && Arrays.equals(salt, r.salt);
    }

    @Override
    public int hashCode() {
      return Objects.hash(commit, bid) * 31 + Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
      return "Reveal[commit=" + commit + ", " + bid + "]";
    }
  }

  /**
   * Settles the signing buyer's auction after the reveal deadline, counting exactly the named
   * reveals (at most the auction's {@code maxBidders}, in increasing id order, each a valid
   * reveal of a commitment to this auction): the outcome is {@link
   * io.github.edgenet.economy.auction.SealedReverseAuction}'s over them. Once per auction.
   *
   * @param auction the id of the {@link Open} operation
   * @param reveals the ids of the {@link Reveal} operations counted, strictly increasing
   */
  record Settle(OperationId auction, List<OperationId> reveals) implements AuctionBody {
    /** Checks the arguments and copies the list. */
    public Settle {
      Objects.requireNonNull(auction, "auction");
      reveals = List.copyOf(reveals);
      if (reveals.size() > MAX_BIDDERS) {
        throw new IllegalArgumentException(
            "at most " + MAX_BIDDERS + " reveals, got " + reveals.size());
      }
      for (int i = 1; i < reveals.size(); i++) {
        if (reveals.get(i - 1).compareTo(reveals.get(i)) >= 0) {
          throw new IllegalArgumentException("reveals must be strictly increasing by id");
        }
      }
    }

    @Override
    public OperationKind kind() {
      return OperationKind.AUCTION_SETTLE;
    }
  }

  /**
   * The buyer takes the deposit of a commitment to its auction that was never revealed: {@code
   * witness} is an operation of the bidder's chain, after the commitment, dated after the reveal
   * deadline, with no reveal of the commitment before it in the chain; by the chain's monotone
   * timestamps the bidder can then never reveal in time without equivocating. Once per
   * commitment. The buyer claims the deposit with a {@link OperationBody.Receive} naming this
   * operation.
   *
   * @param commit the id of the bidder's {@link Commit}
   * @param witness the id of the bidder's operation dated after the reveal deadline
   */
  record Forfeit(OperationId commit, OperationId witness) implements AuctionBody {
    /** Checks the arguments. */
    public Forfeit {
      Objects.requireNonNull(commit, "commit");
      Objects.requireNonNull(witness, "witness");
    }

    @Override
    public OperationKind kind() {
      return OperationKind.AUCTION_FORFEIT;
    }
  }
}
