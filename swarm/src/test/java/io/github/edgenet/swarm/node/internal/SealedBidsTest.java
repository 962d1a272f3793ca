package io.github.edgenet.swarm.node.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.swarm.node.TaskId;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedBidsTest {

  /**
   * A node restarted on its storage directory opens the commitment it sent before the restart,
   * even if its market quote is now different: the ask comes from the store, the salt is derived.
   */
  @Test
  void aRestartedNodeOpensTheCommitmentItMadeBefore(@TempDir Path dir) {
    NodeIdentity me = NodeIdentity.generate(RandomSource.seeded(5));
    TaskId task = new TaskId(NodeIdentity.generate(RandomSource.seeded(6)).id(), 42);
    byte[] commitment;
    try (NodeStore store = NodeStore.open(dir)) {
      SealedBids.Sealed s = new SealedBids(me, store).seal(task, "t", 17, 10_000, 0);
      commitment = s.commitment();
    }
    try (NodeStore store = NodeStore.open(dir)) {
      SealedBids again = new SealedBids(me, store);
      SealedBids.Sealed s = again.get(task);
      assertArrayEquals(commitment, s.commitment());
      assertEquals(17, s.bid().priceMicros());
      assertEquals("t", s.type());
      // a new quote does not replace the bid committed to
      assertArrayEquals(commitment, again.seal(task, "t", 99, 10_000, 0).commitment());
      assertNull(again.get(new TaskId(task.submitter(), 43)));
    }
  }
}
