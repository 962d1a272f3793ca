package io.github.edgenet.swarm.stigmergy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.internal.TestEnvelopes;
import io.github.edgenet.swarm.protocol.SwarmMessageTypes;
import io.github.edgenet.swarm.protocol.SwarmProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Agents pick one of 10 workers of hidden quality per task. Trail followers each keep their own
 * field, deposit the outcome quality and gossip their registers in signed envelopes to one random
 * follower every 10 tasks; uniform choosers pick at random. High quality: an outcome >= 0.7.
 */
class StigmergySimulationTest {

  static int[] run(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    TestEnvelopes env = new TestEnvelopes();
    VirtualClock clock = new VirtualClock();
    int workers = 10;
    int agents = 10;
    int tasksPerAgent = 300;
    double[] quality = new double[workers];
    List<NodeId> ids = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      quality[w] = 0.2 + 0.6 * r.nextDouble();
      ids.add(TestEnvelopes.id(500 + w));
    }
    quality[r.nextInt(workers)] = 0.9;
    EnvelopeSender[] senders = new EnvelopeSender[agents];
    PheromoneField[] fields = new PheromoneField[agents];
    for (int a = 0; a < agents; a++) {
      senders[a] = env.sender(TestEnvelopes.identity(600 + a));
      fields[a] = PheromoneField.builder(senders[a].id(), clock).tau(Duration.ofSeconds(60)).build();
    }
    int followerHigh = 0;
    int uniformHigh = 0;
    for (int t = 0; t < tasksPerAgent; t++) {
      for (int a = 0; a < agents; a++) {
        clock.advance(Duration.ofMillis(50));
        int w = ids.indexOf(fields[a].select("task", ids, r));
        double q = Math.clamp(quality[w] + 0.1 * r.nextGaussian(), 0, 1);
        fields[a].deposit("task", ids.get(w), q);
        followerHigh += q >= 0.7 ? 1 : 0;
        int u = r.nextInt(workers);
        double qu = Math.clamp(quality[u] + 0.1 * r.nextGaussian(), 0, 1);
        uniformHigh += qu >= 0.7 ? 1 : 0;
        if (t % 10 == 9) {
          int peer = r.nextInt(agents);
          for (byte[] p : fields[a].ownPayloads()) {
            try {
              fields[peer].merge(env.roundTrip(senders[a], SwarmMessageTypes.PHEROMONE_FIELD, p));
            } catch (SwarmProtocolException e) {
              throw new AssertionError(e);
            }
          }
          fields[a].prune();
        }
      }
    }
    return new int[] {followerHigh, uniformHigh};
  }

  @Test
  void trailFollowersCompleteMoreHighQualityTasksThanUniformChoosers() {
    for (long seed = 1; seed <= 3; seed++) {
      int[] res = run(seed);
      System.out.printf("seed %d: high-quality completions, followers %d vs uniform %d of 3000%n",
          seed, res[0], res[1]);
      assertTrue(res[0] > 1.5 * res[1], "seed " + seed + ": followers " + res[0] + ", uniform " + res[1]);
    }
  }
}
