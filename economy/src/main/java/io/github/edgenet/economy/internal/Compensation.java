package io.github.edgenet.economy.internal;

import io.github.edgenet.core.identity.NodeId;
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

/**
 * Who may be compensated from an equivocator's slash: every account whose effective chain holds a
 * {@code Receive} of one of the equivocator's two conflicting operations (a send to it, or a
 * release of an escrow to it), claiming that payment's face value. Only the conflicting pair
 * counts: every honest node eventually holds both (they are the proof), so every node computes the
 * same claims; operations above the conflict are refused as {@code CHAIN_VOID} by nodes that saw
 * the conflict first, so receives of those cannot be held everywhere. Stateless.
 */
public final class Compensation {
  private Compensation() {}

  /**
   * The claims on each equivocator's slash.
   *
   * @param effective every account's effective operations
   * @param pairs each equivocator's two conflicting operations
   * @param byId looks up a held operation
   * @return equivocator to (receiver to claimed micro-units, in receiver order)
   */
  public static Map<NodeId, TreeMap<NodeId, Long>> claims(
      List<List<Operation>> effective, Map<NodeId, List<Operation>> pairs,
      Function<OperationId, Operation> byId) {
    Map<OperationId, Operation> voidPayments = new HashMap<>();
    for (List<Operation> pair : pairs.values()) {
      for (Operation op : pair) {
        voidPayments.put(op.id(), op);
      }
    }
    Map<NodeId, TreeMap<NodeId, Long>> out = new HashMap<>();
    if (voidPayments.isEmpty()) {
      return out;
    }
    for (List<Operation> chain : effective) {
      for (Operation op : chain) {
        if (!(op.body() instanceof Receive r)) {
          continue;
        }
        Operation source = voidPayments.get(r.source());
        if (source == null) {
          continue;
        }
        long amount = switch (source.body()) {
          case Send s -> s.to().equals(op.account()) ? s.amount() : 0;
          case EscrowRelease rel -> byId.apply(rel.escrow()).body() instanceof EscrowLock l
              && l.worker().equals(op.account()) ? l.amount() : 0;
          default -> 0;
        };
        if (amount > 0) {
          out.computeIfAbsent(source.account(), k -> new TreeMap<>())
              .merge(op.account(), amount, Compensation::saturatingAdd);
        }
      }
    }
    return out;
  }

  private static long saturatingAdd(long a, long b) {
    long s = a + b;
    return s < 0 ? Long.MAX_VALUE : s;
  }
}
