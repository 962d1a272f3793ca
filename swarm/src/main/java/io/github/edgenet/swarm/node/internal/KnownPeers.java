package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.Membership;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.swarm.node.EdgeNodeConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a node knows of its peers: the task types and prices providers announced (at most {@link
 * EdgeNodeConfig#maxKnownProviders()}, the one heard from longest ago dropped first, each forgotten
 * {@link EdgeNodeConfig#capabilityTtlMillis()} after its last announcement), and random choices
 * among the members of the network's view. Confined to the engine's lock.
 */
final class KnownPeers {
  private record Capability(Map<String, Long> prices, long seenMillis) {}

  private final NodeId self;
  private final PeerNetwork net;
  private final Clock clock;
  private final RandomSource random;
  private final EdgeNodeConfig config;
  private final LinkedHashMap<NodeId, Capability> providers;

  KnownPeers(NodeId self, PeerNetwork net, Clock clock, RandomSource random,
      EdgeNodeConfig config) {
    this.self = self;
    this.net = net;
    this.clock = clock;
    this.random = random;
    this.config = config;
    int maxProviders = config.maxKnownProviders();
    this.providers = new LinkedHashMap<>(16, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<NodeId, Capability> eldest) {
        return size() > maxProviders;
      }
    };
  }

  /** A provider announced its task types and prices. */
  void onAnnounce(Envelope e) throws Wire.MalformedException {
    Messages.Announce m = Messages.decodeAnnounce(e.payload());
    if (e.sender().equals(self)) {
      return;
    }
    providers.remove(e.sender()); // re-insert: the eldest entry is the one heard from longest ago
    providers.put(e.sender(), new Capability(Map.copyOf(m.prices()), clock.epochMillis()));
  }

  /** Forgets the providers not heard from within the capability TTL. */
  void expire() {
    long now = clock.epochMillis();
    providers.values().removeIf(c -> now - c.seenMillis() > config.capabilityTtlMillis());
  }

  /** The providers known (for the metrics), in the order they were last heard from. */
  Set<NodeId> providers() {
    return providers.keySet();
  }

  /** How many providers are known. */
  int size() {
    return providers.size();
  }

  /** Up to {@code limit} live providers of {@code type}, cheapest announcement first. */
  List<NodeId> knownProviders(String type, int limit) {
    long now = clock.epochMillis();
    return providers.entrySet().stream()
        .filter(e -> now - e.getValue().seenMillis() <= config.capabilityTtlMillis())
        .filter(e -> e.getValue().prices().containsKey(type))
        .sorted(Comparator.<Map.Entry<NodeId, Capability>>comparingLong(
            e -> e.getValue().prices().get(type)).thenComparing(Map.Entry::getKey))
        .limit(limit)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Up to {@code count} distinct members of the view, not this node and not in {@code except}. */
  List<NodeId> randomPeers(int count, Set<NodeId> except) {
    Membership view = net.membership();
    List<NodeId> candidates = new ArrayList<>(view.size());
    for (NodeId id : view.members()) {
      if (!id.equals(self) && !except.contains(id)) {
        candidates.add(id);
      }
    }
    int n = Math.min(count, candidates.size());
    for (int i = 0; i < n; i++) { // partial Fisher-Yates
      int j = i + random.nextInt(candidates.size() - i);
      NodeId t = candidates.get(i);
      candidates.set(i, candidates.get(j));
      candidates.set(j, t);
    }
    return List.copyOf(candidates.subList(0, n));
  }
}
