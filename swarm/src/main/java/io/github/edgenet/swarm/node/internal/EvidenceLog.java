package io.github.edgenet.swarm.node.internal;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The honest default {@link MisbehaviourSink}: keeps the last {@code capacity} pieces of evidence in
 * memory and counts all of them; nobody is slashed and no reputation changes. Thread-safe.
 */
public final class EvidenceLog implements MisbehaviourSink {
  private final int capacity;
  private final ArrayDeque<Evidence> recent = new ArrayDeque<>();
  private long total;

  /**
   * A log of at most {@code capacity} recent records.
   *
   * @throws IllegalArgumentException if {@code capacity < 1}
   */
  public EvidenceLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public synchronized void record(Evidence evidence) {
    if (recent.size() == capacity) {
      recent.removeFirst();
    }
    recent.addLast(evidence);
    total++;
  }

  /** Records ever made. */
  public synchronized long total() {
    return total;
  }

  /** The most recent records, oldest first. */
  public synchronized List<Evidence> recent() {
    return List.copyOf(recent);
  }
}
