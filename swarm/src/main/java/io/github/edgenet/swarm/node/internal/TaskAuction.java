package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.auction.AuctionException;
import io.github.edgenet.economy.auction.AuctionOutcome;
import io.github.edgenet.economy.auction.AuctionTerms;
import io.github.edgenet.economy.auction.Bid;
import io.github.edgenet.economy.auction.SealedReverseAuction;
import io.github.edgenet.swarm.node.TaskId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sealed commit-reveal auction of one task, on its submitter. Providers answer the REQUEST with
 * sealed commitments ({@link #commit}); the submitter's swarm selector shortlists among the
 * committers before any price is known; {@link #open} starts a round among the shortlist (economy's
 * {@link SealedReverseAuction}, one per round); the shortlisted reveal ({@link #reveal}); {@link
 * #settle} applies economy's rules: lowest eligible ask wins and is paid the second-lowest, or the
 * task's maximum price (the reserve) when it is the only eligible bid; ties by economy's
 * deterministic order.
 *
 * <p><b>Fail-over price.</b> The winner is paid economy's payment (the second-lowest eligible ask,
 * or the reserve). The bidders after it in the settled order, used when the winner fails or times
 * out and as cross-checkers, are each paid their own revealed ask: never below what they asked,
 * never above the reserve; for the runner-up that is the second price, the winner's own payment.
 * Every price is a function of the signed reveals alone.
 *
 * <p><b>Times.</b> The machine runs on the submitter's clock: the commitments of the shortlist are
 * entered at the round's commit deadline (the moment it is opened), reveals at their arrival
 * (clamped into the reveal window), and settlement one millisecond after the reveal deadline, even
 * when every shortlisted bidder revealed earlier (then nothing can change any more). The machine's
 * deposit is a nominal 1 micro-unit that no ledger moves: withholding a reveal is answered by a
 * failure observation and evidence (see the engine), not by a deposit.
 *
 * <p>Confined to the engine's lock.
 */
final class TaskAuction {
  /** A sealed commitment as it arrived: the commitment, the signed frame, the round trip. */
  record Commit(byte[] commitment, byte[] frame, long roundTripNanos) {}

  /** Why a reveal was not taken. */
  enum RevealOutcome {
    /** Entered into the round. */
    ACCEPTED,
    /** From a bidder not in the open round (or no round is open). */
    NOT_SHORTLISTED,
    /** Already revealed in this round. */
    DUPLICATE,
    /** The bid and salt do not hash to the bidder's commitment. */
    MISMATCH
  }

  /**
   * A settled round.
   *
   * @param ranked the eligible bidders, best first, each with the price it is awarded at
   * @param paymentMicros economy's payment to the winner (0 without one)
   * @param overLimit bidders that revealed an ask above the reserve
   * @param silent shortlisted bidders that never revealed, in node-id order
   */
  record Settled(List<Offer> ranked, long paymentMicros, int overLimit, List<NodeId> silent) {}

  final long auctionId;
  private final NodeId buyer;
  private final long reserveMicros;
  private final LinkedHashMap<NodeId, Commit> commits = new LinkedHashMap<>();
  private final Set<NodeId> shortlisted = new HashSet<>();
  private final Map<NodeId, byte[]> revealFrames = new LinkedHashMap<>();
  private final Map<NodeId, Bid> revealed = new LinkedHashMap<>();
  private final Set<NodeId> mismatched = new HashSet<>();
  private SealedReverseAuction round;
  private List<NodeId> roundBidders = List.of();
  private long revealDeadlineMillis;
  private int rounds;

  TaskAuction(TaskId id, long reserveMicros) {
    this.auctionId = SealedBids.auctionId(id);
    this.buyer = id.submitter();
    this.reserveMicros = reserveMicros;
  }

  /**
   * Keeps a provider's first commitment (later ones, and more than {@code max} committers, are
   * ignored).
   *
   * @return whether it was new
   */
  boolean commit(NodeId provider, byte[] commitment, byte[] frame, long roundTripNanos, int max) {
    if (commits.containsKey(provider) || commits.size() >= max) {
      return false;
    }
    commits.put(provider, new Commit(commitment.clone(), frame.clone(), roundTripNanos));
    return true;
  }

  /** The commitment held for {@code provider}, or null. */
  Commit commitOf(NodeId provider) {
    return commits.get(provider);
  }

  /** Committers never shortlisted and not in {@code excluded}, in arrival order. */
  List<NodeId> unlisted(Set<NodeId> excluded) {
    List<NodeId> out = new ArrayList<>();
    for (NodeId p : commits.keySet()) {
      if (!shortlisted.contains(p) && !excluded.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Lets shortlisted bidders that never revealed be shortlisted again (a new request round: a
   * bidder that was only slow gets another chance; its commitment stands).
   */
  void forgetSilent() {
    if (round == null) {
      shortlisted.removeIf(b -> !revealed.containsKey(b) && !mismatched.contains(b));
    }
  }

  /** Whether any provider committed. */
  boolean anyCommit() {
    return !commits.isEmpty();
  }

  /** Whether a round is open (shortlisted, not settled). */
  boolean isOpen() {
    return round != null;
  }

  /** Rounds opened so far. */
  int rounds() {
    return rounds;
  }

  /** The open round's bidders. */
  List<NodeId> roundBidders() {
    return roundBidders;
  }

  /** The slowest round trip among {@code bidders}, nanoseconds. */
  long slowestRoundTrip(List<NodeId> bidders) {
    long max = 0;
    for (NodeId b : bidders) {
      max = Math.max(max, commits.get(b).roundTripNanos());
    }
    return max;
  }

  /**
   * Opens a round among {@code shortlist} (committers), closing its commitments now.
   *
   * @param nowMillis the submitter's clock
   * @param windowMillis how long reveals are taken, {@code >= 1}
   * @return the SHORTLIST message's entries
   */
  List<Messages.Listed> open(List<NodeId> shortlist, long nowMillis, long windowMillis) {
    if (round != null) {
      throw new IllegalStateException("a round of auction " + auctionId + " is open");
    }
    round = SealedReverseAuction.open(new AuctionTerms(auctionId, buyer, nowMillis,
        nowMillis + windowMillis, 1, reserveMicros, 1, Long.MAX_VALUE, 0, shortlist.size()));
    revealDeadlineMillis = nowMillis + windowMillis;
    roundBidders = List.copyOf(shortlist);
    rounds++;
    List<Messages.Listed> listed = new ArrayList<>();
    for (NodeId b : shortlist) {
      Commit c = commits.get(b);
      round.commit(b, c.commitment(), 1, nowMillis);
      shortlisted.add(b);
      listed.add(new Messages.Listed(b, c.commitment()));
    }
    return listed;
  }

  /** Whether every bidder of the open round revealed (a mismatching reveal counts). */
  boolean allRevealed() {
    for (NodeId b : roundBidders) {
      if (!revealed.containsKey(b) && !mismatched.contains(b)) {
        return false;
      }
    }
    return true;
  }

  /** Takes a reveal of the open round; see {@link RevealOutcome}. */
  RevealOutcome reveal(NodeId bidder, Bid bid, byte[] salt, byte[] frame, long nowMillis) {
    if (round == null || !roundBidders.contains(bidder)) {
      return RevealOutcome.NOT_SHORTLISTED;
    }
    if (revealed.containsKey(bidder) || mismatched.contains(bidder)) {
      return RevealOutcome.DUPLICATE;
    }
    long at = Math.min(Math.max(nowMillis, round.terms().commitDeadlineMillis() + 1),
        revealDeadlineMillis);
    try {
      round.reveal(bidder, bid, salt, at);
    } catch (AuctionException e) {
      return switch (e.reason()) {
        case REVEAL_MISMATCH -> {
          mismatched.add(bidder);
          yield RevealOutcome.MISMATCH;
        }
        case DUPLICATE_REVEAL -> RevealOutcome.DUPLICATE;
        default -> throw new IllegalStateException("auction " + auctionId + " refused a reveal in"
            + " its window: " + e.getMessage(), e);
      };
    }
    revealed.put(bidder, bid);
    revealFrames.put(bidder, frame.clone());
    return RevealOutcome.ACCEPTED;
  }

  /** The signed REVEAL frame of {@code bidder}, or null. */
  byte[] revealFrame(NodeId bidder) {
    return revealFrames.get(bidder);
  }

  /** Settles the open round (see the class comment for the prices). */
  Settled settle() {
    AuctionOutcome o = round.settle(revealDeadlineMillis + 1);
    List<NodeId> ranking = o.ranking();
    List<Offer> ranked = new ArrayList<>(ranking.size());
    for (int k = 0; k < ranking.size(); k++) {
      long price = k == 0 ? o.paymentMicros() : revealed.get(ranking.get(k)).priceMicros();
      ranked.add(new Offer(ranking.get(k), price));
    }
    int overLimit = 0;
    for (NodeId b : o.ineligible().keySet()) {
      overLimit += revealed.get(b).priceMicros() > reserveMicros ? 1 : 0;
    }
    List<NodeId> silent = new ArrayList<>(o.forfeits().keySet());
    silent.removeAll(mismatched); // they answered, wrongly: evidence of its own
    round = null;
    roundBidders = List.of();
    return new Settled(List.copyOf(ranked), o.paymentMicros(), overLimit, List.copyOf(silent));
  }

  /** The revealed ask of {@code bidder}, or -1. */
  long askOf(NodeId bidder) {
    Bid b = revealed.get(bidder);
    return b == null ? -1 : b.priceMicros();
  }

  /** Whether the commitment held for {@code bidder} equals {@code commitment}. */
  boolean committed(NodeId bidder, byte[] commitment) {
    Commit c = commits.get(bidder);
    return c != null && Arrays.equals(c.commitment(), commitment);
  }
}
