package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.swarm.node.Task;
import java.util.Comparator;
import java.util.List;

/**
 * The honest default {@link CandidateSelector} until the swarm algorithms are wired in: the
 * providers that offered, cheapest first, ties broken by node id. No learning from history, no
 * consensus, no pheromones. Stateless and thread-safe.
 */
public final class LowestPriceCandidates implements CandidateSelector {
  private static final Comparator<Offer> ORDER =
      Comparator.comparingLong(Offer::priceMicros).thenComparing(Offer::provider);

  @Override
  public List<Offer> rank(Task task, List<Offer> offers) {
    return offers.stream().sorted(ORDER).toList();
  }
}
