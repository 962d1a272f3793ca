package io.github.edgenet.economy.auction;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.ledger.OperationId;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A snapshot of one sealed auction as a ledger folds it ({@code Ledger.auction(open)}): its
 * terms, every bidder's commitment and deposit, and the settlement. The same on every node that
 * holds the same operations. Immutable; maps iterate in node-id order.
 *
 * @param open the id of the auction's {@code AuctionBody.Open} operation
 * @param terms the terms (auction id = the first 8 bytes of {@code open})
 * @param commitments each bidder's commit operation
 * @param deposits each bidder's deposit: locked, refunded by its reveal, or forfeited
 * @param settlement the settle operation that took effect, if any
 * @param outcome its outcome (winner, payment, ranking), if settled
 */
public record LedgerAuction(OperationId open, AuctionTerms terms,
    Map<NodeId, OperationId> commitments, Map<NodeId, Deposit> deposits,
    Optional<OperationId> settlement, Optional<AuctionOutcome> outcome) {

  /** Copies the maps. */
  public LedgerAuction {
    Objects.requireNonNull(open, "open");
    Objects.requireNonNull(terms, "terms");
    commitments = Collections.unmodifiableMap(new TreeMap<>(commitments));
    deposits = Collections.unmodifiableMap(new TreeMap<>(deposits));
    Objects.requireNonNull(settlement, "settlement");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** What became of a bidder's deposit. */
  public enum Deposit {
    /** Still locked: not revealed, and the buyer has not shown that it can no longer be. */
    LOCKED,
    /** Returned to the bidder by its reveal. */
    REFUNDED,
    /** Taken by the buyer (a {@code Forfeit} with a witness). */
    FORFEITED
  }
}
