package io.github.edgenet.economy.internal;

import io.github.edgenet.economy.auction.AuctionException;
import io.github.edgenet.economy.auction.AuctionOutcome;
import io.github.edgenet.economy.auction.AuctionTerms;
import io.github.edgenet.economy.auction.SealedReverseAuction;
import io.github.edgenet.economy.ledger.AuctionBody;
import io.github.edgenet.economy.ledger.AuctionBody.Commit;
import io.github.edgenet.economy.ledger.AuctionBody.Forfeit;
import io.github.edgenet.economy.ledger.AuctionBody.Open;
import io.github.edgenet.economy.ledger.AuctionBody.Reveal;
import io.github.edgenet.economy.ledger.AuctionBody.Settle;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.LedgerException.Reason;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationId;
import java.util.function.Function;

/**
 * The sealed auction on the ledger: an auction operation's effect on its own account (the
 * buyer's reserve lock and its return, the bidder's deposit lock and refund), and the
 * settlement, which runs {@link SealedReverseAuction} itself over the reveals a settle names, so
 * the rules are written once. Every refusal is {@link Reason#AUCTION} with the auction's own
 * {@link AuctionException.Reason}. Stateless.
 */
public final class AuctionRules {
  private AuctionRules() {}

  static void applyOwn(AccountState a, Operation op, AuctionBody body,
      Function<OperationId, Operation> lookup) throws LedgerException {
    long ts = op.timestampMillis();
    switch (body) {
      case Open o -> {
        if (ts > o.commitDeadlineMillis()) {
          throw refused(AuctionException.Reason.COMMIT_CLOSED, "opened at " + ts
              + ", after its own commit deadline " + o.commitDeadlineMillis());
        }
        Rules.need(a.balance, o.reservePriceMicros(), Reason.INSUFFICIENT_BALANCE, "balance");
        long locked = Rules.add(a.auctionLocked, o.reservePriceMicros());
        a.balance -= o.reservePriceMicros();
        a.auctionLocked = locked;
        a.auctions.put(op.id(), new AccountState.BuyerAuction(o.reservePriceMicros()));
      }
      case Commit c -> {
        Operation open = open(lookup, c.auction());
        Open o = (Open) open.body();
        if (open.account().equals(op.account())) {
          throw new LedgerException(Reason.NOT_AUTHORIZED, "the buyer may not bid in its auction");
        }
        if (ts > o.commitDeadlineMillis()) {
          throw refused(AuctionException.Reason.COMMIT_CLOSED, "commit at " + ts
              + " after the deadline " + o.commitDeadlineMillis());
        }
        if (c.depositMicros() != o.depositMicros()) {
          throw refused(AuctionException.Reason.WRONG_DEPOSIT, "deposit " + c.depositMicros()
              + ", the terms require " + o.depositMicros());
        }
        if (a.committedTo.contains(c.auction())) {
          throw refused(AuctionException.Reason.DUPLICATE_COMMIT, op.account()
              + " committed to " + c.auction() + " already");
        }
        Rules.need(a.balance, c.depositMicros(), Reason.INSUFFICIENT_BALANCE, "balance");
        long deposits = Rules.add(a.deposits, c.depositMicros());
        a.balance -= c.depositMicros();
        a.deposits = deposits;
        a.committedTo.add(c.auction());
        a.bids.put(op.id(), new AccountState.Bid(c.auction(), c.depositMicros()));
      }
      case Reveal r -> {
        AccountState.Bid b = a.bids.get(r.commit());
        if (b == null) {
          throw refused(AuctionException.Reason.UNKNOWN_BIDDER, r.commit()
              + " is no commitment of " + op.account());
        }
        if (b.revealed) {
          throw refused(AuctionException.Reason.DUPLICATE_REVEAL, "of " + r.commit());
        }
        Operation commit = lookup.apply(r.commit());
        SealedReverseAuction auction = SealedReverseAuction.open(terms(lookup.apply(b.auction)));
        try {
          add(auction, commit, op);
        } catch (AuctionException e) {
          throw refused(e.reason(), e.getMessage());
        }
        long balance = Rules.add(a.balance, b.deposit);
        a.deposits -= b.deposit;
        a.balance = balance;
        b.revealed = true;
      }
      case Settle s -> {
        AccountState.BuyerAuction mine = a.auctions.get(s.auction());
        if (mine == null) {
          throw refused(AuctionException.Reason.UNKNOWN_AUCTION, s.auction()
              + " is no auction of " + op.account());
        }
        if (mine.settled) {
          throw refused(AuctionException.Reason.ALREADY_SETTLED, "auction " + s.auction());
        }
        long back = mine.reserve - outcome(op, lookup).paymentMicros(); // payment <= reserve
        long balance = Rules.add(a.balance, back);
        a.auctionLocked -= mine.reserve;
        a.balance = balance;
        mine.settled = true;
      }
      case Forfeit f -> {
        Operation commit = lookup.apply(f.commit());
        if (!(commit.body() instanceof Commit c)
            || !lookup.apply(c.auction()).account().equals(op.account())) {
          throw refused(AuctionException.Reason.UNKNOWN_AUCTION, f.commit()
              + " is no commitment to an auction of " + op.account());
        }
        if (!a.forfeitsTaken.add(f.commit())) {
          throw refused(AuctionException.Reason.NOT_FORFEITABLE, f.commit() + " taken already");
        }
      }
    }
  }

  /**
   * The outcome of a held settle operation: {@link SealedReverseAuction#settle} over exactly the
   * reveals it names (committed and revealed at their own operations' times), at the settle's
   * time. A function of immutable operations only, so every node computes the same.
   *
   * @param settle the settle operation
   * @param lookup the held operations by id
   * @return the winner, the payment and the ranking
   * @throws LedgerException {@link Reason#AUCTION} if a named reveal is not a valid reveal of a
   *     commitment to this auction, or the settle is not after the reveal deadline
   */
  public static AuctionOutcome outcome(Operation settle, Function<OperationId, Operation> lookup)
      throws LedgerException {
    Settle s = (Settle) settle.body();
    Operation open = open(lookup, s.auction());
    SealedReverseAuction auction = SealedReverseAuction.open(terms(open));
    try {
      for (OperationId id : s.reveals()) {
        Operation reveal = lookup.apply(id);
        Operation commit = reveal != null && reveal.body() instanceof Reveal r
            ? lookup.apply(r.commit()) : null;
        if (commit == null || !(commit.body() instanceof Commit c)
            || !c.auction().equals(s.auction())) {
          throw refused(AuctionException.Reason.UNKNOWN_BIDDER, id
              + " is no reveal of a commitment to " + s.auction());
        }
        add(auction, commit, reveal);
      }
      return auction.settle(settle.timestampMillis());
    } catch (AuctionException e) {
      throw refused(e.reason(), e.getMessage());
    }
  }

  /** Commits and reveals one bid in {@code auction} at the operations' own times. */
  private static void add(SealedReverseAuction auction, Operation commit, Operation reveal) {
    Commit c = (Commit) commit.body();
    Reveal r = (Reveal) reveal.body();
    auction.commit(commit.account(), c.commitment(), c.depositMicros(), commit.timestampMillis());
    auction.reveal(reveal.account(), r.bid(), r.salt(), reveal.timestampMillis());
  }

  /**
   * The terms of a held open operation.
   *
   * @param open the {@link Open} operation
   * @return its terms
   */
  public static AuctionTerms terms(Operation open) {
    return ((Open) open.body()).terms(open.id(), open.account());
  }

  /** The held open operation {@code id} names, or a typed refusal. */
  static Operation open(Function<OperationId, Operation> lookup, OperationId id)
      throws LedgerException {
    Operation open = lookup.apply(id);
    if (open == null || !(open.body() instanceof Open)) {
      throw refused(AuctionException.Reason.UNKNOWN_AUCTION, id + " is no auction");
    }
    return open;
  }

  static LedgerException refused(AuctionException.Reason reason, String message) {
    return new LedgerException(Reason.AUCTION, reason, message);
  }
}
