package io.github.edgenet.economy.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.ledger.OperationId;
import io.github.edgenet.economy.ledger.VestingGrant;
import java.util.ArrayList;
import java.util.List;

/** Read-only views of the fold's vesting grants, for the ledger's queries. Stateless. */
public final class Vesting {
  private Vesting() {}

  /**
   * A grant as the fold sees it.
   *
   * @param book the ledger's chains and fold
   * @param grant the vest operation's id
   * @return the snapshot, or null if no such grant took effect
   */
  public static VestingGrant view(ChainBook book, OperationId grant) {
    Fold fold = book.folded();
    NodeId funder = fold.grantFunder(grant);
    if (funder == null) {
      return null;
    }
    AccountState.VestGrant g = fold.account(funder).grant(grant);
    return new VestingGrant(grant, funder, g.recipient(), g.total(), g.released(), g.clawedBack(),
        g.schedule(), g.clawedAtMillis());
  }

  /**
   * The grants paying {@code recipient} that took effect, in acceptance order.
   *
   * @param book the ledger's chains and fold
   * @param recipient the worker
   * @return snapshots
   */
  public static List<VestingGrant> grantsTo(ChainBook book, NodeId recipient) {
    List<VestingGrant> out = new ArrayList<>();
    for (OperationId id : book.grantsTo(recipient)) {
      VestingGrant v = view(book, id);
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }
}
