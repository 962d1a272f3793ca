package io.github.edgenet.economy.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.ledger.OperationId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The mutable state of one account: balance, stake, unbonding stake and its unlock time, open
 * escrows and claimed sources. Used both for one chain's own state (to validate its next
 * operation) and inside the network-wide fold. Not thread-safe; owned by one ledger.
 */
public final class AccountState {
  /** An escrow this account locked. */
  public static final class Escrow {
    final NodeId worker;
    final long amount;
    final long deadlineMillis;
    boolean open = true;

    /** Who is paid on release. */
    public NodeId worker() {
      return worker;
    }

    /** The locked amount. */
    public long amount() {
      return amount;
    }

    Escrow(NodeId worker, long amount, long deadlineMillis) {
      this.worker = worker;
      this.amount = amount;
      this.deadlineMillis = deadlineMillis;
    }
  }

  /**
   * A vesting grant this account funded ({@code EscrowVest}); in the fold, claims by the
   * recipient update {@link #released}, in a chain's own state it stays 0 (claims are on another
   * chain).
   */
  public static final class VestGrant {
    final NodeId recipient;
    final io.github.edgenet.economy.rewards.VestingSchedule schedule;
    long total;
    long released;
    long clawedBack;
    long clawedAtMillis = -1;

    VestGrant(NodeId recipient, long total,
        io.github.edgenet.economy.rewards.VestingSchedule schedule) {
      this.recipient = recipient;
      this.total = total;
      this.schedule = schedule;
    }

    /**
     * What has vested at {@code atMillis}: the schedule's amount, or after a claw-back the frozen
     * total (VestingBook's rule).
     *
     * @param atMillis epoch ms
     * @return micro-units in [0, total]
     */
    public long vestedAt(long atMillis) {
      return clawedAtMillis >= 0 ? total : schedule.vestedAt(total, atMillis);
    }

    /** The recipient. */
    public NodeId recipient() {
      return recipient;
    }

    /** The schedule. */
    public io.github.edgenet.economy.rewards.VestingSchedule schedule() {
      return schedule;
    }

    /** The allocation; after a claw-back, what had vested then (or released, if more). */
    public long total() {
      return total;
    }

    /** What the recipient claimed. */
    public long released() {
      return released;
    }

    /** What the funder took back. */
    public long clawedBack() {
      return clawedBack;
    }

    /** When it was clawed back, or -1. */
    public long clawedAtMillis() {
      return clawedAtMillis;
    }
  }

  /** An auction this account opened (buyer side). */
  static final class BuyerAuction {
    final long reserve;
    boolean settled;

    BuyerAuction(long reserve) {
      this.reserve = reserve;
    }
  }

  /** A commitment this account made (bidder side). */
  public static final class Bid {
    final OperationId auction;
    final long deposit;
    boolean revealed;
    boolean forfeited;

    Bid(OperationId auction, long deposit) {
      this.auction = auction;
      this.deposit = deposit;
    }

    /** Whether its reveal refunded the deposit. */
    public boolean revealed() {
      return revealed;
    }

    /** Whether the buyer took the deposit. */
    public boolean forfeited() {
      return forfeited;
    }
  }

  long balance;
  long stake;
  long unbonding;
  long unlockAtMillis;
  long lastTimestamp;
  long openEscrowTotal;
  long vesting;
  final Map<OperationId, Escrow> escrows = new HashMap<>();
  final Set<OperationId> claimed = new HashSet<>();
  final Map<OperationId, VestGrant> grants = new HashMap<>();
  final Map<OperationId, Long> vestClaimed = new HashMap<>();
  final Set<OperationId> failureReported = new HashSet<>();
  // governance bookkeeping of the account's own chain
  final Set<OperationId> votedOn = new HashSet<>();
  final Set<io.github.edgenet.economy.governance.ProposalId> proposed = new HashSet<>();
  final java.util.List<long[]> stakeLog = new java.util.ArrayList<>();
  // auctions
  long auctionLocked;
  long deposits;
  final Map<OperationId, BuyerAuction> auctions = new HashMap<>();
  final Map<OperationId, Bid> bids = new HashMap<>();
  final Set<OperationId> committedTo = new HashSet<>();
  final Set<OperationId> forfeitsTaken = new HashSet<>();

  /** Liquid balance. */
  public long balance() {
    return balance;
  }

  /** Bonded stake. */
  public long stake() {
    return stake;
  }

  /** Stake requested for withdrawal, still slashable. */
  public long unbonding() {
    return unbonding;
  }

  /** When the unbonding stake becomes withdrawable, epoch ms (0 if never requested). */
  public long unlockAtMillis() {
    return unlockAtMillis;
  }

  /** The sum of open escrows. */
  public long escrowed() {
    return openEscrowTotal;
  }

  /** What the grants this account funded still hold (neither claimed nor clawed back). */
  public long vesting() {
    return vesting;
  }

  /**
   * A grant this account funded.
   *
   * @param grant the id of its {@code EscrowVest}
   * @return the grant or null
   */
  public VestGrant grant(OperationId grant) {
    return grants.get(grant);
  }

  /** The grants this account funded, by id (live view; do not modify). */
  public Map<OperationId, VestGrant> grants() {
    return grants;
  }

  /**
   * What this account claimed of a grant so far.
   *
   * @param grant the grant's id
   * @return micro-units
   */
  public long vestClaimed(OperationId grant) {
    return vestClaimed.getOrDefault(grant, 0L);
  }

  /**
   * The escrow this account locked with that id, or null.
   *
   * @param id the lock's id
   * @return the escrow or null
   */
  public Escrow escrow(OperationId id) {
    return escrows.get(id);
  }

  /** Reserves locked by auctions this account opened and has not settled. */
  public long auctionLocked() {
    return auctionLocked;
  }

  /** Deposits this account locked in commitments, neither refunded nor forfeited. */
  public long deposits() {
    return deposits;
  }

  /**
   * A commitment this account made.
   *
   * @param commit the commit operation's id
   * @return the bid or null
   */
  public Bid bid(OperationId commit) {
    return bids.get(commit);
  }

  /**
   * This account's stake after its own last stake or unstake dated at or before {@code atMillis}
   * (slashes by others are not in an account's own chain).
   *
   * @param atMillis epoch ms
   * @return micro-units
   */
  public long ownStakeAt(long atMillis) {
    long s = 0;
    for (long[] e : stakeLog) {
      if (e[0] <= atMillis) {
        s = e[1];
      }
    }
    return s;
  }

  /** The timestamp of the last applied operation. */
  public long lastTimestamp() {
    return lastTimestamp;
  }

  /**
   * Whether {@code source} was claimed by this account.
   *
   * @param source a send or release id
   * @return true if claimed
   */
  public boolean hasClaimed(OperationId source) {
    return claimed.contains(source);
  }

  /**
   * Everything this account holds: balance, stake, unbonding, open escrows, vesting grants it
   * funds, auction reserves and deposits.
   */
  public long holdings() {
    return Math.addExact(Math.addExact(Math.addExact(Math.addExact(balance, stake),
        Math.addExact(unbonding, openEscrowTotal)), vesting),
        Math.addExact(auctionLocked, deposits));
  }
}
