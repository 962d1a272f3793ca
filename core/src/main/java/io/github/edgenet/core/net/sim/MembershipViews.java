package io.github.edgenet.core.net.sim;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.Membership;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Each node's membership view and its listener's notifications. A view is the set of up nodes of
 * a partition group, in join order, as the views see them: joins and leaves show at once, crashes,
 * restarts, partitions and heals after the failure-detection delay ({@link #faultChanged}).
 * Snapshots are rebuilt lazily and only for groups that changed; each node whose view changed is
 * told in an event of its own, in index order. Not thread-safe.
 */
final class MembershipViews {
  private final NodeTable nodes;
  private final EventLoop loop;
  private final long failureDetectionNanos;
  private boolean stale;
  private boolean notifyPending;
  private Map<IntArrayList, View> views = new HashMap<>();

  MembershipViews(NodeTable nodes, EventLoop loop, long failureDetectionNanos) {
    this.nodes = nodes;
    this.loop = loop;
    this.failureDetectionNanos = failureDetectionNanos;
  }

  /** A join or a leave: the views change now (rebuilt when next read). */
  void markStale() {
    stale = true;
  }

  /** {@code node}'s current view, rebuilt first if a join, leave or detected fault changed it. */
  View viewOf(SimulatedNode node) {
    if (stale) {
      rebuild();
    }
    return node.view;
  }

  /** A fault changed who is up or who is grouped with whom: views catch up after the delay. */
  void faultChanged() {
    long now = loop.now;
    long at = now + failureDetectionNanos;
    loop.queue.push(at < now ? Long.MAX_VALUE : at, -1, -1, (Runnable) this::applyFaults);
  }

  /** Makes sure listeners hear of the current views at the current instant. */
  void scheduleNotifications() {
    if (!notifyPending) {
      notifyPending = true;
      loop.queue.push(loop.now, -1, -1, (Runnable) this::queueNotifications);
    }
  }

  /** Tells {@code n}'s listener its view, if it changed since the last notification. */
  void notify(SimulatedNode n) {
    View v = n.view;
    Consumer<Membership> listener = n.membershipListener;
    if (listener != null && n.state == SimulatedNode.UP && v != n.notifiedView) {
      n.notifiedView = v;
      listener.accept(v.snapshot);
    }
  }

  private void applyFaults() {
    for (int i = 0, count = nodes.count(); i < count; i++) {
      SimulatedNode n = nodes.get(i);
      n.viewUp = n.state == SimulatedNode.UP;
      n.viewGroup = n.group;
    }
    stale = true;
    queueNotifications();
  }

  /** One notification event per node whose view changed: each runs as that node's own callback. */
  private void queueNotifications() {
    notifyPending = false;
    if (stale) {
      rebuild();
    }
    for (int i = 0, count = nodes.count(); i < count; i++) {
      SimulatedNode n = nodes.get(i);
      if (n.membershipListener != null && n.state == SimulatedNode.UP && n.view != n.notifiedView) {
        loop.queue.push(loop.now, -1, i, EventLoop.NOTIFY_VIEW);
      }
    }
  }

  /** Rebuilds the group views from the view state; unchanged groups keep their snapshot object. */
  private void rebuild() {
    stale = false;
    int count = nodes.count();
    Int2ObjectOpenHashMap<IntArrayList> groups = new Int2ObjectOpenHashMap<>();
    for (int i = 0; i < count; i++) {
      SimulatedNode n = nodes.get(i);
      if (n.viewUp) {
        groups.computeIfAbsent(n.viewGroup, g -> new IntArrayList()).add(i);
      }
    }
    Map<IntArrayList, View> next = HashMap.newHashMap(groups.size());
    Int2ObjectOpenHashMap<View> byGroup = new Int2ObjectOpenHashMap<>(groups.size());
    for (Int2ObjectOpenHashMap.Entry<IntArrayList> e : groups.int2ObjectEntrySet()) {
      IntArrayList members = e.getValue();
      View v = views.get(members);
      if (v == null) {
        int[] m = members.toIntArray();
        NodeId[] ids = new NodeId[m.length];
        for (int j = 0; j < m.length; j++) {
          ids[j] = nodes.get(m[j]).id;
        }
        v = new View(m, Membership.of(Arrays.asList(ids)));
      }
      next.put(members, v);
      byGroup.put(e.getIntKey(), v);
    }
    views = next;
    for (int i = 0; i < count; i++) {
      SimulatedNode n = nodes.get(i);
      if (n.viewUp) {
        n.view = byGroup.get(n.viewGroup);
      }
    }
  }

  /** A membership view: sorted dense indices (join order) and the public snapshot. */
  static final class View {
    static final View EMPTY = new View(new int[0], Membership.empty());

    final int[] members;
    final Membership snapshot;

    View(int[] members, Membership snapshot) {
      this.members = members;
      this.snapshot = snapshot;
    }
  }
}
