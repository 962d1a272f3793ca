package io.github.edgenet.economy.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody.Receive;
import io.github.edgenet.economy.ledger.OperationBody.Slash;
import io.github.edgenet.economy.ledger.OperationBody.VestClaim;
import io.github.edgenet.economy.ledger.OperationId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Folds the effective operations of every chain in the canonical order: Kahn's topological order
 * of the dependency graph (the previous link; a receive after what it claims; a slash after the
 * offender operation it names; a governance operation after the proposal or queue it names; a
 * commitment after its auction; a forfeit after its witness), always taking the ready operation
 * that is smallest by the given order. With a total order the result is unique for the set of
 * operations, whatever order they were given in; since nothing is accepted dated before what it
 * names, it is also a time order (every operation dated at or before t precedes every operation
 * dated after t; docs/economy.md). Each equivocator is slashed right after its last effective
 * operation. Stateless.
 */
public final class CanonicalFold {
  private CanonicalFold() {}

  /**
   * The folded state and the last operation applied.
   *
   * @param fold the state
   * @param last the last operation in canonical order, or null if there was none
   */
  public record Result(Fold fold, Operation last) {}

  /**
   * Folds.
   *
   * @param config the ledger's parameters
   * @param chains each account's effective operations, in sequence order from 0
   * @param conflicts the equivocators and the sequence of their first conflict
   * @param claims each equivocator's compensation claims ({@link Compensation#claims})
   * @param order the total order among ready operations (timestamp, then id)
   * @param lookup every held operation by id (what governance and auction operations name)
   * @return the state
   */
  public static Result run(
      LedgerConfig config,
      List<List<Operation>> chains,
      Map<NodeId, Long> conflicts,
      Map<NodeId, ? extends Map<NodeId, Long>> claims,
      Comparator<Operation> order,
      java.util.function.Function<OperationId, Operation> lookup) {
    Fold f = new Fold(config, lookup);
    Set<OperationId> effective = new HashSet<>();
    Map<NodeId, List<Operation>> byAccount = new HashMap<>();
    for (List<Operation> chain : chains) {
      for (Operation op : chain) {
        effective.add(op.id());
      }
      if (!chain.isEmpty()) {
        byAccount.put(chain.getFirst().account(), chain);
      }
    }
    Map<OperationId, int[]> indegree = new HashMap<>();
    Map<OperationId, List<Operation>> waiting = new HashMap<>();
    PriorityQueue<Operation> ready = new PriorityQueue<>(order);
    for (List<Operation> chain : chains) {
      for (int i = 0; i < chain.size(); i++) {
        Operation op = chain.get(i);
        int deps = i > 0 ? 1 : 0;
        OperationId dependency = crossDependency(op);
        if (dependency != null && effective.contains(dependency)) {
          deps++;
          waiting.computeIfAbsent(dependency, k -> new ArrayList<>()).add(op);
        }
        if (deps == 0) {
          ready.add(op);
        } else {
          indegree.put(op.id(), new int[] {deps});
        }
      }
    }
    Operation last = null;
    while (!ready.isEmpty()) {
      Operation op = ready.poll();
      f.apply(op);
      last = op;
      Long conflict = conflicts.get(op.account());
      if (conflict != null && conflict == op.sequence() + 1) {
        Map<NodeId, Long> mine = claims.get(op.account());
        f.slashEquivocation(op.account(), op, mine == null ? Map.of() : mine);
      }
      List<Operation> chain = byAccount.get(op.account());
      if (op.sequence() + 1 < chain.size()) {
        release(chain.get((int) op.sequence() + 1), indegree, ready);
      }
      for (Operation w : waiting.getOrDefault(op.id(), List.of())) {
        release(w, indegree, ready);
      }
    }
    return new Result(f, last);
  }

  /** The operation of another chain that {@code op} must follow in the fold, or null. */
  private static OperationId crossDependency(Operation op) {
    return switch (op.body()) {
      case Receive r -> r.source();
      case Slash s -> s.offenderHead();
      case VestClaim c -> c.grant();
      case io.github.edgenet.economy.ledger.GovernanceBody g -> g.target();
      case io.github.edgenet.economy.ledger.AuctionBody.Commit c -> c.auction();
      case io.github.edgenet.economy.ledger.AuctionBody.Forfeit x -> x.witness();
      default -> null;
    };
  }

  private static void release(
      Operation op, Map<OperationId, int[]> indegree, PriorityQueue<Operation> ready) {
    int[] d = indegree.get(op.id());
    if (--d[0] == 0) {
      indegree.remove(op.id());
      ready.add(op);
    }
  }
}
