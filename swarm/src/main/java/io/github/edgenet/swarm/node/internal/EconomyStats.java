package io.github.edgenet.swarm.node.internal;

/** The submitter's auction and payment counters; guarded by the engine's lock. */
final class EconomyStats {
  long auctions;
  long silentBidders;
  long revealMismatches;
  long audits;
  long paidCount;
  long paidMicros;
  long lastPaidMicros;
  long minPaidMicros = Long.MAX_VALUE;
  long maxPaidMicros;

  /** A price paid for an accepted result. */
  void paid(long micros) {
    paidCount++;
    paidMicros = Math.addExact(paidMicros, micros);
    lastPaidMicros = micros;
    minPaidMicros = Math.min(minPaidMicros, micros);
    maxPaidMicros = Math.max(maxPaidMicros, micros);
  }
}
