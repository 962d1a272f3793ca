package io.github.edgenet.core.net;

import io.github.edgenet.core.identity.NodeId;
import java.util.AbstractList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;

/**
 * An immutable snapshot of the members one endpoint currently believes are in the group, usually
 * including itself.
 *
 * <p>A view is what the transport's failure detector says, not the truth: a member in the view may
 * have crashed or be cut off by a partition, and different endpoints may hold different views at
 * the same moment. Snapshots are built only when the view changes, never per message, so holding
 * on to one is cheap; ask {@link PeerNetwork#membership()} again for the current one.
 *
 * <p>{@link #members()} keeps the order the snapshot was built with (the simulator uses join order).
 * Two snapshots are {@linkplain #equals equal} when they hold the same set of members, whatever the
 * order.
 *
 * <p>Immutable and thread-safe.
 */
public final class Membership {
  private static final Membership EMPTY = new Membership(new NodeId[0], Set.of());

  private final NodeId[] members;
  private final Set<NodeId> set;
  private final List<NodeId> list;

  private Membership(NodeId[] members, Set<NodeId> set) {
    this.members = members;
    this.set = set;
    this.list = new MemberList(members);
  }

  /**
   * The empty view.
   *
   * @return the empty view
   */
  public static Membership empty() {
    return EMPTY;
  }

  /**
   * A snapshot of {@code members}, copied, in iteration order.
   *
   * @param members the node ids of the view, each once
   * @return a snapshot of {@code members}, copied, in iteration order
   * @throws NullPointerException if {@code members} or one of its elements is null
   * @throws IllegalArgumentException if a node id occurs twice
   */
  public static Membership of(Collection<NodeId> members) {
    NodeId[] array = members.toArray(new NodeId[0]);
    if (array.length == 0) {
      return EMPTY;
    }
    Set<NodeId> set = HashSet.newHashSet(array.length);
    for (int i = 0; i < array.length; i++) {
      NodeId id = Objects.requireNonNull(array[i], () -> "members contains null");
      if (!set.add(id)) {
        throw new IllegalArgumentException("members contains " + id + " twice");
      }
    }
    return new Membership(array, set);
  }

  /**
   * The members as an unmodifiable, random-access list.
   *
   * @return the members as an unmodifiable, random-access list
   */
  public List<NodeId> members() {
    return list;
  }

  /**
   * The number of members.
   *
   * @return the number of members
   */
  public int size() {
    return members.length;
  }

  /**
   * The member at {@code index} in {@link #members()} order: with a random index, a uniform pick.
   *
   * @param index the position in {@link #members()}, in {@code [0, size())}
   * @return the member at {@code index} in {@link #members()} order
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
   */
  public NodeId get(int index) {
    Objects.checkIndex(index, members.length);
    return members[index];
  }

  /**
   * Whether {@code node} is in this view (constant time).
   *
   * @param node the node id to look up
   * @return whether {@code node} is in this view (constant time)
   */
  public boolean contains(NodeId node) {
    return set.contains(node);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Membership other && set.equals(other.set);
  }

  @Override
  public int hashCode() {
    return set.hashCode();
  }

  /** The size and, for small views, the members in short form. */
  @Override
  public String toString() {
    if (members.length > 8) {
      return "Membership[" + members.length + " members]";
    }
    return "Membership" + list;
  }

  private static final class MemberList extends AbstractList<NodeId> implements RandomAccess {
    private final NodeId[] members;

    MemberList(NodeId[] members) {
      this.members = members;
    }

    @Override
    public NodeId get(int index) {
      Objects.checkIndex(index, members.length);
      return members[index];
    }

    @Override
    public int size() {
      return members.length;
    }
  }
}
