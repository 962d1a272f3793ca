package io.github.edgenet.economy.internal;

import io.github.edgenet.economy.internal.AccountState.Escrow;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.LedgerException.Reason;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationBody.Burn;
import io.github.edgenet.economy.ledger.OperationBody.EscrowLock;
import io.github.edgenet.economy.ledger.OperationBody.EscrowRefund;
import io.github.edgenet.economy.ledger.OperationBody.EscrowRelease;
import io.github.edgenet.economy.ledger.OperationBody.Mint;
import io.github.edgenet.economy.ledger.OperationBody.Receive;
import io.github.edgenet.economy.ledger.OperationBody.Send;
import io.github.edgenet.economy.ledger.OperationBody.Stake;
import io.github.edgenet.economy.ledger.OperationBody.Unstake;
import io.github.edgenet.economy.ledger.OperationBody.Withdraw;
import io.github.edgenet.economy.rewards.VestingSchedule;

/**
 * The effect of an operation on its own account, shared by chain validation and the network-wide
 * fold: every condition is checked before anything changes, so a rejected operation leaves the
 * state exactly as it was. Stateless.
 */
public final class Rules {
  private Rules() {}

  /**
   * Checks {@code op} against its account's state {@code a} and applies its own-account effect.
   *
   * @param a the account's state, changed only on success
   * @param op the operation, already known to be well-formed and signed
   * @param receiveCredit for a {@link Receive}, the amount it claims (ignored otherwise)
   * @param config the ledger's parameters
   * @param lookup the held operations by id (what governance and auction operations name)
   * @throws LedgerException naming the first condition that fails
   */
  public static void applyOwn(AccountState a, Operation op, long receiveCredit, LedgerConfig config,
      java.util.function.Function<io.github.edgenet.economy.ledger.OperationId, Operation> lookup)
      throws LedgerException {
    long ts = op.timestampMillis();
    checkTimestamp(a, ts);
    OperationBody body = op.body();
    switch (body) {
      case Send s -> a.balance -= payment(a, op);
      case Receive r -> {
        if (a.claimed.contains(r.source())) {
          throw new LedgerException(Reason.ALREADY_CLAIMED, "source " + r.source());
        }
        a.balance = add(a.balance, receiveCredit);
        a.claimed.add(r.source());
      }
      case Mint m -> {
        if (!config.mintAuthorities().contains(op.account())) {
          throw new LedgerException(Reason.NOT_AUTHORIZED, op.account() + " may not mint");
        }
        a.balance = add(a.balance, m.amount());
      }
      case Burn b -> {
        need(a.balance, b.amount(), Reason.INSUFFICIENT_BALANCE, "balance");
        a.balance -= b.amount();
      }
      case EscrowLock e -> {
        need(a.balance, e.amount(), Reason.INSUFFICIENT_BALANCE, "balance");
        long total = add(a.openEscrowTotal, e.amount());
        a.balance -= e.amount();
        a.openEscrowTotal = total;
        a.escrows.put(op.id(), new Escrow(e.worker(), e.amount(), e.deadlineMillis()));
      }
      case EscrowRelease e -> {
        payment(a, op);
        Escrow escrow = a.escrows.get(e.escrow());
        escrow.open = false;
        a.openEscrowTotal -= escrow.amount;
      }
      case EscrowRefund e -> {
        Escrow escrow = openEscrow(a, e.escrow());
        if (ts < escrow.deadlineMillis) {
          throw new LedgerException(
              Reason.BEFORE_DEADLINE, "refund at " + ts + ", deadline " + escrow.deadlineMillis);
        }
        long balance = add(a.balance, escrow.amount);
        escrow.open = false;
        a.openEscrowTotal -= escrow.amount;
        a.balance = balance;
      }
      case Stake s -> {
        need(a.balance, s.amount(), Reason.INSUFFICIENT_BALANCE, "balance");
        long stake = add(a.stake, s.amount());
        a.balance -= s.amount();
        a.stake = stake;
        a.stakeLog.add(new long[] {ts, stake});
      }
      case Unstake u -> {
        need(a.stake, u.amount(), Reason.INSUFFICIENT_STAKE, "stake");
        long unbonding = add(a.unbonding, u.amount());
        long unlock = add(ts, config.unbondingPeriodMillis());
        a.stake -= u.amount();
        a.unbonding = unbonding;
        a.unlockAtMillis = Math.max(a.unlockAtMillis, unlock);
        a.stakeLog.add(new long[] {ts, a.stake});
      }
      case Withdraw w -> {
        if (ts < a.unlockAtMillis) {
          throw new LedgerException(
              Reason.LOCKED, "withdraw at " + ts + ", unbonding until " + a.unlockAtMillis);
        }
        need(a.unbonding, w.amount(), Reason.INSUFFICIENT_STAKE, "unbonding stake");
        long balance = add(a.balance, w.amount());
        a.unbonding -= w.amount();
        a.balance = balance;
      }
      case OperationBody.EscrowVest v -> {
        Escrow escrow = openEscrow(a, v.escrow());
        if (ts > Long.MAX_VALUE - v.durationMillis()) {
          throw new LedgerException(Reason.INVALID_SCHEDULE,
              "start " + ts + " + duration " + v.durationMillis() + " overflows");
        }
        long vesting = add(a.vesting, escrow.amount);
        escrow.open = false;
        a.openEscrowTotal -= escrow.amount;
        a.vesting = vesting;
        a.grants.put(op.id(), new AccountState.VestGrant(escrow.worker, escrow.amount,
            new VestingSchedule(ts, v.cliffMillis(), v.durationMillis())));
      }
      case OperationBody.VestClaim c -> {
        // receiveCredit is the cumulative amount vested at ts, as the caller knows the grant
        long before = a.vestClaimed.getOrDefault(c.grant(), 0L);
        if (receiveCredit <= before) {
          throw new LedgerException(Reason.NOTHING_VESTED, "grant " + c.grant() + ": vested "
              + receiveCredit + " at " + ts + ", claimed " + before);
        }
        a.balance = add(a.balance, receiveCredit - before);
        a.vestClaimed.put(c.grant(), receiveCredit);
      }
      case OperationBody.VestClawBack c -> {
        AccountState.VestGrant g = a.grants.get(c.grant());
        if (g == null) {
          throw new LedgerException(Reason.UNKNOWN_GRANT, "grant " + c.grant());
        }
        if (!g.recipient.equals(c.recipient())) {
          throw new LedgerException(Reason.WRONG_RECIPIENT, "grant " + c.grant() + " pays "
              + g.recipient + ", not " + c.recipient());
        }
        if (g.clawedAtMillis >= 0) {
          throw new LedgerException(Reason.ALREADY_CLAWED_BACK, "grant " + c.grant());
        }
        long keep = Math.max(g.schedule.vestedAt(g.total, ts), g.released);
        long back = g.total - keep;
        long balance = add(a.balance, back);
        a.balance = balance;
        a.vesting -= back;
        g.total = keep;
        g.clawedBack = back;
        g.clawedAtMillis = ts;
      }
      case OperationBody.TaskFailed f -> {
        Escrow escrow = a.escrows.get(f.escrow());
        if (escrow == null) {
          throw new LedgerException(Reason.UNKNOWN_ESCROW, "escrow " + f.escrow());
        }
        if (!escrow.worker.equals(f.worker())) {
          throw new LedgerException(Reason.WRONG_RECIPIENT, "escrow " + f.escrow() + " pays "
              + escrow.worker + ", not " + f.worker());
        }
        if (!a.failureReported.add(f.escrow())) {
          throw new LedgerException(Reason.ALREADY_REPORTED, "escrow " + f.escrow());
        }
      }
      case OperationBody.Slash s -> {
        // The reporter's own state does not change; the offender's does in the fold.
      }
      case OperationBody.Application x -> {
        // No balance effect.
      }
      case OperationBody.Seal x -> {
        // Dates the chain, nothing else.
      }
      case io.github.edgenet.economy.ledger.GovernanceBody g ->
          GovernanceRules.applyOwn(a, op, g, config, lookup);
      case io.github.edgenet.economy.ledger.AuctionBody x ->
          AuctionRules.applyOwn(a, op, x, lookup);
    }
    a.lastTimestamp = ts;
  }

  /**
   * Whether {@code body} is affordable by the network-wide state {@code a} of its account (balance,
   * stake, unbonding): a node checks this before it signs an operation of its own, so that it never
   * signs one that its chain's own state allows and the fold would skip (after a slash, a chain's
   * own state over-estimates its stake).
   *
   * @param a the account's state in the fold, or null if it has none
   * @param body the operation body
   * @throws LedgerException naming the shortfall
   */
  public static void checkAffordable(AccountState a, OperationBody body) throws LedgerException {
    long balance = a == null ? 0 : a.balance;
    long stake = a == null ? 0 : a.stake;
    long unbonding = a == null ? 0 : a.unbonding;
    switch (body) {
      case Send s -> need(balance, s.amount(), Reason.INSUFFICIENT_BALANCE, "balance");
      case Burn b -> need(balance, b.amount(), Reason.INSUFFICIENT_BALANCE, "balance");
      case EscrowLock e -> need(balance, e.amount(), Reason.INSUFFICIENT_BALANCE, "balance");
      case Stake s -> need(balance, s.amount(), Reason.INSUFFICIENT_BALANCE, "balance");
      case Unstake u -> need(stake, u.amount(), Reason.INSUFFICIENT_STAKE, "stake");
      case Withdraw w -> need(unbonding, w.amount(), Reason.INSUFFICIENT_STAKE, "unbonding stake");
      case io.github.edgenet.economy.ledger.AuctionBody.Open o ->
          need(balance, o.reservePriceMicros(), Reason.INSUFFICIENT_BALANCE, "balance");
      case io.github.edgenet.economy.ledger.AuctionBody.Commit c ->
          need(balance, c.depositMicros(), Reason.INSUFFICIENT_BALANCE, "balance");
      default -> {}
    }
  }

  /**
   * What a send or an escrow release pays, checked as {@link #applyOwn} checks it (time order, no
   * send to oneself, the balance, the escrow still open) without changing {@code a}: the one place
   * that says when such an operation is valid, for the fold and for compensation claims.
   *
   * @param a the account's chain state before {@code op}, not modified
   * @param op a send or an escrow release of that account
   * @return the micro-units it pays (the send's amount, the escrow's amount)
   * @throws LedgerException naming the first condition that fails
   * @throws IllegalArgumentException if {@code op} is neither a send nor an escrow release
   */
  public static long payment(AccountState a, Operation op) throws LedgerException {
    checkTimestamp(a, op.timestampMillis());
    return switch (op.body()) {
      case Send s -> {
        if (s.to().equals(op.account())) {
          throw new LedgerException(Reason.NOT_AUTHORIZED, "send to oneself");
        }
        need(a.balance, s.amount(), Reason.INSUFFICIENT_BALANCE, "balance");
        yield s.amount();
      }
      case EscrowRelease e -> openEscrow(a, e.escrow()).amount;
      default -> throw new IllegalArgumentException("not a payment: " + op.body());
    };
  }

  private static void checkTimestamp(AccountState a, long ts) throws LedgerException {
    if (ts < a.lastTimestamp) {
      throw new LedgerException(
          Reason.TIMESTAMP_REGRESSION, "timestamp " + ts + " before " + a.lastTimestamp);
    }
  }

  private static Escrow openEscrow(AccountState a, io.github.edgenet.economy.ledger.OperationId id)
      throws LedgerException {
    Escrow escrow = a.escrows.get(id);
    if (escrow == null) {
      throw new LedgerException(Reason.UNKNOWN_ESCROW, "escrow " + id);
    }
    if (!escrow.open) {
      throw new LedgerException(Reason.ESCROW_CLOSED, "escrow " + id);
    }
    return escrow;
  }

  static void need(long have, long amount, Reason reason, String what)
      throws LedgerException {
    if (have < amount) {
      throw new LedgerException(reason, what + " " + have + " < " + amount);
    }
  }

  static long add(long a, long b) throws LedgerException {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw new LedgerException(Reason.OVERFLOW, a + " + " + b + " overflows a long");
    }
  }

  /**
   * {@code floor(amount * bps / 10000)} without overflow, for {@code amount >= 0} and {@code bps}
   * in [0, 10000].
   *
   * @param amount the base
   * @param bps basis points
   * @return the exact floor
   */
  public static long basisPoints(long amount, int bps) {
    return Math.addExact(
        Math.multiplyExact(amount / 10_000, (long) bps), (amount % 10_000) * bps / 10_000);
  }
}
