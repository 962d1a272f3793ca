package io.github.edgenet.core.envelope;

import io.github.edgenet.core.identity.NodeId;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The replay windows of up to {@code maxPeers} senders, least recently accepted first.
 *
 * <p>A window may be forgotten only when every frame it ever accepted is now too old for the
 * freshness check: when {@code now - maxTimestamp > maxAge}. A replay of any of those frames is
 * then rejected as {@link EnvelopeException.Reason#TOO_OLD} without the window, so forgetting it
 * opens no door. When the table is full and none of the oldest {@value #EVICTION_SCAN} windows can
 * be forgotten, a frame from a new sender is rejected ({@link
 * EnvelopeException.Reason#TOO_MANY_PEERS}): known senders keep working, and the table never
 * forgets a window that still protects anything.
 *
 * <p>Thread-safe: one lock, held for a hash lookup and a few bit operations per frame, never during
 * signature verification.
 */
final class ReplayGuard {
  /** How many of the least recently used windows a full table examines for one that expired. */
  static final int EVICTION_SCAN = 8;

  private final int windowSize;
  private final int maxPeers;
  private final long maxAgeMillis;

  /** Insertion order; {@link #accept} re-inserts, so the eldest entry was accepted longest ago. */
  private final LinkedHashMap<NodeId, ReplayWindow> windows = new LinkedHashMap<>();

  /**
   * The largest "oldest fresh timestamp" any caller has passed in. Threads read the clock before
   * verifying, so one thread's value may be older than another's; using the largest makes the
   * freshness bound monotone under this lock. Without it, a thread that read the clock earlier
   * could re-create, and re-accept a frame of, a window that another thread just forgot.
   */
  private long oldestFresh = Long.MIN_VALUE;

  ReplayGuard(int windowSize, int maxPeers, long maxAgeMillis) {
    this.windowSize = windowSize;
    this.maxPeers = maxPeers;
    this.maxAgeMillis = maxAgeMillis;
  }

  /**
   * Throws what {@link #accept} would throw now, changing nothing: lets the decoder skip the
   * signature check for frames it would reject anyway.
   */
  synchronized void check(NodeId sender, long sequence, long oldestFreshMillis)
      throws EnvelopeException {
    ReplayWindow window = windows.get(sender);
    if (window != null) {
      checkWindow(sender, window, sequence);
    } else if (windows.size() >= maxPeers
        && findExpired(Math.max(oldestFresh, oldestFreshMillis)) == null) {
      throw full(sender);
    }
  }

  /**
   * Records that {@code sender}'s frame {@code sequence}, stamped {@code timestampMillis}, was
   * accepted; call only after its signature verified. {@code oldestFreshMillis} is the oldest
   * timestamp the freshness check accepts now: windows whose newest frame is older may be
   * forgotten.
   *
   * @throws EnvelopeException if it is a replay, behind the window, or a new sender does not fit
   */
  synchronized void accept(
      NodeId sender, long sequence, long timestampMillis, long oldestFreshMillis)
      throws EnvelopeException {
    oldestFresh = Math.max(oldestFresh, oldestFreshMillis);
    if (timestampMillis < oldestFresh) {
      throw new EnvelopeException(
          EnvelopeException.Reason.TOO_OLD,
          "timestamp "
              + timestampMillis
              + " from "
              + sender
              + " became older than maxAge ("
              + "oldest fresh "
              + oldestFresh
              + ") while its signature was verified");
    }
    ReplayWindow window = windows.remove(sender);
    if (window != null) {
      try {
        checkWindow(sender, window, sequence);
      } finally {
        windows.put(sender, window); // back in, as the most recently used when accepted below
      }
      window.accept(sequence, timestampMillis);
      return;
    }
    if (windows.size() >= maxPeers) {
      NodeId expired = findExpired(oldestFresh);
      if (expired == null) {
        throw full(sender);
      }
      windows.remove(expired);
    }
    windows.put(sender, new ReplayWindow(windowSize, sequence, timestampMillis));
  }

  synchronized int size() {
    return windows.size();
  }

  /** {@code sender}'s window or null, for tests; the caller must not modify it. */
  synchronized ReplayWindow windowOf(NodeId sender) {
    return windows.get(sender);
  }

  private void checkWindow(NodeId sender, ReplayWindow window, long sequence)
      throws EnvelopeException {
    switch (window.check(sequence)) {
      case ReplayWindow.REPLAYED ->
          throw new EnvelopeException(
              EnvelopeException.Reason.REPLAYED,
              "sequence "
                  + Long.toUnsignedString(sequence)
                  + " from "
                  + sender
                  + " was already accepted");
      case ReplayWindow.BEHIND ->
          throw new EnvelopeException(
              EnvelopeException.Reason.BEHIND_WINDOW,
              "sequence "
                  + Long.toUnsignedString(sequence)
                  + " from "
                  + sender
                  + " is "
                  + Long.toUnsignedString(window.highest() - sequence)
                  + " behind the highest accepted, "
                  + Long.toUnsignedString(window.highest())
                  + "; the replay window covers "
                  + window.size());
      default -> {}
    }
  }

  /** One of the eldest windows whose newest frame is older than {@code fresh}, or null. */
  private NodeId findExpired(long fresh) {
    Iterator<java.util.Map.Entry<NodeId, ReplayWindow>> it = windows.entrySet().iterator();
    for (int i = 0; i < EVICTION_SCAN && it.hasNext(); i++) {
      var entry = it.next();
      // Every frame this window accepted has timestamp <= maxTimestamp < oldest fresh: too old.
      if (entry.getValue().maxTimestamp() < fresh) {
        return entry.getKey();
      }
    }
    return null;
  }

  private EnvelopeException full(NodeId sender) {
    return new EnvelopeException(
        EnvelopeException.Reason.TOO_MANY_PEERS,
        "cannot track new sender "
            + sender
            + ": "
            + windows.size()
            + " of "
            + maxPeers
            + " replay windows in use, none idle for longer than maxAge = "
            + maxAgeMillis
            + " ms");
  }
}
