package io.github.edgenet.swarm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.Membership;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random joins and leaves on SHARED_LOOPBACK: after each step every open endpoint's view,
 * and the last snapshot its listener was given, is exactly the open endpoints in join order.
 */
class MembershipChurnTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int STEPS = 10;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12})
  void viewsFollowJoinsAndLeavesInJoinOrder(long seed) throws Exception {
    System.out.println("MembershipChurnTest seed " + seed);
    RandomSource random = RandomSource.seeded(seed);
    String cluster = "churn-" + ProcessHandle.current().pid() + "-" + seed;
    List<JGroupsNetwork> open = new ArrayList<>(); // in join order
    Map<NodeId, Membership> lastNotified = new ConcurrentHashMap<>();
    int created = 0;
    try {
      for (int step = 0; step < STEPS; step++) {
        boolean join = open.size() < 2 || (open.size() < 5 && random.nextBoolean());
        if (join) {
          NodeIdentity id = NodeIdentity.generate(RandomSource.seeded(seed * 1000 + created++));
          JGroupsNetwork n = JGroupsNetwork.builder(id, cluster).sharedLoopback()
              .joinTimeout(Duration.ofMillis(open.isEmpty() ? 100 : 2000))
              .onMembershipChange(m -> lastNotified.put(id.id(), m))
              .connect();
          open.add(n);
        } else {
          JGroupsNetwork leaving = open.remove(random.nextInt(open.size()));
          leaving.close();
        }
        List<NodeId> expected = open.stream().map(JGroupsNetwork::localId).toList();
        String what = "step " + step + (join ? " (join)" : " (leave)") + ", seed " + seed;
        for (JGroupsNetwork n : open) {
          Await.until(() -> n.membership().members().equals(expected)
                  && Membership.of(expected).equals(lastNotified.get(n.localId())),
              WAIT, () -> what + ": " + n + " sees " + n.membership() + ", listener got "
                  + lastNotified.get(n.localId()) + ", expected " + expected);
        }
        assertEquals(expected, open.get(0).membership().members(), what);
      }
    } finally {
      open.forEach(JGroupsNetwork::close);
    }
  }
}
