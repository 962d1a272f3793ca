package io.github.edgenet.economy.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.ledger.GovernanceBody;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.LedgerException.Reason;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationBody.VestClaim;
import io.github.edgenet.economy.ledger.OperationId;
import java.util.function.LongFunction;

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
   * Builds and signs the next operation of {@code identity}'s chain: the next sequence, linked to
   * its head, dated at {@code nowMillis} or later if its head or an operation it names is dated
   * later (a {@link GovernanceBody.Veto} signs its own time, so only the head counts for it), after
   * checking that the fold could carry it out ({@link #check}). Not yet accepted or stored.
   *
   * @param book the ledger's chains and fold
   * @param nowMillis this node's clock
   * @param identity the account that signs
   * @param body builds the body for the operation's timestamp
   * @return the signed operation
   * @throws LedgerException if the fold could not carry it out
   */
  public static Operation signNext(ChainBook book, long nowMillis, NodeIdentity identity,
      LongFunction<OperationBody> body) throws LedgerException {
    ChainBook.Chain chain = book.chain(identity.id());
    long seq = chain == null ? 0 : chain.ops().size();
    OperationId prev = seq == 0 ? OperationId.ZERO : chain.ops().get((int) seq - 1).id();
    long ts = Math.max(nowMillis, chain == null ? 0 : chain.ops().getLast().timestampMillis());
    OperationBody b = body.apply(ts);
    if (!(b instanceof GovernanceBody.Veto)) {
      ts = Math.max(ts, latestNamed(book::get, b));
    }
    check(book.folded(), identity.id(), b, ts);
    return Operation.sign(identity, seq, prev, ts, b);
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
