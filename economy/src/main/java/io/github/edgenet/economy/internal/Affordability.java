package io.github.edgenet.economy.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.LedgerException.Reason;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationBody.VestClaim;

/**
 * What a node checks against the network-wide fold before it signs an operation of its own, so
 * that it never signs one its chain's own state allows and the fold would skip: after a slash a
 * chain's own state over-estimates its stake, and after a claw-back a grant has vested less than
 * its schedule says. Stateless.
 */
public final class Affordability {
  private Affordability() {}

  /**
   * The latest timestamp among the held operations {@code body} names on other chains (a slash's
   * offender head included): an operation may not be dated before them.
   *
   * @param lookup the held operations by id
   * @param body what is to be signed
   * @return epoch ms, or 0 if it names none that is held
   */
  public static long latestNamed(
      java.util.function.Function<io.github.edgenet.economy.ledger.OperationId,
          io.github.edgenet.economy.ledger.Operation> lookup, OperationBody body) {
    long latest = 0;
    java.util.List<io.github.edgenet.economy.ledger.OperationId> ids =
        body instanceof io.github.edgenet.economy.ledger.OperationBody.Slash s
            ? java.util.List.of(s.offenderHead()) : Named.names(body);
    for (io.github.edgenet.economy.ledger.OperationId id : ids) {
      io.github.edgenet.economy.ledger.Operation op = lookup.apply(id);
      if (op != null) {
        latest = Math.max(latest, op.timestampMillis());
      }
    }
    return latest;
  }

  /**
   * Throws if the fold could not carry out {@code body} signed by {@code account} at {@code ts}.
   *
   * @param fold the current fold
   * @param account the signer
   * @param body what it would sign
   * @param ts the timestamp it would sign
   * @throws LedgerException naming the shortfall
   */
  public static void check(Fold fold, NodeId account, OperationBody body, long ts)
      throws LedgerException {
    Rules.checkAffordable(fold.account(account), body);
    if (body instanceof io.github.edgenet.economy.ledger.GovernanceBody g) {
      fold.checkGovernance(account, g, ts);
    }
    if (body instanceof io.github.edgenet.economy.ledger.AuctionBody.Forfeit f
        && !fold.forfeitable(f)) {
      throw AuctionRules.refused(
          io.github.edgenet.economy.auction.AuctionException.Reason.NOT_FORFEITABLE,
          f.commit() + " was revealed, forfeited, or never took effect");
    }
    if (body instanceof VestClaim c) {
      NodeId funder = fold.grantFunder(c.grant());
      AccountState.VestGrant g = funder == null ? null : fold.account(funder).grant(c.grant());
      if (g != null && g.recipient().equals(account) && g.vestedAt(ts) <= g.released()) {
        throw new LedgerException(Reason.NOTHING_VESTED, "grant " + c.grant() + ": vested "
            + g.vestedAt(ts) + " at " + ts + ", claimed " + g.released());
      }
    }
  }
}
