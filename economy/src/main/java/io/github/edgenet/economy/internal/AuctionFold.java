package io.github.edgenet.economy.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.auction.AuctionOutcome;
import io.github.edgenet.economy.auction.AuctionTerms;
import io.github.edgenet.economy.auction.LedgerAuction;
import io.github.edgenet.economy.ledger.AuctionBody;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The auctions inside the ledger's canonical fold: the cross-account effects of a settlement (the
 * winner's payment, in flight until it receives it) and of a forfeit (the bidder's deposit to the
 * buyer, in flight until the buyer receives it), and the registry the views read. The own-account
 * effects are {@link AuctionRules}'. Not thread-safe; owned by one fold.
 */
final class AuctionFold {
  private static final class Entry {
    final AuctionTerms terms;
    final TreeMap<NodeId, OperationId> commitments = new TreeMap<>();
    OperationId settlement;
    AuctionOutcome outcome;

    Entry(AuctionTerms terms) {
      this.terms = terms;
    }
  }

  private final Fold fold;
  private final Function<OperationId, Operation> lookup;
  private final Map<OperationId, Entry> auctions = new HashMap<>();

  AuctionFold(Fold fold, Function<OperationId, Operation> lookup) {
    this.fold = fold;
    this.lookup = lookup;
  }

  /**
   * Whether a forfeit can take effect: the bidder's commitment took effect in the fold and was
   * neither revealed nor forfeited (its own chain guarantees this unless the bidder equivocated).
   */
  boolean forfeitable(AuctionBody.Forfeit f) {
    Operation commit = lookup.apply(f.commit());
    if (commit == null) {
      return true; // acceptance names what is wrong
    }
    AccountState bidder = fold.account(commit.account());
    AccountState.Bid b = bidder == null ? null : bidder.bid(f.commit());
    return b != null && !b.revealed && !b.forfeited;
  }

  /**
   * Whether an auction took effect in the fold: a commitment to one that did not (its buyer's
   * chain is void from below the open; the commitment reached this node because its open was
   * kept as evidence) takes no effect, and its deposit never leaves the bidder's balance.
   */
  boolean opened(OperationId open) {
    return auctions.containsKey(open);
  }

  /** The cross-account effects of an auction operation that took effect on its own account. */
  void applied(Operation op, AuctionBody body) {
    switch (body) {
      case AuctionBody.Open o -> auctions.put(op.id(), new Entry(AuctionRules.terms(op)));
      case AuctionBody.Commit c -> auctions.get(c.auction()).commitments.put(op.account(), op.id());
      case AuctionBody.Settle s -> {
        AuctionOutcome outcome;
        try {
          outcome = AuctionRules.outcome(op, lookup);
        } catch (LedgerException e) {
          throw new IllegalStateException("an accepted settlement no longer settles", e);
        }
        Entry e = auctions.get(s.auction());
        e.settlement = op.id();
        e.outcome = outcome;
        outcome.winner().ifPresent(w ->
            fold.pending().put(op.id(), new Fold.Pending(w, outcome.paymentMicros())));
      }
      case AuctionBody.Forfeit f -> {
        Operation commit = lookup.apply(f.commit());
        AccountState bidder = fold.account(commit.account());
        AccountState.Bid b = bidder.bid(f.commit());
        b.forfeited = true;
        bidder.deposits -= b.deposit;
        fold.pending().put(op.id(), new Fold.Pending(op.account(), b.deposit));
      }
      case AuctionBody.Reveal r -> {
        // the deposit came back on the bidder's own account
      }
    }
  }

  /**
   * The auction opened by {@code open}, or empty.
   *
   * @param open the open operation's id
   * @return its snapshot
   */
  Optional<LedgerAuction> view(OperationId open) {
    Entry e = auctions.get(open);
    if (e == null) {
      return Optional.empty();
    }
    Map<NodeId, LedgerAuction.Deposit> deposits = new TreeMap<>();
    e.commitments.forEach((bidder, commit) -> {
      AccountState.Bid b = fold.account(bidder).bid(commit);
      deposits.put(bidder, b.revealed ? LedgerAuction.Deposit.REFUNDED
          : b.forfeited ? LedgerAuction.Deposit.FORFEITED : LedgerAuction.Deposit.LOCKED);
    });
    return Optional.of(new LedgerAuction(open, e.terms, e.commitments, deposits,
        Optional.ofNullable(e.settlement), Optional.ofNullable(e.outcome)));
  }
}
