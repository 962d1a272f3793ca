package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.swarm.node.EconomyConfig;
import io.github.edgenet.swarm.node.EdgeNode;
import io.github.edgenet.swarm.node.EdgeNodeConfig;
import io.github.edgenet.swarm.node.LearningConfig;
import io.github.edgenet.swarm.protocol.SwarmMessageTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who is who in a demo run, and the nodes built accordingly: which nodes are Byzantine (they
 * undercut everyone and return random bytes), what each honest node charges, who runs the rare
 * type, who adjudicates (the first few honest nodes, when payments run on the ledger) and who
 * learns the classify type. Every choice is drawn from the run's seed.
 */
final class Roster {
  /**
   * The learners' settings: a larger step and more replay than the defaults, since each of them
   * sees only a few dozen tasks in a minute.
   */
  private static final LearningConfig LEARNING = LearningConfig.builder().learningRate(0.5)
      .replay(8, 16).build();

  final List<DemoNode> nodes = new ArrayList<>();
  final List<DemoNode> honest = new ArrayList<>();
  final List<NodeId> rareProviders = new ArrayList<>();
  final Set<NodeId> adjudicators = new TreeSet<>();
  final Set<NodeId> learners = new TreeSet<>();

  private final DemoOptions o;
  private final RandomSource random;
  private final Fabric fabric;
  private final Recorder rec;

  /** Who is Byzantine, what each honest node charges, who runs the rare type. */
  private record Plan(boolean[] byzantine, long[] embedPrice, long[] checksumPrice,
      long[] rarePrice) {}

  Roster(DemoOptions options, RandomSource random, Fabric fabric, Recorder rec) {
    this.o = options;
    this.random = random;
    this.fabric = fabric;
    this.rec = rec;
  }

  private int nodeCount() {
    return o.jgroups() > 0 ? o.jgroups() : o.nodes();
  }

  private Plan plan() {
    int n = nodeCount();
    boolean[] byz = new boolean[n];
    RandomSource pick = random.derive("byzantine");
    for (int chosen = 0; chosen < o.byzantine(); ) {
      int i = pick.nextInt(n);
      if (!byz[i]) {
        byz[i] = true;
        chosen++;
      }
    }
    long[] embed = new long[n];
    long[] check = new long[n];
    long[] rare = new long[n];
    RandomSource prices = random.derive("prices");
    int rareCount = 0;
    for (int i = 0; i < n; i++) {
      if (byz[i]) {
        embed[i] = 2;
        check[i] = 2;
        continue;
      }
      embed[i] = 10 + prices.nextInt(40);
      check[i] = 10 + prices.nextInt(40);
      if (prices.nextInt(100) < 3) {
        rare[i] = 80 + prices.nextInt(40);
        rareCount++;
      }
    }
    // Small networks (the JGroups mode) still get two providers of the rare type to decide on.
    for (int i = 0; i < n && rareCount < 2 && n - o.byzantine() >= 3; i++) {
      if (!byz[i] && rare[i] == 0) {
        rare[i] = 80 + prices.nextInt(40);
        rareCount++;
      }
    }
    return new Plan(byz, embed, check, rare);
  }

  /** Builds every node on the fabric and waits until they see each other. */
  void build() throws IOException {
    EdgeNodeConfig config = EdgeNodeConfig.builder()
        .embeddingDimension(DemoRun.DIM)
        .crossCheckFraction(o.crossCheck())
        .build();
    Plan plan = plan();
    int n = nodeCount();
    List<NodeIdentity> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(NodeIdentity.generate(random.derive("identity").derive(i)));
    }
    Map<NodeId, Long> genesis = new TreeMap<>();
    EconomyConfig economy = EconomyConfig.defaults();
    if (o.ledger()) {
      ids.forEach(id -> genesis.put(id.id(), DemoRun.GRANT));
      // The first few honest nodes adjudicate: they re-execute accused results and slash liars.
      for (int i = 0; i < n && adjudicators.size() < DemoRun.ADJUDICATORS; i++) {
        if (!plan.byzantine()[i]) {
          adjudicators.add(ids.get(i).id());
        }
      }
      economy = EconomyConfig.builder().adjudicators(adjudicators).build();
    }
    // About 3% of the honest nodes (at least 3) learn the classify type together; not the
    // adjudicators: a learned type's answers depend on the version, so they cannot be re-executed.
    RandomSource pickLearners = random.derive("learners");
    int wantLearners = Math.max(3, (n - o.byzantine()) / 30);
    for (int tries = 0; learners.size() < wantLearners && tries < 100 * n; tries++) {
      int i = pickLearners.nextInt(n);
      if (!plan.byzantine()[i] && !adjudicators.contains(ids.get(i).id())) {
        learners.add(ids.get(i).id());
      }
    }
    for (int i = 0; i < n; i++) {
      NodeIdentity id = ids.get(i);
      boolean bad = plan.byzantine()[i];
      float[] statistic = {plan.embedPrice()[i], plan.checksumPrice()[i],
          plan.rarePrice()[i] > 0 ? 1 : 0};
      DemoNode dn = new DemoNode(i, id, bad, statistic, rec);
      EdgeNode.Builder b = EdgeNode.builder().network(fabric.endpoint(id)).identity(id)
          .clock(fabric.clock()).config(config).listener(dn)
          .verifier(DemoRun.CHECKSUM,
              (task, result) -> Arrays.equals(result, DemoRun.checksum(task.payload())))
          .verifier(DemoRun.EMBED, (task, result) -> result.length == 4 * DemoRun.DIM)
          .verifier(Classify.TYPE, Classify.verifier());
      if (!(fabric instanceof SimFabric)) {
        b.random(random.derive("node").derive(i));
      }
      if (o.ledger()) {
        b.genesis(genesis).economy(economy);
      }
      if (bad) {
        lie(b, random.derive("lies").derive(i), plan.embedPrice()[i], plan.checksumPrice()[i]);
      } else {
        b.executor(DemoRun.EMBED, plan.embedPrice()[i], ctx -> DemoRun.floats(ctx.adapted()));
        b.executor(DemoRun.CHECKSUM, plan.checksumPrice()[i],
            ctx -> DemoRun.checksum(ctx.payload()));
        if (plan.rarePrice()[i] > 0) {
          b.executor(DemoRun.RARE, plan.rarePrice()[i], ctx -> DemoRun.checksum(ctx.payload()));
          rareProviders.add(id.id());
        }
      }
      if (learners.contains(id.id())) {
        b.executor(Classify.TYPE, 20 + plan.checksumPrice()[i] / 2, Classify.executor(),
            Classify.objective()).learning(LEARNING);
      } else {
        b.adaptive(Classify.TYPE); // answers depend on the shared adapter's version: no cross-check
      }
      EdgeNode node = b.build();
      dn.node = node;
      dn.consensusChannel = node.channel(SwarmMessageTypes.CONSENSUS_OPINION,
          SwarmMessageTypes.CONSENSUS_OPINION);
      dn.gossipChannel = node.channel(GossipProbe.ENVELOPE_TYPE, GossipProbe.ENVELOPE_TYPE);
      dn.poolChannel = node.channel(Decisions.POOL_TYPE, Decisions.POOL_TYPE);
      nodes.add(dn);
      if (!bad) {
        honest.add(dn);
      }
    }
    fabric.formed();
  }

  /** A Byzantine node's executors: the two cheap types, answered with random bytes. */
  private static void lie(EdgeNode.Builder b, RandomSource lies, long embedPrice,
      long checksumPrice) {
    b.executor(DemoRun.EMBED, embedPrice, ctx -> {
      byte[] r = new byte[4 * DemoRun.DIM];
      synchronized (lies) {
        lies.nextBytes(r);
      }
      return r;
    });
    b.executor(DemoRun.CHECKSUM, checksumPrice, ctx -> {
      byte[] r = new byte[8];
      synchronized (lies) {
        lies.nextBytes(r);
      }
      return r;
    });
  }
}
