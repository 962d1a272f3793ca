package io.github.edgenet.core.net.sim;

import io.github.edgenet.core.identity.NodeId;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Fault injection: crashes, restarts, partitions and heals change node state at once (so messages
 * and timers feel them at once) and reach the membership views after the failure-detection delay.
 * Link faults live in the {@link Transport}'s link models, Byzantine ones in interceptors. Not
 * thread-safe.
 */
final class Faults {
  private static final Logger LOG = System.getLogger(NetworkSimulator.class.getName());

  private final NodeTable nodes;
  private final EventLoop loop;
  private final MembershipViews views;

  Faults(NodeTable nodes, EventLoop loop, MembershipViews views) {
    this.nodes = nodes;
    this.loop = loop;
    this.views = views;
  }

  void crash(SimulatedNode n) {
    if (n.state != SimulatedNode.UP) {
      throw new IllegalStateException("cannot crash " + n + ": it is not up");
    }
    n.state = SimulatedNode.CRASHED;
    n.dropBeforeSeq = loop.queue.nextSeq();
    LOG.log(Level.DEBUG, () -> "t=" + loop.now + " ns: crashed " + n.id);
    views.faultChanged();
  }

  void restart(SimulatedNode n) {
    if (n.state != SimulatedNode.CRASHED) {
      throw new IllegalStateException("cannot restart " + n + ": it is not crashed");
    }
    n.state = SimulatedNode.UP;
    n.dropBeforeSeq = loop.queue.nextSeq(); // a clean inbox: nothing sent before the restart arrives
    LOG.log(Level.DEBUG, () -> "t=" + loop.now + " ns: restarted " + n.id);
    Runnable hook = n.restartHook;
    if (hook != null) {
      loop.schedule(loop.now, n.index, hook);
    }
    views.faultChanged();
  }

  void partition(List<? extends Collection<NodeId>> groups) {
    Objects.requireNonNull(groups, "groups");
    int count = nodes.count();
    int[] assigned = new int[count];
    for (int g = 0; g < groups.size(); g++) {
      for (NodeId id : Objects.requireNonNull(groups.get(g), "groups element")) {
        int i = nodes.indexOrThrow("node in groups", id);
        if (assigned[i] != 0) {
          throw new IllegalArgumentException("node " + id + " is in more than one group");
        }
        assigned[i] = g + 1;
      }
    }
    for (int i = 0; i < count; i++) {
      nodes.get(i).group = assigned[i];
    }
    LOG.log(Level.DEBUG, () -> "t=" + loop.now + " ns: partitioned into " + (groups.size() + 1));
    views.faultChanged();
  }

  void heal() {
    for (int i = 0, count = nodes.count(); i < count; i++) {
      nodes.get(i).group = 0;
    }
    LOG.log(Level.DEBUG, () -> "t=" + loop.now + " ns: healed");
    views.faultChanged();
  }
}
