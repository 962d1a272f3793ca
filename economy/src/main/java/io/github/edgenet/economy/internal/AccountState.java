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

    Escrow(NodeId worker, long amount, long deadlineMillis) {
      this.worker = worker;
      this.amount = amount;
      this.deadlineMillis = deadlineMillis;
    }
  }

  long balance;
  long stake;
  long unbonding;
  long unlockAtMillis;
  long lastTimestamp;
  long openEscrowTotal;
  final Map<OperationId, Escrow> escrows = new HashMap<>();
  final Set<OperationId> claimed = new HashSet<>();

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

  /** Everything this account holds: balance, stake, unbonding and open escrows. */
  long holdings() {
    return Math.addExact(Math.addExact(balance, stake), Math.addExact(unbonding, openEscrowTotal));
  }
}
