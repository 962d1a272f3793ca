package io.github.edgenet.core.net.sim;

import io.github.edgenet.core.RandomSource;
import java.util.Arrays;

/**
 * Chooses gossip targets: {@code k} distinct members of the sender's view other than itself,
 * drawn from the sender's own gossip stream, without allocating. The picks go to a scratch stack
 * (an interceptor may gossip from inside a send, pushing its own picks above the caller's), so a
 * caller takes {@link #top()}, {@link #select}s, reads the picks with {@link #at} and {@link
 * #release}s them. Not thread-safe.
 */
final class GossipPeers {
  private final NodeTable nodes;
  private int[] marks = new int[16];
  private int stamp;
  private int[] scratch = new int[64];
  private int scratchTop;

  GossipPeers(NodeTable nodes) {
    this.nodes = nodes;
  }

  /** Where the next selection's picks start. */
  int top() {
    return scratchTop;
  }

  /** The pick at scratch position {@code i} (re-read: a nested selection may grow the stack). */
  int at(int i) {
    return scratch[i];
  }

  /** Drops every pick from {@code base} up. */
  void release(int base) {
    scratchTop = base;
  }

  /**
   * Picks {@code min(fanout, candidates)} members of {@code view} other than {@code src}, in
   * the order they are to be sent to, at {@code top() ..}.
   *
   * @return how many were picked
   */
  int select(SimulatedNode src, MembershipViews.View view, int fanout) {
    int[] members = view.members;
    int self = src.index;
    if (src.selfCheckedView != view) { // once per view change, not per message
      src.selfCheckedView = view;
      src.selfInView = Arrays.binarySearch(members, self) >= 0;
    }
    int candidates = members.length - (src.selfInView ? 1 : 0);
    int k = Math.min(fanout, candidates);
    if (k == 0) {
      return 0;
    }
    int base = scratchTop;
    if (k == candidates) {
      reserve(candidates);
      int j = base;
      for (int m : members) {
        if (m != self) {
          scratch[j++] = m;
        }
      }
    } else if (k <= candidates >>> 2) {
      // Few peers out of many: draw with rejection, marking picks (expected draws < 4k/3).
      reserve(k);
      int st = nextStamp();
      int[] mk = marks;
      int[] sc = scratch;
      RandomSource r = src.gossipRandom;
      int got = 0;
      while (got < k) {
        int m = members[r.nextInt(members.length)];
        if (m != self && mk[m] != st) {
          mk[m] = st;
          sc[base + got++] = m;
        }
      }
    } else {
      // Many peers: partial Fisher-Yates shuffle of the candidates.
      reserve(candidates);
      int[] sc = scratch;
      int j = base;
      for (int m : members) {
        if (m != self) {
          sc[j++] = m;
        }
      }
      RandomSource r = src.gossipRandom;
      for (int i = 0; i < k; i++) {
        int pick = base + i + r.nextInt(candidates - i);
        int tmp = sc[base + i];
        sc[base + i] = sc[pick];
        sc[pick] = tmp;
      }
    }
    return k;
  }

  private int nextStamp() {
    int count = nodes.count();
    if (marks.length < count) {
      marks = Arrays.copyOf(marks, Math.max(count, marks.length * 2));
    }
    if (++stamp == 0) {
      Arrays.fill(marks, 0);
      stamp = 1;
    }
    return stamp;
  }

  private void reserve(int n) {
    int need = scratchTop + n;
    if (need > scratch.length) {
      scratch = Arrays.copyOf(scratch, Math.max(need, scratch.length * 2));
    }
    scratchTop = need;
  }
}
