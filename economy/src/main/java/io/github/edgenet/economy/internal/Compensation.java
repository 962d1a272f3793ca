package io.github.edgenet.economy.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody.EscrowLock;
import io.github.edgenet.economy.ledger.OperationBody.EscrowRelease;
import io.github.edgenet.economy.ledger.OperationBody.Receive;
import io.github.edgenet.economy.ledger.OperationBody.Send;
import io.github.edgenet.economy.ledger.OperationId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Who may be compensated from an equivocator's slash: every account whose effective chain holds a
 * {@code Receive} of a <b>validated variant</b> at the equivocator's conflicting sequence c(A)
 * (a send to it, or a release of an escrow to it), claiming that payment's face value. A variant
 * is any operation of A at c(A) that links to A's effective operation before it and is valid
 * against A's chain state there: every node holds that prefix, so every node judges a variant
 * alike, however it holds it (as one of the pair it kept as proof, or as evidence a receive
 * named). At most {@value #MAX_COUNTED_VARIANTS} claimed variants count, those with the smallest
 * ids. Operations above c(A) are never claims: nodes that saw the conflict first hold them only
 * as evidence, unchecked against A's state. Stateless.
 */
public final class Compensation {
  /** The most variants of one equivocator whose receives are claims (the smallest ids). */
  public static final int MAX_COUNTED_VARIANTS = 16;

  private Compensation() {}

  /**
   * The claims on each equivocator's slash.
   *
   * @param effective every account's effective operations
   * @param conflicts each equivocator's conflicting sequence c(A)
   * @param byId looks up a held operation
   * @param variantPayment the face value a variant at c(A) pays if it is a valid variant (links
   *     to the effective prefix and is valid against the chain's state at c(A)), else 0
   * @return equivocator to (receiver to claimed micro-units, in receiver order)
   */
  public static Map<NodeId, TreeMap<NodeId, Long>> claims(
      List<List<Operation>> effective, Map<NodeId, Long> conflicts,
      Function<OperationId, Operation> byId,
      ToLongFunction<Operation> variantPayment) {
    Map<NodeId, TreeMap<NodeId, Long>> out = new HashMap<>();
    if (conflicts.isEmpty()) {
      return out;
    }
    // equivocator -> variant -> the receive claiming it (one at most: a payment has one payee,
    // who claims it once)
    Map<NodeId, TreeMap<OperationId, Operation>> claimed = new HashMap<>();
    for (List<Operation> chain : effective) {
      for (Operation op : chain) {
        if (!(op.body() instanceof Receive r)) {
          continue;
        }
        Operation source = byId.apply(r.source());
        Long c = source == null ? null : conflicts.get(source.account());
        if (c != null && source.sequence() == c) {
          claimed.computeIfAbsent(source.account(), k -> new TreeMap<>()).put(source.id(), op);
        }
      }
    }
    for (Map.Entry<NodeId, TreeMap<OperationId, Operation>> e : claimed.entrySet()) {
      int counted = 0;
      for (Map.Entry<OperationId, Operation> v : e.getValue().entrySet()) {
        if (counted == MAX_COUNTED_VARIANTS) {
          break;
        }
        Operation variant = byId.apply(v.getKey());
        NodeId receiver = v.getValue().account();
        long amount = pays(variant, receiver, byId) ? variantPayment.applyAsLong(variant) : 0;
        if (amount > 0) {
          counted++;
          out.computeIfAbsent(e.getKey(), k -> new TreeMap<>())
              .merge(receiver, amount, Compensation::saturatingAdd);
        }
      }
    }
    return out;
  }

  /** Whether {@code variant} is a send or an escrow release paying {@code receiver}. */
  private static boolean pays(Operation variant, NodeId receiver,
      Function<OperationId, Operation> byId) {
    return switch (variant.body()) {
      case Send s -> s.to().equals(receiver);
      case EscrowRelease rel -> byId.apply(rel.escrow()).body() instanceof EscrowLock l
          && l.worker().equals(receiver);
      default -> false;
    };
  }

  /**
   * What {@code variant} pays if it is valid against {@code atConflict}, its account's chain
   * state just before it (the conditions {@link Rules#applyOwn} checks for a send or a release,
   * without changing the state), else 0.
   *
   * @param atConflict the chain's state before the conflicting sequence, not modified
   * @param variant an operation at the conflicting sequence
   * @return micro-units
   */
  static long payment(AccountState atConflict, Operation variant) {
    if (!(variant.body() instanceof Send || variant.body() instanceof EscrowRelease)) {
      return 0;
    }
    try {
      return Rules.payment(atConflict, variant);
    } catch (LedgerException e) {
      return 0;
    }
  }

  private static long saturatingAdd(long a, long b) {
    long s = a + b;
    return s < 0 ? Long.MAX_VALUE : s;
  }
}
