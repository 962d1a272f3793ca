package io.github.edgenet.swarm.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.swarm.node.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LowestPriceCandidatesTest {
  private static NodeId id(int i) {
    return NodeIdentity.generate(RandomSource.seeded(5).derive(i)).id();
  }

  @Test
  void cheapestFirstThenLowerNodeIdWhateverTheArrivalOrder() {
    List<NodeId> ids = new ArrayList<>(List.of(id(1), id(2), id(3), id(4)));
    Collections.sort(ids);
    List<Offer> offers = new ArrayList<>(List.of(new Offer(ids.get(3), 5), new Offer(ids.get(1), 7),
        new Offer(ids.get(2), 5), new Offer(ids.get(0), 9)));
    List<Offer> expected = List.of(new Offer(ids.get(2), 5), new Offer(ids.get(3), 5),
        new Offer(ids.get(1), 7), new Offer(ids.get(0), 9));
    Task task = new Task("t", new byte[0], new float[] {1}, 10, Duration.ofSeconds(1));
    RandomSource shuffle = RandomSource.seeded(9);
    for (int i = 0; i < 20; i++) {
      Collections.shuffle(offers, shuffle);
      assertEquals(expected, new LowestPriceCandidates().rank(task, offers));
    }
  }
}
