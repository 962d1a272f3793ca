package io.github.edgenet.economy.ledger;

import io.github.edgenet.core.RandomSource;
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
    List<Operation> pending = new ArrayList<>(ops);
    int idle = 0;
    while (idle < 2) {
      for (int i = pending.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        Operation t = pending.get(i);
        pending.set(i, pending.get(j));
        pending.set(j, t);
      }
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
}
