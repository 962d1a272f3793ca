package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.sim.OutboundInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The faults of a run on the simulator: the Byzantine nodes' forged traffic, the equivocations of
 * the first few of them ({@link Equivocation}, from 15% of the workload, with the ledger), a
 * partition into two halves from 30% to 50% of the workload, and crashes of honest nodes (never
 * the adjudicators) that restart a few seconds later on the same state. Drawn from the run's seed;
 * confined to the simulator's thread.
 */
final class Faults {
  private final DemoOptions o;
  private final SimFabric sim;
  private final RandomSource random;
  private final Roster roster;
  private final Equivocation equivocation;
  private int crashes;

  Faults(DemoOptions options, SimFabric sim, RandomSource random, Roster roster) {
    this.o = options;
    this.sim = sim;
    this.random = random;
    this.roster = roster;
    this.equivocation = options.ledger() && options.equivocators() > 0
        ? new Equivocation(sim, roster, random) : null;
  }

  /** The equivocations, or null if no node equivocates in this run. */
  Equivocation equivocation() {
    return equivocation;
  }

  /** Crashes so far. */
  int crashes() {
    return crashes;
  }

  /**
   * Takes over the Byzantine nodes' outbound traffic (once the nodes exist); the first {@link
   * DemoOptions#equivocators()} of them also watch it to equivocate later.
   */
  void installForgers() {
    int equivocators = 0;
    for (DemoNode dn : roster.nodes) {
      if (dn.byzantine) {
        OutboundInterceptor forger = forger(random.derive("forger").derive(dn.index));
        if (equivocation != null && equivocators++ < o.equivocators()) {
          forger = equivocation.watch(dn, forger);
        }
        sim.sim.setInterceptor(dn.id(), forger);
      }
    }
  }

  /**
   * A Byzantine node's outbound traffic: some frames tampered with (the signature breaks), some
   * replayed, some garbage spoofed as coming from another node.
   */
  private OutboundInterceptor forger(RandomSource r) {
    byte[][] last = new byte[1][];
    List<DemoNode> honest = roster.honest;
    return (to, message, out) -> {
      double u = r.nextDouble();
      if (u < 0.15) {
        byte[] tampered = message.clone();
        tampered[58 + r.nextInt(tampered.length - 122 + 1)] ^= (byte) (1 + r.nextInt(255));
        out.send(to, tampered);
      } else if (u < 0.20 && last[0] != null) {
        out.send(to, message);
        out.send(to, last[0]); // an old frame again
      } else if (u < 0.25) {
        out.send(to, message);
        byte[] garbage = new byte[64 + r.nextInt(64)];
        r.nextBytes(garbage);
        NodeId victim = honest.get(r.nextInt(honest.size())).id();
        out.sendAs(victim, to, garbage);
      } else {
        out.send(to, message);
      }
      last[0] = message;
    };
  }

  /**
   * Schedules the equivocations, the partition and the crashes; a restarted node rejoins {@code
   * decisions}.
   */
  void schedule(Decisions decisions) {
    long d = o.duration().toNanos();
    if (equivocation != null) {
      equivocation.schedule(Duration.ofNanos(d * 15 / 100)); // before the partition
    }
    if (o.partition()) {
      List<NodeId> half = new ArrayList<>();
      for (int i = 0; i < roster.nodes.size(); i += 2) {
        half.add(roster.nodes.get(i).id());
      }
      sim.schedule(Duration.ofNanos(d * 3 / 10), () -> sim.sim.partition(List.of(half)));
      sim.schedule(Duration.ofNanos(d / 2), sim.sim::heal);
    }
    RandomSource r = random.derive("crashes");
    int count = (int) Math.round(o.crashFraction() * roster.honest.size());
    List<DemoNode> shuffled = new ArrayList<>(roster.honest);
    shuffled.removeIf(dn -> roster.adjudicators.contains(dn.id())); // the judges stay up
    for (int i = 0; i < count; i++) {
      int j = i + r.nextInt(shuffled.size() - i);
      DemoNode victim = shuffled.get(j);
      shuffled.set(j, shuffled.get(i));
      long at = d / 10 + (long) (r.nextDouble() * d * 7 / 10);
      long downFor = 2_000_000_000L + (long) (r.nextDouble() * 6_000_000_000L);
      NodeId id = victim.id();
      sim.schedule(Duration.ofNanos(at), () -> {
        if (sim.isUp(id)) {
          sim.sim.crash(id);
          crashes++;
          sim.schedule(Duration.ofNanos(downFor), () -> {
            sim.sim.restart(id);
            victim.restartedAt = sim.now();
            decisions.restarted(victim);
          });
        }
      });
    }
  }
}
