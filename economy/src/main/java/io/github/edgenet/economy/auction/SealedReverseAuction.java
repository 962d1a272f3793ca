package io.github.edgenet.economy.auction;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.auction.AuctionException.Reason;
import io.github.edgenet.economy.internal.Canonical;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A sealed-bid reverse (procurement) auction for one task: the lowest eligible price wins and is
 * paid the second-lowest eligible price (a Vickrey auction, so asking one's true cost is a weakly
 * dominant strategy), or the reserve price when only one bid is eligible.
 *
 * <p><b>Phases</b>, by the signed operations' times: {@link #commit} up to and including the commit
 * deadline (a salted SHA-256 commitment, see {@link Bid#commitment}, and the deposit);
 * {@link #reveal} after the commit deadline up to and including the reveal deadline (a reveal that
 * does not hash to the commitment is refused); {@link #settle} after the reveal deadline. A revealed
 * bid breaking the terms (below the minimum, above the reserve, too slow, too low a quality) is
 * recorded as ineligible and its deposit returned: the bidder was honest about a bad offer.
 * Unrevealed commitments forfeit their deposits.
 *
 * <p><b>Tie-break</b> (deterministic, independent of arrival order): lower price, then higher
 * quality, then lower latency, then the smaller node id (unsigned bytes).
 *
 * <p>Refusals are {@link AuctionException}s thrown before any change. Thread-safe: one monitor.
 */
public final class SealedReverseAuction {
  /** Best first: price, then quality (higher), then latency, then node id. */
  private static final Comparator<Map.Entry<NodeId, Bid>> ORDER =
      Comparator.<Map.Entry<NodeId, Bid>>comparingLong(e -> e.getValue().priceMicros())
          .thenComparing(e -> -e.getValue().qualityBps())
          .thenComparingLong(e -> e.getValue().latencyMillis())
          .thenComparing(Map.Entry::getKey);

  private final AuctionTerms terms;
  private final TreeMap<NodeId, byte[]> commitments = new TreeMap<>();
  private final TreeMap<NodeId, Bid> revealed = new TreeMap<>();
  private final TreeMap<NodeId, String> ineligible = new TreeMap<>();
  private AuctionOutcome outcome;

  private SealedReverseAuction(AuctionTerms terms) {
    this.terms = Objects.requireNonNull(terms, "terms");
  }

  /**
   * Opens an auction under {@code terms}.
   *
   * @param terms the buyer's auction id, deadlines, deposit, reserve and bid constraints
   * @return the new auction, open for commitments until the commit deadline
   */
  public static SealedReverseAuction open(AuctionTerms terms) {
    return new SealedReverseAuction(terms);
  }

  /**
   * The auction's terms.
   *
   * @return the auction's terms
   */
  public AuctionTerms terms() {
    return terms;
  }

  /**
   * Records a bidder's commitment; the ledger locks {@code depositMicros} from the bidder.
   *
   * @param bidder who signed the commitment
   * @param commitment the 32-byte hash from {@link Bid#commitment} (copied)
   * @param depositMicros the deposit locked, must equal the terms' deposit
   * @param atMillis the signed operation's time
   * @throws AuctionException {@code ALREADY_SETTLED}, {@code COMMIT_CLOSED}, {@code MALFORMED},
   *     {@code WRONG_DEPOSIT}, {@code DUPLICATE_COMMIT} or {@code TOO_MANY_BIDDERS}
   */
  public synchronized void commit(NodeId bidder, byte[] commitment, long depositMicros,
      long atMillis) {
    Objects.requireNonNull(bidder, "bidder");
    notSettled();
    if (atMillis > terms.commitDeadlineMillis()) {
      throw new AuctionException(Reason.COMMIT_CLOSED,
          "commit at " + atMillis + " after the deadline " + terms.commitDeadlineMillis());
    }
    if (commitment == null || commitment.length != Bid.HASH_LENGTH) {
      throw new AuctionException(Reason.MALFORMED, "commitment must be " + Bid.HASH_LENGTH
          + " bytes, got " + (commitment == null ? "null" : commitment.length));
    }
    if (depositMicros != terms.depositMicros()) {
      throw new AuctionException(Reason.WRONG_DEPOSIT,
          "deposit " + depositMicros + ", the terms require " + terms.depositMicros());
    }
    if (commitments.containsKey(bidder)) {
      throw new AuctionException(Reason.DUPLICATE_COMMIT, bidder + " committed already");
    }
    if (commitments.size() >= terms.maxBidders()) {
      throw new AuctionException(Reason.TOO_MANY_BIDDERS, "limit " + terms.maxBidders());
    }
    commitments.put(bidder, commitment.clone());
  }

  /**
   * Opens a bidder's commitment.
   *
   * @param bidder who signed the reveal
   * @param bid the bid committed to
   * @param salt the 32-byte salt committed to
   * @param atMillis the signed operation's time
   * @return whether the bid is eligible under the terms (an ineligible bid is still a valid reveal)
   * @throws AuctionException {@code ALREADY_SETTLED}, {@code REVEAL_TOO_EARLY}, {@code
   *     LATE_REVEAL},
   *     {@code UNKNOWN_BIDDER}, {@code DUPLICATE_REVEAL}, {@code MALFORMED} or
   *     {@code REVEAL_MISMATCH}
   */
  public synchronized boolean reveal(NodeId bidder, Bid bid, byte[] salt, long atMillis) {
    Objects.requireNonNull(bidder, "bidder");
    Objects.requireNonNull(bid, "bid");
    notSettled();
    if (atMillis <= terms.commitDeadlineMillis()) {
      throw new AuctionException(Reason.REVEAL_TOO_EARLY,
          "reveal at " + atMillis + " before the commit deadline " + terms.commitDeadlineMillis());
    }
    if (atMillis > terms.revealDeadlineMillis()) {
      throw new AuctionException(Reason.LATE_REVEAL,
          "reveal at " + atMillis + " after the deadline " + terms.revealDeadlineMillis());
    }
    byte[] committed = commitments.get(bidder);
    if (committed == null) {
      throw new AuctionException(Reason.UNKNOWN_BIDDER, bidder + " never committed");
    }
    if (revealed.containsKey(bidder)) {
      throw new AuctionException(Reason.DUPLICATE_REVEAL, bidder + " revealed already");
    }
    if (!Bid.matches(committed, bid.commitment(terms.auctionId(), bidder, salt))) {
      throw new AuctionException(Reason.REVEAL_MISMATCH,
          bidder + "'s bid " + bid + " does not match its commitment");
    }
    String broken = brokenTerm(bid);
    revealed.put(bidder, bid);
    if (broken != null) {
      ineligible.put(bidder, broken);
    }
    return broken == null;
  }

  private String brokenTerm(Bid bid) {
    if (bid.priceMicros() < terms.minBidMicros()) {
      return "price " + bid.priceMicros() + " below the minimum " + terms.minBidMicros();
    }
    if (bid.priceMicros() > terms.reservePriceMicros()) {
      return "price " + bid.priceMicros() + " above the reserve " + terms.reservePriceMicros();
    }
    if (bid.latencyMillis() <= 0 || bid.latencyMillis() > terms.maxLatencyMillis()) {
      return "latency " + bid.latencyMillis() + " outside (0, " + terms.maxLatencyMillis() + "]";
    }
    if (bid.qualityBps() < terms.minQualityBps() || bid.qualityBps() > 10_000) {
      return "quality " + bid.qualityBps() + " outside [" + terms.minQualityBps() + ", 10000]";
    }
    return null;
  }

  /**
   * Settles the auction once the reveal deadline has passed. Idempotent in effect: a second call is
   * refused, {@link #outcome()} returns the settlement.
   *
   * @param atMillis the settling operation's time, after the reveal deadline
   * @return the winner, payment, refunds and forfeits
   * @throws AuctionException {@code NOT_CLOSED} or {@code ALREADY_SETTLED}
   */
  public synchronized AuctionOutcome settle(long atMillis) {
    notSettled();
    if (atMillis <= terms.revealDeadlineMillis()) {
      throw new AuctionException(Reason.NOT_CLOSED,
          "settle at " + atMillis + ", reveals are open until " + terms.revealDeadlineMillis());
    }
    List<Map.Entry<NodeId, Bid>> eligible = new ArrayList<>();
    for (Map.Entry<NodeId, Bid> e : revealed.entrySet()) {
      if (!ineligible.containsKey(e.getKey())) {
        eligible.add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    eligible.sort(ORDER);
    List<NodeId> ranking = eligible.stream().map(Map.Entry::getKey).toList();
    TreeMap<NodeId, Long> refunds = new TreeMap<>();
    TreeMap<NodeId, Long> forfeits = new TreeMap<>();
    for (NodeId b : commitments.keySet()) {
      (revealed.containsKey(b) ? refunds : forfeits).put(b, terms.depositMicros());
    }
    Optional<NodeId> winner = Optional.empty();
    Optional<Bid> winning = Optional.empty();
    long pay = 0;
    if (!eligible.isEmpty()) {
      winner = Optional.of(eligible.get(0).getKey());
      winning = Optional.of(eligible.get(0).getValue());
      pay = eligible.size() == 1 ? terms.reservePriceMicros() : eligible.get(1).getValue().priceMicros();
    }
    outcome = new AuctionOutcome(terms.auctionId(), winner, winning, pay, ranking, ineligible,
        refunds, forfeits);
    return outcome;
  }

  /**
   * The settlement, if {@link #settle} has run.
   *
   * @return the settlement, if {@link #settle} has run
   */
  public synchronized Optional<AuctionOutcome> outcome() {
    return Optional.ofNullable(outcome);
  }

  /**
   * How many bidders have committed.
   *
   * @return how many bidders have committed
   */
  public synchronized int commitments() {
    return commitments.size();
  }

  /**
   * How many bidders have revealed.
   *
   * @return how many bidders have revealed
   */
  public synchronized int reveals() {
    return revealed.size();
  }

  /**
   * SHA-256 over the canonical encoding of terms, commitments, reveals and settlement.
   *
   * @return SHA-256 over the canonical encoding of terms, commitments, reveals and settlement
   */
  public synchronized String digest() {
    Canonical c = Canonical.of("edgenet.auction.v1").u64(terms.auctionId()).id(terms.buyer())
        .u64(terms.commitDeadlineMillis()).u64(terms.revealDeadlineMillis())
        .u64(terms.depositMicros()).u64(terms.reservePriceMicros()).u64(terms.minBidMicros())
        .u64(terms.maxLatencyMillis()).u64(terms.minQualityBps()).u64(terms.maxBidders())
        .u64(commitments.size());
    for (Map.Entry<NodeId, byte[]> e : commitments.entrySet()) {
      c.id(e.getKey()).bytes(e.getValue());
      Bid b = revealed.get(e.getKey());
      c.bool(b != null);
      if (b != null) {
        c.u64(b.priceMicros()).u64(b.latencyMillis()).u64(b.qualityBps())
            .bool(ineligible.containsKey(e.getKey()));
      }
    }
    return c.bool(outcome != null).finishHex();
  }

  private void notSettled() {
    if (outcome != null) {
      throw new AuctionException(Reason.ALREADY_SETTLED, "auction " + terms.auctionId());
    }
  }
}
