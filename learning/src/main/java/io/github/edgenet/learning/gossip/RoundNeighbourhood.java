package io.github.edgenet.learning.gossip;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.Membership;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Who a node exchanges vectors with in a {@link RobustGossip} round, as a function of the
 * membership view, the round and a seed every node shares:
 *
 * <ul>
 *   <li>the {@code ringNeighbours} nearest members on each side of this node in the ring of the
 *       view's ids in ascending order (wrapping around), the same every round;
 *   <li>for each of {@code randomRings} rings that order the view by a keyed hash of (seed, round,
 *       ring, id), this node's predecessor and successor there: random peers, new each round.
 * </ul>
 *
 * <p>Both parts are symmetric: with equal views, {@code j} is a neighbour of {@code i} in round
 * {@code r} exactly when {@code i} is one of {@code j}'s. So a node knows whom to send to and whom
 * to listen to without asking anyone, and a peer cannot push itself into a neighbourhood it was
 * not drawn into. The hash keys come from {@link RandomSource#derive(long)} (SplitMix64), seeded
 * by the shared seed.
 *
 * <p>Cost: one sort of the view per view change, one pass over the view per random ring and round.
 * Not thread-safe (used under {@link RobustGossip}'s lock).
 */
final class RoundNeighbourhood {
  private final NodeId self;
  private final int ringNeighbours;
  private final int randomRings;
  private final RandomSource topology;
  private final byte[] idBytes = new byte[NodeId.LENGTH];
  private Membership viewFor;
  private List<NodeId> ringPart = List.of();
  private final Map<Long, List<NodeId>> byRound = new HashMap<>();

  RoundNeighbourhood(NodeId self, int ringNeighbours, int randomRings, long seed) {
    this.self = self;
    this.ringNeighbours = ringNeighbours;
    this.randomRings = randomRings;
    this.topology = RandomSource.seeded(seed);
  }

  /** This node's neighbours in {@code round} under {@code view}, in id order, self excluded. */
  List<NodeId> of(Membership view, long round) {
    if (view != viewFor) {
      viewFor = view;
      ringPart = idRing(view);
      byRound.clear();
    }
    return byRound.computeIfAbsent(round, r -> {
      TreeSet<NodeId> all = new TreeSet<>(ringPart);
      for (int t = 0; t < randomRings; t++) {
        hashRing(view, topology.derive(r).derive(t), all);
      }
      return List.copyOf(all);
    });
  }

  /** Forgets the cached neighbourhoods of rounds before {@code round}. */
  void forgetBefore(long round) {
    byRound.keySet().removeIf(r -> r < round);
  }

  /** The nearest {@code ringNeighbours} others on each side in ascending id order. */
  private List<NodeId> idRing(Membership view) {
    NodeId[] others = view.members().stream().filter(id -> !id.equals(self))
        .toArray(NodeId[]::new);
    Arrays.sort(others);
    int m = others.length;
    if (m == 0 || ringNeighbours == 0) {
      return List.of();
    }
    // where this node would sit among the others: others[at - 1] < self < others[at]
    int at = -(Arrays.binarySearch(others, self) + 1);
    List<NodeId> out = new ArrayList<>();
    for (int s = 1; s <= ringNeighbours && out.size() < m; s++) {
      NodeId next = others[Math.floorMod(at + s - 1, m)];
      NodeId previous = others[Math.floorMod(at - s, m)];
      if (!out.contains(next)) {
        out.add(next);
      }
      if (!out.contains(previous)) {
        out.add(previous);
      }
    }
    return out;
  }

  /**
   * Adds this node's predecessor and successor in the ring that orders the view by {@code
   * key(ring, id)}, ties broken by id.
   */
  private void hashRing(Membership view, RandomSource ring, TreeSet<NodeId> into) {
    long mine = key(ring, self);
    NodeId next = null;
    long nextKey = 0;
    NodeId previous = null;
    long previousKey = 0;
    NodeId lowest = null;
    long lowestKey = 0;
    NodeId highest = null;
    long highestKey = 0;
    for (int i = 0, n = view.size(); i < n; i++) {
      NodeId id = view.get(i);
      if (id.equals(self)) {
        continue;
      }
      long k = key(ring, id);
      if (lowest == null || before(k, id, lowestKey, lowest)) {
        lowest = id;
        lowestKey = k;
      }
      if (highest == null || before(highestKey, highest, k, id)) {
        highest = id;
        highestKey = k;
      }
      if (before(mine, self, k, id) && (next == null || before(k, id, nextKey, next))) {
        next = id;
        nextKey = k;
      }
      if (before(k, id, mine, self) && (previous == null || before(previousKey, previous, k, id))) {
        previous = id;
        previousKey = k;
      }
    }
    if (lowest == null) {
      return; // alone
    }
    into.add(next != null ? next : lowest);
    into.add(previous != null ? previous : highest);
  }

  /** Whether (ka, a) comes before (kb, b) in the ring order: unsigned key, then id. */
  private static boolean before(long ka, NodeId a, long kb, NodeId b) {
    int c = Long.compareUnsigned(ka, kb);
    return c < 0 || (c == 0 && a.compareTo(b) < 0);
  }

  /** The id's position key in a hash ring: SplitMix64 over the seed, round, ring and id. */
  private long key(RandomSource ring, NodeId id) {
    id.writeTo(idBytes, 0);
    long h = 0;
    for (int i = 0; i < NodeId.LENGTH; i += 8) {
      long word = 0;
      for (int j = 0; j < 8; j++) {
        word = (word << 8) | (idBytes[i + j] & 0xFF);
      }
      h = Long.rotateLeft(h, 17) ^ word;
    }
    return ring.derive(h).nextLong();
  }
}
