package io.github.edgenet.economy.ledger;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.testing.SeededCases;
import java.util.ArrayList;
import java.util.List;

/** Test helper: feeds operations to a ledger in random orders, as a network might deliver them. */
public final class Feed {
  private Feed() {}

  /**
   * Submits {@code ops} to {@code ledger} in shuffled rounds until two rounds in a row accept
   * nothing; every rejected operation but a duplicate is offered again next round, as
   * anti-entropy would: a gap or a missing source, an operation of the branch not held yet ({@code
   * BAD_LINK}) or a variant refused before the conflict was known, and a void operation ({@code
   * CHAIN_VOID}), which is pooled as evidence in one round so that what names it is accepted in
   * the next.
   *
   * @param ledger the ledger
   * @param ops the operations, in any order, duplicates allowed
   * @param random the shuffles
   */
  public static void shuffledUntilQuiet(Ledger ledger, List<Operation> ops, RandomSource random) {
    List<Operation> pending = ops;
    int idle = 0;
    while (idle < 2) {
      pending = shuffled(pending, random);
      List<Operation> retry = new ArrayList<>();
      for (Ledger.Result r : ledger.submitAll(pending)) {
        if (r.rejection() != null && r.rejection().reason() != LedgerException.Reason.DUPLICATE) {
          retry.add(r.operation());
        }
      }
      idle = retry.size() == pending.size() ? idle + 1 : 0;
      pending = retry;
    }
  }

  /**
   * Every operation {@code ledger} holds on its chains, chain by chain in account order (each
   * conflicting operation it holds right after the one it conflicts with), as {@link
   * Ledger#operations} pages them: what another node must be fed to reach the same state.
   *
   * @param ledger the ledger
   * @return a new, modifiable list
   */
  public static List<Operation> held(Ledger ledger) {
    List<Operation> all = new ArrayList<>();
    for (ChainHead h : ledger.heads()) {
      all.addAll(ledger.operations(h.account(), 0, Integer.MAX_VALUE));
    }
    return all;
  }

  /**
   * {@code ops} in the order of {@link SeededCases#permutation}: the same order an in-place
   * Fisher-Yates shuffle of the list with the same draws gives.
   *
   * @param ops the operations
   * @param random the draws
   * @return a new list
   */
  public static List<Operation> shuffled(List<Operation> ops, RandomSource random) {
    int[] p = SeededCases.permutation(random, ops.size());
    List<Operation> out = new ArrayList<>(p.length);
    for (int i : p) {
      out.add(ops.get(i));
    }
    return out;
  }
}
