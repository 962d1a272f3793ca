package io.github.edgenet.core.net.sim;

import java.util.Arrays;

/**
 * The simulator's agenda: a 4-ary min-heap of events ordered by (time, sequence number), stored in
 * parallel primitive arrays so that queuing a message allocates nothing (the arrays grow by
 * doubling). The sequence number is assigned at {@link #push} and increases by one per event, which
 * breaks ties in time by insertion order and makes the order of events a pure function of the order
 * of pushes.
 *
 * <p>An event is (time, seq, from, to, payload); {@code from} and {@code to} are dense node indices
 * packed into one {@code long} (or -1 for simulator-wide events). Not thread-safe.
 */
final class EventQueue {
  private long[] times;
  private long[] seqs;
  private long[] routes;
  private Object[] payloads;
  private int size;
  private long nextSeq;

  EventQueue(int initialCapacity) {
    int cap = Math.max(16, initialCapacity);
    times = new long[cap];
    seqs = new long[cap];
    routes = new long[cap];
    payloads = new Object[cap];
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The sequence number the next push will get: every queued event has a smaller one. */
  long nextSeq() {
    return nextSeq;
  }

  long topTime() {
    return times[0];
  }

  long topSeq() {
    return seqs[0];
  }

  int topFrom() {
    return (int) (routes[0] >> 32);
  }

  int topTo() {
    return (int) routes[0];
  }

  Object topPayload() {
    return payloads[0];
  }

  /** Queues an event; {@code from} and {@code to} are node indices or -1. */
  void push(long time, int from, int to, Object payload) {
    if (size == times.length) {
      grow();
    }
    long seq = nextSeq++;
    long route = ((long) from << 32) | (to & 0xFFFF_FFFFL);
    long[] t = times;
    long[] s = seqs;
    long[] r = routes;
    Object[] p = payloads;
    int i = size++;
    // Sift up: move larger parents down into the hole until the new event fits. seq is larger than
    // every queued one, so on equal times the new event always goes below.
    while (i > 0) {
      int parent = (i - 1) >>> 2;
      if (t[parent] <= time) {
        break;
      }
      t[i] = t[parent];
      s[i] = s[parent];
      r[i] = r[parent];
      p[i] = p[parent];
      i = parent;
    }
    t[i] = time;
    s[i] = seq;
    r[i] = route;
    p[i] = payload;
  }

  /** Removes the first event (the one the {@code top...} methods describe). Queue must be non-empty. */
  void pop() {
    int n = --size;
    long[] t = times;
    long[] s = seqs;
    long[] r = routes;
    Object[] p = payloads;
    long time = t[n];
    long seq = s[n];
    long route = r[n];
    Object payload = p[n];
    p[n] = null;
    if (n == 0) {
      return;
    }
    // Sift the last event down from the root, pulling the smallest child up into the hole.
    int i = 0;
    while (true) {
      int first = 4 * i + 1;
      if (first >= n) {
        break;
      }
      int c = first;
      long ct = t[first];
      int end = Math.min(first + 4, n);
      for (int k = first + 1; k < end; k++) {
        long kt = t[k];
        if (kt < ct || (kt == ct && s[k] < s[c])) {
          c = k;
          ct = kt;
        }
      }
      if (time < ct || (time == ct && seq < s[c])) {
        break;
      }
      t[i] = ct;
      s[i] = s[c];
      r[i] = r[c];
      p[i] = p[c];
      i = c;
    }
    t[i] = time;
    s[i] = seq;
    r[i] = route;
    p[i] = payload;
  }

  private void grow() {
    int cap = times.length;
    if (cap >= Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("event queue is full at " + cap + " events");
    }
    int newCap = (int) Math.min((long) cap * 2, Integer.MAX_VALUE - 8);
    times = Arrays.copyOf(times, newCap);
    seqs = Arrays.copyOf(seqs, newCap);
    routes = Arrays.copyOf(routes, newCap);
    payloads = Arrays.copyOf(payloads, newCap);
  }
}
