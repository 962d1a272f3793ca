package io.github.edgenet.swarm.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one demo run does: the network, the workload and the faults. Validated by {@link SwarmDemo}
 * before a run starts.
 *
 * @param nodes simulated nodes, at least 2 (ignored with {@code jgroups > 0})
 * @param duration time the workload runs (the network then gets a few seconds to drain): virtual
 *     on the simulator, real with JGroups
 * @param seed the seed every random choice derives from: same options, same run
 * @param loss probability a message is lost, in [0, 1)
 * @param duplication probability a message is delivered twice, in [0, 1)
 * @param crashFraction fraction of honest nodes that crash once and restart, in [0, 1]
 * @param byzantine nodes that forge envelopes and return wrong results, fewer than {@code nodes}
 * @param equivocators how many of the Byzantine nodes also equivocate on the ledger (simulator
 *     and ledger only), at most {@code byzantine}
 * @param partition whether the network splits in two at 30% of the run and heals at 50%
 * @param tasksPerSecond tasks submitted per virtual second, over the whole network
 * @param crossCheck fraction of tasks re-executed by a second provider, in [0, 1]
 * @param ledger whether payments run on the replicated ledger (every node minted at genesis)
 * @param jgroups real JGroups nodes on loopback instead of the simulator, or 0 for the simulator
 * @param output where the HTML report goes
 * @param progress whether to draw a progress bar
 */
record DemoOptions(
    int nodes,
    Duration duration,
    long seed,
    double loss,
    double duplication,
    double crashFraction,
    int byzantine,
    int equivocators,
    boolean partition,
    double tasksPerSecond,
    double crossCheck,
    boolean ledger,
    int jgroups,
    Path output,
    boolean progress) {}
