package io.github.edgenet.economy.governance;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.ledger.Ledger;
import java.util.Objects;

/**
 * The {@link StakeHistory} of a {@link Ledger}: stake at a past time from the ledger's canonical
 * fold of signed operations ({@link Ledger#stakeAt}, {@link Ledger#totalStakeAt}), the same on
 * every node that holds the same operations.
 *
 * <p>A past answer changes only if an operation dated at or before that time arrives later: a
 * late one, or one back-dated by an account that was silent since (docs/economy.md, "closed").
 * {@link #sealedAfter} tells whether an account can still do that without equivocating.
 *
 * <p>Thread-safe: it only calls the ledger, which has its own lock.
 */
public final class LedgerStakeHistory implements StakeHistory {
  private final Ledger ledger;

  /**
   * The stake history of {@code ledger}.
   *
   * @param ledger the node's ledger
   */
  public LedgerStakeHistory(Ledger ledger) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
  }

  @Override
  public long stakeAt(NodeId node, long atMillis) {
    return ledger.stakeAt(node, atMillis);
  }

  @Override
  public long totalStakeAt(long atMillis) {
    return ledger.totalStakeAt(atMillis);
  }

  /**
   * Whether {@code node} can no longer sign anything dated at or before {@code atMillis} without
   * equivocating (its effective chain holds a later-dated operation).
   *
   * @param node the account
   * @param atMillis epoch milliseconds
   * @return true if sealed
   */
  public boolean sealedAfter(NodeId node, long atMillis) {
    return ledger.sealedAfter(node, atMillis);
  }
}
