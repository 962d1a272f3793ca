package io.github.edgenet.swarm.demo;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.swarm.node.EdgeNode;
import io.github.edgenet.swarm.node.TaskEvent;
import io.github.edgenet.swarm.node.TaskId;
import io.github.edgenet.swarm.node.TaskListener;
import io.github.edgenet.swarm.node.TaskRecord;
import java.util.HashMap;
import java.util.Map;

/**
 * One node of a demo run and what the demo keeps beside it: its role, its prices, and what this
 * node itself observed of the providers of the rare task type (from its own task events), which is
 * all it brings to the network-wide decision. Listener callbacks run on the node's network thread,
 * so the observations are guarded by this object's lock.
 */
final class DemoNode implements TaskListener {
  final int index;
  final NodeIdentity identity;
  final boolean byzantine;
  /** Idle prices of embed and checksum, and whether it runs rare (1) or not (0). */
  final float[] statistic;
  volatile EdgeNode node;
  /** When the simulator last restarted this node (run nanoseconds), or -1. */
  volatile long restartedAt = -1;
  PeerNetwork consensusChannel;
  PeerNetwork gossipChannel;
  PeerNetwork poolChannel;
  private final Recorder recorder;
  private final Map<TaskId, String> types = new HashMap<>();
  private final Map<NodeId, long[]> rare = new HashMap<>(); // provider -> {tries, ok, price sum}

  DemoNode(int index, NodeIdentity identity, boolean byzantine, float[] statistic,
      Recorder recorder) {
    this.index = index;
    this.identity = identity;
    this.byzantine = byzantine;
    this.statistic = statistic;
    this.recorder = recorder;
  }

  NodeId id() {
    return identity.id();
  }

  @Override
  public void onEvent(TaskEvent e) {
    switch (e.step()) {
      case SUBMITTED -> remember(e.task(), e.detail());
      case AWARDED -> {
        if (DemoRun.RARE.equals(type(e.task()))) {
          observe(e.peer(), 0, 0);
        }
      }
      case COMPLETED -> {
        String type = forget(e.task());
        TaskRecord rec = node == null ? null : node.task(e.task()).orElse(null);
        if (rec != null) {
          recorder.agreedPrice(type, rec.priceMicros());
          if (DemoRun.RARE.equals(type)) {
            observe(e.peer(), 1, rec.priceMicros());
          }
        }
      }
      case FAILED -> forget(e.task());
      default -> { }
    }
  }

  private synchronized void remember(TaskId id, String type) {
    types.put(id, type);
  }

  private synchronized String type(TaskId id) {
    return types.get(id);
  }

  private synchronized String forget(TaskId id) {
    return types.remove(id);
  }

  private synchronized void observe(NodeId provider, int ok, long price) {
    long[] o = rare.computeIfAbsent(provider, p -> new long[3]);
    if (ok == 0) {
      o[0]++;
    } else {
      o[1]++;
      o[2] += price;
    }
  }

  /** This node's observations of {@code provider}: {tries, completed, sum of agreed prices}. */
  synchronized long[] observations(NodeId provider) {
    long[] o = rare.get(provider);
    return o == null ? new long[3] : o.clone();
  }
}
