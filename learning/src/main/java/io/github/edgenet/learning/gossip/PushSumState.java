package io.github.edgenet.learning.gossip;

import io.github.edgenet.core.identity.NodeId;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One node's push-sum state (Kempe, Dobra and Gehrke 2003), without any network: a mass {@code
 * (s, w)} of a sum vector and a weight whose ratio {@code s / w} is the node's estimate of the
 * average. A push gives away a fraction of the mass and the receiver adds it, so the total mass
 * over all nodes (and messages in flight) is conserved, and every estimate converges to {@code
 * sum_i s_i(0) / sum_i w_i(0)}.
 *
 * <p>Two ways to push, chosen per call:
 *
 * <ul>
 *   <li>{@link #pushPlain}: the classic protocol, the message carries the share itself. A lost
 *       message loses that mass for good: the estimates then converge to a biased value.
 *   <li>{@link #pushRunningSum}: loss-tolerant running sums (Vaidya, Hadjicostis and
 *       Dominguez-Garcia 2012). Per link the sender keeps the cumulative mass {@code S} it has ever
 *       sent to that peer and sends {@code S} itself; the receiver keeps the last {@code S} it
 *       applied from that peer and adds the difference. A lost message costs nothing but delay:
 *       the next message on the link carries its mass too. Exact invariant: {@code sum_i mass_i +
 *       sum_links (S_sent - S_applied) = sum_i mass_i(0)}. Messages carry a per-link counter so
 *       an old, reordered message is ignored.
 * </ul>
 *
 * <p>Everything is kept in double; per-link state is two {@code d + 1} vectors per peer ever
 * talked to (bound the peers with {@link #maxLinks}).
 *
 * <p><b>Thread-safety.</b> Not thread-safe; {@link GossipAverager} serializes access.
 */
public final class PushSumState {
  private final int dimension;
  private final int maxLinks;
  private final double[] mass;
  private final Map<NodeId, Link> links = new HashMap<>();

  /** Per-peer running sums: what this node sent to the peer, what it applied from the peer. */
  static final class Link {
    final double[] sent;
    final double[] applied;
    long sentCounter;
    long appliedCounter;

    Link(int n) {
      sent = new double[n];
      applied = new double[n];
    }
  }

  /**
   * A state with mass {@code (weight * value, weight)}.
   *
   * @param value the node's initial value, finite
   * @param weight its initial weight, finite and {@code > 0} (1 for a plain average; a sample
   *     count for a weighted one)
   * @param maxLinks the most peers with running-sum state, {@code >= 1}
   * @throws IllegalArgumentException if an argument is out of range
   */
  public PushSumState(float[] value, double weight, int maxLinks) {
    if (!(Double.isFinite(weight) && weight > 0)) {
      throw new IllegalArgumentException("weight must be finite and > 0, was " + weight);
    }
    if (maxLinks < 1) {
      throw new IllegalArgumentException("maxLinks must be >= 1, was " + maxLinks);
    }
    PushSumMessage.checkFinite("value", value);
    this.dimension = value.length;
    this.maxLinks = maxLinks;
    this.mass = new double[dimension + 1];
    for (int i = 0; i < dimension; i++) {
      mass[i] = weight * value[i];
    }
    mass[dimension] = weight;
  }

  /**
   * The vector length.
   *
   * @return the dimension
   */
  public int dimension() {
    return dimension;
  }

  /**
   * The most peers with running-sum state.
   *
   * @return the bound given at construction
   */
  public int maxLinks() {
    return maxLinks;
  }

  /**
   * The current weight {@code w}.
   *
   * @return the weight, {@code > 0} as long as pushes give away less than all of it
   */
  public double weight() {
    return mass[dimension];
  }

  /**
   * The current sum component {@code s[i]}.
   *
   * @param i the coordinate
   * @return {@code s[i]}
   */
  public double sum(int i) {
    Objects.checkIndex(i, dimension);
    return mass[i];
  }

  /**
   * The estimate {@code s / w}.
   *
   * @param out receives {@code dimension} floats
   * @throws IllegalArgumentException if {@code out} has another length
   */
  public void estimate(float[] out) {
    checkLength(out);
    double w = mass[dimension];
    for (int i = 0; i < dimension; i++) {
      out[i] = (float) (mass[i] / w);
    }
  }

  /**
   * Moves the estimate by {@code delta} ({@code s += w delta}), for a local training step between
   * gossip rounds (Stochastic Gradient Push). Adds {@code w * sum(delta)} to the total mass.
   *
   * @param delta the change of the estimate, finite
   * @throws IllegalArgumentException if the length differs or an element is not finite
   */
  public void addToEstimate(float[] delta) {
    checkLength(delta);
    PushSumMessage.checkFinite("delta", delta);
    double w = mass[dimension];
    for (int i = 0; i < dimension; i++) {
      mass[i] += w * delta[i];
    }
  }

  /**
   * Replaces the estimate by {@code value} keeping the weight ({@code s = w value}).
   *
   * @param value the new estimate, finite
   * @throws IllegalArgumentException if the length differs or an element is not finite
   */
  public void setEstimate(float[] value) {
    checkLength(value);
    PushSumMessage.checkFinite("value", value);
    double w = mass[dimension];
    for (int i = 0; i < dimension; i++) {
      mass[i] = w * value[i];
    }
  }

  /**
   * Classic push: gives away {@code fraction} of the mass; the returned share must be delivered
   * to the peer's {@link #receivePlain}.
   *
   * @param fraction the share in {@code (0, 1)}, 1/2 in the original protocol
   * @return the share: {@code dimension} sums then the weight
   * @throws IllegalArgumentException if {@code fraction} is out of range
   */
  public double[] pushPlain(double fraction) {
    checkFraction(fraction);
    double[] share = new double[dimension + 1];
    for (int i = 0; i <= dimension; i++) {
      share[i] = mass[i] * fraction;
      mass[i] -= share[i];
    }
    return share;
  }

  /**
   * Gives away an already quantized share: subtracts exactly what the peer will add (the
   * dequantized vector and the weight), so the quantization error stays in this node's mass
   * instead of being lost (error feedback by construction) and the total mass is conserved.
   *
   * @param sentSums the dequantized sums the message carries, {@code dimension} finite floats
   * @param sentWeight the weight the message carries, finite, in {@code (0, weight())}
   * @throws IllegalArgumentException if an argument is out of range (nothing changes)
   */
  public void subtractSent(float[] sentSums, double sentWeight) {
    checkLength(sentSums);
    PushSumMessage.checkFinite("sentSums", sentSums);
    if (!(sentWeight > 0 && sentWeight < mass[dimension])) {
      throw new IllegalArgumentException(
          "sentWeight must be in (0, " + mass[dimension] + "), was " + sentWeight);
    }
    for (int i = 0; i < dimension; i++) {
      mass[i] -= sentSums[i];
    }
    mass[dimension] -= sentWeight;
  }

  /**
   * Adds a share received by classic push.
   *
   * @param share {@code dimension} sums then the weight, finite, weight {@code > 0}
   * @throws IllegalArgumentException if the share is malformed (nothing changes)
   */
  public void receivePlain(double[] share) {
    checkShare(share);
    for (int i = 0; i <= dimension; i++) {
      mass[i] += share[i];
    }
  }

  /**
   * Loss-tolerant push to {@code peer}: gives away {@code fraction} of the mass, adds it to the
   * link's running sum and returns a copy of that running sum with its counter, for the peer's
   * {@link #receiveRunningSum}.
   *
   * @param peer the receiver
   * @param fraction the share in {@code (0, 1)}
   * @return the cumulative mass ever sent to {@code peer} ({@code dimension} sums, then the
   *     weight, then the counter as the last element)
   * @throws IllegalArgumentException if {@code fraction} is out of range
   * @throws IllegalStateException if {@code peer} is new and {@link #maxLinks()} links exist
   */
  public double[] pushRunningSum(NodeId peer, double fraction) {
    checkFraction(fraction);
    Link link = link(peer);
    double[] out = new double[dimension + 2];
    for (int i = 0; i <= dimension; i++) {
      double share = mass[i] * fraction;
      mass[i] -= share;
      link.sent[i] += share;
      out[i] = link.sent[i];
    }
    out[dimension + 1] = ++link.sentCounter;
    return out;
  }

  /**
   * Applies a running sum from {@code peer}: adds {@code S - S_applied} and remembers {@code S},
   * unless {@code counter} is not newer than the last applied one (an old or duplicated message,
   * ignored).
   *
   * @param peer the sender (authenticated by the envelope)
   * @param runningSum the cumulative mass the peer has sent, {@code dimension + 1} finite values
   * @param counter the link counter, {@code >= 1}
   * @return whether it was applied
   * @throws IllegalArgumentException if the message is malformed (nothing changes)
   * @throws IllegalStateException if {@code peer} is new and {@link #maxLinks()} links exist
   */
  public boolean receiveRunningSum(NodeId peer, double[] runningSum, long counter) {
    checkShare(runningSum);
    if (counter < 1) {
      throw new IllegalArgumentException("counter must be >= 1, was " + counter);
    }
    Link link = link(peer);
    if (counter <= link.appliedCounter) {
      return false;
    }
    for (int i = 0; i <= dimension; i++) {
      mass[i] += runningSum[i] - link.applied[i];
      link.applied[i] = runningSum[i];
    }
    link.appliedCounter = counter;
    return true;
  }

  /**
   * Mass this node has sent to {@code peer} by running sums that {@code peerState} has not
   * applied yet (in flight or lost-and-not-yet-repaired), for conservation checks in tests and
   * simulations.
   *
   * @param peer the peer's id
   * @param self this node's id as the peer knows it
   * @param peerState the peer's state
   * @param coordinate a coordinate in {@code [0, dimension]} ({@code dimension} is the weight)
   * @return {@code S_sent - S_applied} for that coordinate
   */
  public double unappliedTo(NodeId peer, NodeId self, PushSumState peerState, int coordinate) {
    Link mine = links.get(peer);
    if (mine == null) {
      return 0;
    }
    Link theirs = peerState.links.get(self);
    return mine.sent[coordinate] - (theirs == null ? 0 : theirs.applied[coordinate]);
  }

  /**
   * Whether {@code peer} has running-sum state here.
   *
   * @param peer the peer
   * @return whether a link exists
   */
  public boolean hasLink(NodeId peer) {
    return links.containsKey(peer);
  }

  /**
   * Peers with running-sum state.
   *
   * @return the link count
   */
  public int links() {
    return links.size();
  }

  private Link link(NodeId peer) {
    Objects.requireNonNull(peer, "peer");
    Link link = links.get(peer);
    if (link == null) {
      if (links.size() >= maxLinks) {
        throw new IllegalStateException("already " + maxLinks + " links; " + peer + " is a new peer");
      }
      link = new Link(dimension + 1);
      links.put(peer, link);
    }
    return link;
  }

  private void checkShare(double[] share) {
    if (share.length != dimension + 1) {
      throw new IllegalArgumentException(
          "share must have length " + (dimension + 1) + ", had " + share.length);
    }
    for (int i = 0; i <= dimension; i++) {
      if (!Double.isFinite(share[i])) {
        throw new IllegalArgumentException("share[" + i + "] must be finite, was " + share[i]);
      }
    }
    if (!(share[dimension] >= 0)) {
      throw new IllegalArgumentException("share weight must be >= 0, was " + share[dimension]);
    }
  }

  private void checkLength(float[] v) {
    if (v.length != dimension) {
      throw new IllegalArgumentException("length must be " + dimension + ", was " + v.length);
    }
  }

  private static void checkFraction(double fraction) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1), was " + fraction);
    }
  }

  @Override
  public String toString() {
    return "PushSumState[d " + dimension + ", weight " + mass[dimension] + ", links "
        + links.size() + "]";
  }
}
