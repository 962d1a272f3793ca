package io.github.edgenet.core.net.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * How one directed simulated link treats each message: latency, loss, duplication and extra
 * reordering. The simulator's builder sets the model of every link; {@link
 * NetworkSimulator#setLink} overrides it for one direction of one node pair.
 *
 * <p>Per message, in this order: with probability {@link #loss()} it is lost; otherwise it is
 * delivered after a latency drawn from {@link #latency()}, plus, with probability {@link
 * #reorderProbability()}, an extra delay uniform on {@code [0, reorderMaxDelay]}; then, with
 * probability {@link #duplication()}, one more copy is delivered after its own independent latency.
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return modified copies.
 */
public final class LinkModel {
  private final LatencyModel latency;
  private final double loss;
  private final double duplication;
  private final double reorderProbability;
  private final long reorderMaxNanos;

  private LinkModel(
      LatencyModel latency,
      double loss,
      double duplication,
      double reorderProbability,
      long reorderMaxNanos) {
    this.latency = latency;
    this.loss = loss;
    this.duplication = duplication;
    this.reorderProbability = reorderProbability;
    this.reorderMaxNanos = reorderMaxNanos;
  }

  /**
   * A perfect link with the given latency: no loss, no duplication, no extra reordering.
   *
   * @param latency the link's latency distribution
   * @return a perfect link with the given latency
   */
  public static LinkModel of(LatencyModel latency) {
    return new LinkModel(Objects.requireNonNull(latency, "latency"), 0, 0, 0, 0);
  }

  /**
   * This link with another latency distribution.
   *
   * @param latency the new latency distribution
   * @return this link with another latency distribution
   */
  public LinkModel withLatency(LatencyModel latency) {
    return new LinkModel(
        Objects.requireNonNull(latency, "latency"),
        loss,
        duplication,
        reorderProbability,
        reorderMaxNanos);
  }

  /**
   * This link losing each message independently with probability {@code loss}.
   *
   * @param loss the probability that a message is lost, in {@code [0, 1]}: 0 never, 1 always
   * @return this link losing each message independently with probability {@code loss}
   * @throws IllegalArgumentException if {@code loss} is not in {@code [0, 1]}
   */
  public LinkModel withLoss(double loss) {
    return new LinkModel(
        latency, probability("loss", loss), duplication, reorderProbability, reorderMaxNanos);
  }

  /**
   * This link delivering an extra copy of each message with probability {@code duplication}.
   *
   * @param duplication the probability of one extra copy, in {@code [0, 1]} (never more than one)
   * @return this link delivering an extra copy of each message with probability {@code duplication}
   * @throws IllegalArgumentException if {@code duplication} is not in {@code [0, 1]}
   */
  public LinkModel withDuplication(double duplication) {
    return new LinkModel(
        latency, loss, probability("duplication", duplication), reorderProbability, reorderMaxNanos);
  }

  /**
   * This link holding back each message, with probability {@code probability}, by an extra delay
   * uniform on {@code [0, maxDelay]}: reordering on top of what latency jitter already does.
   *
   * @param probability how often a message is held back, in {@code [0, 1]}
   * @param maxDelay the longest extra delay, {@code >= 0} and at most 2^62 ns
   * @return this link holding back each message, with probability {@code probability}, by an extra
   *     delay uniform on {@code [0, maxDelay]}
   * @throws IllegalArgumentException if {@code probability} is not in {@code [0, 1]} or {@code
   *     maxDelay} is negative
   */
  public LinkModel withReordering(double probability, Duration maxDelay) {
    return new LinkModel(
        latency,
        loss,
        duplication,
        probability("reorder probability", probability),
        LatencyModels.nanos("maxDelay", maxDelay));
  }

  /**
   * The latency distribution.
   *
   * @return the latency distribution
   */
  public LatencyModel latency() {
    return latency;
  }

  /**
   * The probability that a message is lost, in {@code [0, 1]}.
   *
   * @return the probability that a message is lost, in {@code [0, 1]}
   */
  public double loss() {
    return loss;
  }

  /**
   * The probability that a message is delivered one extra time, in {@code [0, 1]}.
   *
   * @return the probability that a message is delivered one extra time, in {@code [0, 1]}
   */
  public double duplication() {
    return duplication;
  }

  /**
   * The probability that a message gets an extra reordering delay, in {@code [0, 1]}.
   *
   * @return the probability that a message gets an extra reordering delay, in {@code [0, 1]}
   */
  public double reorderProbability() {
    return reorderProbability;
  }

  /**
   * The largest extra reordering delay.
   *
   * @return the largest extra reordering delay
   */
  public Duration reorderMaxDelay() {
    return Duration.ofNanos(reorderMaxNanos);
  }

  long reorderMaxNanos() {
    return reorderMaxNanos;
  }

  static double probability(String name, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(name + " must be a probability in [0, 1], was " + p);
    }
    return p;
  }

  @Override
  public String toString() {
    return "LinkModel[latency="
        + latency
        + ", loss="
        + loss
        + ", duplication="
        + duplication
        + ", reorder="
        + reorderProbability
        + " up to "
        + reorderMaxDelay()
        + "]";
  }
}
