package io.github.edgenet.swarm.consensus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long runs behind the figures of docs/swarm.md, off by default (minutes of CPU). Run with
 * {@code ./mvnw -B -q -pl swarm verify -Dtest=ConsensusSweepTest -Dswarm.sweep=NAME}.
 */
class ConsensusSweepTest {

  @Test
  @EnabledIfSystemProperty(named = "swarm.sweep", matches = "byzantine")
  void byzantineSweep() {
    for (int f : new int[] {10, 20, 30, 40, 50, 60, 80}) {
      int ok = 0;
      for (int s = 1; s <= 5; s++) {
        var r = ConsensusSimulation.run(new ConsensusSimulation.Params(200, 0, 0.05, f, s, 150));
        System.out.println("f=" + f + " seed " + s + ": " + r);
        ok += r.converged() && r.winner() == ConsensusSimulation.BEST ? 1 : 0;
      }
      System.out.printf("f=%d of %d (%.1f%%): best in %d/5%n", f, 200 + f, 100.0 * f / (200 + f), ok);
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "swarm.sweep", matches = "full")
  void fiftyRunsOfAThousandNodes() {
    ConsensusSimulation.main(new String[] {"1000", "50"});
  }

  @Test
  @EnabledIfSystemProperty(named = "swarm.sweep", matches = "scale")
  void roundsByScale() {
    ConsensusSimulation.main(new String[] {"100", "10"});
    ConsensusSimulation.main(new String[] {"1000", "5"});
    ConsensusSimulation.main(new String[] {"10000", "2"});
  }
}
