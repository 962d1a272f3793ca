package io.github.edgenet.economy.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.ledger.AccountView;
import io.github.edgenet.economy.ledger.ChainHead;
import io.github.edgenet.economy.ledger.EquivocationProof;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Read-only views of the chains a ledger holds and of its fold, for the public {@code Ledger}'s
 * queries: account views, chain heads, pages of a chain, equivocation proofs, sealing and
 * finality. Stateless; the caller holds the ledger's lock.
 */
public final class ChainViews {
  private ChainViews() {}

  /**
   * The derived state of {@code account}, all zero if it has none.
   *
   * @param book the ledger's chains and fold
   * @param account the account
   * @return its view
   */
  public static AccountView account(ChainBook book, NodeId account) {
    AccountState a = book.folded().account(account);
    ChainBook.Chain c = book.chain(account);
    long length = c == null ? 0 : c.ops().size();
    boolean eq = c != null && c.conflictSeq() >= 0;
    if (a == null) {
      return new AccountView(account, 0, 0, 0, 0, 0, length, eq, 0, 0, 0);
    }
    return new AccountView(account, a.balance(), a.stake(), a.unbonding(), a.unlockAtMillis(),
        a.escrowed(), length, eq, a.vesting(), a.auctionLocked(), a.deposits());
  }

  /**
   * Whether {@code account}'s effective chain holds an operation dated after {@code atMillis}.
   *
   * @param book the ledger's chains
   * @param account the account
   * @param atMillis epoch ms
   * @return true if sealed after that time
   */
  public static boolean sealedAfter(ChainBook book, NodeId account, long atMillis) {
    ChainBook.Chain c = book.chain(account);
    if (c == null) {
      return false;
    }
    long n = c.effectiveLength();
    return n > 0 && c.ops().get((int) n - 1).timestampMillis() > atMillis;
  }

  /**
   * The two conflicting operations of {@code account}, if held.
   *
   * @param book the ledger's chains
   * @param account the account
   * @return the proof, or empty
   */
  public static Optional<EquivocationProof> equivocation(ChainBook book, NodeId account) {
    ChainBook.Chain c = book.chain(account);
    if (c == null || c.conflictSeq() < 0) {
      return Optional.empty();
    }
    return Optional.of(new EquivocationProof(c.ops().get((int) c.conflictSeq()), c.conflicting()));
  }

  /**
   * Every chain's head, in account order.
   *
   * @param book the ledger's chains
   * @return the heads
   */
  public static List<ChainHead> heads(ChainBook book) {
    List<ChainHead> out = new ArrayList<>(book.chains().size());
    for (Map.Entry<NodeId, ChainBook.Chain> e : new TreeMap<>(book.chains()).entrySet()) {
      out.add(head(e.getKey(), e.getValue()));
    }
    return out;
  }

  /**
   * {@code account}'s head, or null.
   *
   * @param book the ledger's chains
   * @param account the account
   * @return its head or null
   */
  public static ChainHead head(ChainBook book, NodeId account) {
    ChainBook.Chain c = book.chain(account);
    return c == null ? null : head(account, c);
  }

  private static ChainHead head(NodeId account, ChainBook.Chain c) {
    return new ChainHead(account, c.ops().size(), c.ops().getLast().id(), c.conflictSeq());
  }

  /**
   * Up to {@code max} held operations of a chain from {@code fromSeq} on; a conflicting operation
   * follows the one it conflicts with.
   *
   * @param book the ledger's chains
   * @param account the account
   * @param fromSeq the first sequence, {@code >= 0}
   * @param max the most returned, {@code >= 0}
   * @return the operations
   */
  public static List<Operation> operations(ChainBook book, NodeId account, long fromSeq,
      int max) {
    if (fromSeq < 0 || max < 0) {
      throw new IllegalArgumentException("fromSeq " + fromSeq + " and max " + max
          + " must be >= 0");
    }
    ChainBook.Chain c = book.chain(account);
    List<Operation> out = new ArrayList<>();
    if (c == null) {
      return out;
    }
    for (long s = fromSeq; s < c.ops().size() && out.size() < max; s++) {
      out.add(c.ops().get((int) s));
      if (s == c.conflictSeq() && out.size() < max) {
        out.add(c.conflicting());
      }
    }
    return out;
  }

  /**
   * The finality rule of {@code Ledger.isFinal}: held, no conflict at or below it, old enough,
   * applied in the fold.
   *
   * @param book the ledger's chains and fold
   * @param id the operation
   * @param confirmationMillis the confirmation window, {@code >= 0}
   * @param nowMillis this node's clock
   * @return true if final
   */
  public static boolean isFinal(ChainBook book, OperationId id, long confirmationMillis,
      long nowMillis) {
    Operation op = book.get(id);
    if (op == null) {
      return false;
    }
    ChainBook.Chain c = book.chain(op.account());
    if (c.conflictSeq() >= 0 && op.sequence() >= c.conflictSeq()) {
      return false;
    }
    if (nowMillis - op.timestampMillis() < confirmationMillis) {
      return false;
    }
    return book.folded().hasApplied(id);
  }

  /**
   * The effective application operations of one kind, in fold order.
   *
   * @param book the ledger's chains and fold
   * @param appKind the application's kind number
   * @return an unmodifiable list
   */
  public static List<Operation> applicationOperations(ChainBook book, int appKind) {
    List<Operation> out = new ArrayList<>();
    for (Operation op : book.folded().applied()) {
      if (op.body() instanceof OperationBody.Application a && a.appKind() == appKind) {
        out.add(op);
      }
    }
    return Collections.unmodifiableList(out);
  }
}
