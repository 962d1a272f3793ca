package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.ledger.AccountView;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationId;
import io.github.edgenet.economy.ledger.VestingGrant;
import io.github.edgenet.economy.reputation.LedgerReputation;
import io.github.edgenet.swarm.node.EconomyConfig;
import io.github.edgenet.swarm.node.TaskId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The periodic part of a node's economy, on {@link LedgerSettlement}'s lock: a provider keeps its
 * stake topped up to {@link EconomyConfig#stakeMicros()} from its balance; a submitter claws back
 * the unvested part of a reward once an adjudicator's slash proves the paid result wrong (it
 * watches the adjudicators' chains for a slash with the audited result's evidence digest); and
 * reputation is read from the ledger's fold ({@link LedgerReputation}), the same on every node.
 * Not thread-safe on its own.
 */
final class LedgerUpkeep {
  /** Grants and watches remembered at most. */
  static final int MAX_REMEMBERED = 4096;

  private record Key(TaskId task, NodeId provider) {}

  private final NodeId self;
  private final Clock clock;
  private final Ledger ledger;
  private final EconomyConfig economy;
  private final boolean provider;
  private final Function<OperationBody, Operation> append;
  private final LedgerReputation reputation;
  private final LinkedHashMap<Key, OperationId> grants = bounded();
  private final LinkedHashMap<Key, byte[]> watches = bounded();
  private final Map<NodeId, Long> scanned = new HashMap<>();
  long clawBacks;

  LedgerUpkeep(NodeId self, Clock clock, Ledger ledger, EconomyConfig economy, boolean provider,
      Function<OperationBody, Operation> append) {
    this.self = self;
    this.clock = clock;
    this.ledger = ledger;
    this.economy = economy;
    this.provider = provider;
    this.append = append;
    this.reputation = new LedgerReputation(ledger, economy.reputation());
  }

  private static <K, V> LinkedHashMap<K, V> bounded() {
    return new LinkedHashMap<>(16, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > MAX_REMEMBERED;
      }
    };
  }

  /** The grant that paid {@code provider} for {@code task} (this node funded it). */
  void granted(TaskId task, NodeId provider, OperationId grant) {
    grants.put(new Key(task, provider), grant);
  }

  /** Claws back {@code provider}'s reward for {@code task} once a slash names {@code evidence}. */
  void watch(TaskId task, NodeId provider, byte[] evidence) {
    if (grants.containsKey(new Key(task, provider))) {
      watches.put(new Key(task, provider), evidence.clone());
    }
  }

  /** One round: top up the stake, claw back what a new slash proved unearned. */
  void tick() {
    if (provider && economy.stakeMicros() > 0) {
      AccountView a = ledger.account(self);
      long amount = Math.min(economy.stakeMicros() - a.stake(), a.balance());
      if (amount > 0) {
        append.apply(new OperationBody.Stake(amount));
      }
    }
    if (!watches.isEmpty()) {
      for (NodeId judge : economy.adjudicators()) {
        scanSlashes(judge);
      }
      dropVested();
    }
  }

  private void scanSlashes(NodeId judge) {
    long from = scanned.getOrDefault(judge, 0L);
    List<Operation> ops = ledger.operations(judge, from, 256);
    for (Operation op : ops) {
      if (op.body() instanceof OperationBody.Slash s) {
        clawBack(s.offender(), s.evidence());
      }
    }
    if (!ops.isEmpty()) {
      scanned.put(judge, ops.getLast().sequence() + 1);
    }
  }

  private void clawBack(NodeId offender, byte[] evidence) {
    Iterator<Map.Entry<Key, byte[]>> it = watches.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, byte[]> w = it.next();
      if (w.getKey().provider().equals(offender) && Arrays.equals(w.getValue(), evidence)) {
        it.remove();
        OperationId grant = grants.get(w.getKey());
        if (grant != null
            && append.apply(new OperationBody.VestClawBack(grant, offender)) != null) {
          clawBacks++;
        }
      }
    }
  }

  /** A watch over a fully vested grant could take nothing back: forget it. */
  private void dropVested() {
    long now = clock.epochMillis();
    List<Key> done = new ArrayList<>();
    for (Key k : watches.keySet()) {
      OperationId grant = grants.get(k);
      VestingGrant g = grant == null ? null : ledger.vestingGrant(grant).orElse(null);
      if (g == null && grant == null || g != null && g.vestedAt(now) >= g.total()) {
        done.add(k);
      }
    }
    done.forEach(watches::remove);
  }

  /** {@code node}'s reputation now, in [0, 1): 0 unless it is staked and has worked. */
  double reputation(NodeId node) {
    return reputation.scoreAt(node, clock.epochMillis());
  }

  /** Granted, claimed and clawed back micro-units of the grants paying this node. */
  long[] vesting() {
    long total = 0;
    long released = 0;
    long clawed = 0;
    for (VestingGrant g : ledger.vestingGrants(self)) {
      total += g.total() + g.clawedBack();
      released += g.released();
      clawed += g.clawedBack();
    }
    return new long[] {total, released, clawed};
  }
}
