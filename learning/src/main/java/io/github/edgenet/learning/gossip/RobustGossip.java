package io.github.edgenet.learning.gossip;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeLimits;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.learning.aggregate.Aggregator;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Byzantine-robust gossip rounds over core's {@link PeerNetwork}: in round {@code r} each node
 * sends its vector (model parameters, or any vector of floats) in one signed envelope to its
 * neighbours of that round, keeps at most one vector per neighbour, and at the end of the round
 * replaces its vector by a robust {@link Aggregator} (median, trimmed mean, Krum, Multi-Krum,
 * centered clipping, or the plain mean) over its own vector and the neighbours' ones. This is the
 * screening step of BRIDGE (Yang and Bajwa 2019): a decentralized learner takes a local SGD step on
 * its vector between rounds ({@link #addToVector}), so honest nodes both learn and agree, while a
 * Byzantine neighbour's vector is screened out by the rule instead of being averaged in, as it
 * would be by push-sum ({@link GossipAverager}).
 *
 * <pre>{@code
 * RobustGossip node = RobustGossip.builder(network, identity, clock,
 *         Aggregators.trimmedMean(0.4), initialParameters)
 *     .ringNeighbours(2).randomRings(3)      // 4 fixed + up to 6 random neighbours per round
 *     .topologySeed(42)                      // the same on every node
 *     .minNeighbours(5)                      // fewer arrived: keep the own vector this round
 *     .build();                              // takes over network.onMessage
 * // each round (a timer, or your loop):
 * node.addToVector(localStep);               // -learningRate * gradient at node.vector(...)
 * node.send();                               // one signed frame to each neighbour
 * // ... let the round's messages arrive ...
 * RobustGossip.RoundResult r = node.finish(); // aggregate, go to the next round
 * node.vector(parameters);
 * }</pre>
 *
 * <p><b>Neighbourhoods.</b> The neighbours of a round are this node's {@code ringNeighbours}
 * nearest members on each side in the ring of the view's ids, plus its predecessor and successor
 * in each of {@code randomRings} rings that order the view by a hash of the shared {@code
 * topologySeed}, the round and the id: at most {@code 2 (ringNeighbours + randomRings)} peers,
 * new random ones every round. The relation is symmetric, so a node accepts a round's vectors
 * only from that round's neighbours ({@link GossipException.Reason#NOT_NEIGHBOUR}): a Byzantine
 * peer reaches only the nodes it was drawn next to and cannot crowd into a victim's
 * neighbourhood. Nodes with different views may disagree about neighbourhoods; the vectors that
 * fall outside are refused and counted, as lost messages would be.
 *
 * <p><b>Rounds.</b> Rounds are numbered from {@link Builder#firstRound} and advance by one at each
 * {@link #finish()}; nodes run them in lock step (a shared period, or a simulation's loop).
 * Vectors for the current round and up to {@code roundsAhead} rounds ahead (default 1, for peers
 * that finish a little earlier) are kept; older ones are refused with {@code STALE_ROUND}, later
 * ones with {@code FUTURE_ROUND}. A second vector from the same neighbour for the same round
 * replaces its first, never adds to it ({@link Outcome#REPLACED}). Memory is bounded by {@code
 * (roundsAhead + 1)} neighbourhoods of vectors.
 *
 * <p><b>Aggregation and determinism.</b> {@link #finish()} hands the rule this node's vector and
 * the received ones in ascending node-id order (self at its place), so two nodes holding the same
 * vectors compute bit-identical results whatever the arrival order, and a neighbour holding the
 * same signed frames can recompute this node's next vector. With fewer than {@code minNeighbours}
 * received vectors, or when the rule refuses the count (Krum needs {@code n > 2f + 2}), or if the
 * rule's result is not finite, the node keeps its own vector for that round ({@link
 * RoundResult#aggregated()} is false).
 *
 * <p><b>What the rule tolerates</b> applies per neighbourhood, to {@code n = 1 + received} inputs:
 * a median fewer than {@code n / 2} Byzantine neighbours, a trimmed mean at {@code beta} at most
 * {@code floor(beta n)}. With more, that node's vector can be set by the attackers that round; its
 * honest neighbours then see it as an outlier (see {@code docs/learning.md}, robust gossip).
 *
 * <p><b>Input checks.</b> Every message is a core envelope, decoded and freshness-, replay- and
 * signature-checked by an {@link EnvelopeDecoder} whose payload bound is this node's message size,
 * then checked for kind, dimension (before any allocation), exact length, round window,
 * neighbourhood and finite values. Rejections throw or count a {@link GossipException.Reason}
 * and change nothing.
 *
 * <p><b>Thread-safety.</b> Thread-safe: sends, receives, rounds and reads are serialized by one
 * lock per instance.
 */
public final class RobustGossip {
  private static final System.Logger LOG = System.getLogger(RobustGossip.class.getName());

  /** Default envelope message type of robust-gossip vectors. */
  public static final int DEFAULT_ENVELOPE_TYPE = 0x4A03;

  /** Whether a received vector was a neighbour's first for its round or replaced an earlier one. */
  public enum Outcome {
    /** The neighbour's first vector for that round. */
    ACCEPTED,
    /** Replaced the neighbour's earlier vector for that round. */
    REPLACED
  }

  /**
   * What {@link #finish()} did.
   *
   * @param round the round that ended
   * @param inputs the nodes whose vectors were at hand, this node included, in ascending id order
   *     (the order the rule saw them in, if it ran); unmodifiable
   * @param aggregated whether this node's vector became the rule's result; false when fewer than
   *     {@code minNeighbours} neighbours' vectors arrived, the rule refused the count, or its
   *     result was not finite (the vector is then unchanged)
   */
  public record RoundResult(long round, List<NodeId> inputs, boolean aggregated) {}

  private final PeerNetwork network;
  private final NodeId self;
  private final EnvelopeSender sender;
  private final EnvelopeDecoder decoder;
  private final Aggregator rule;
  private final RoundNeighbourhood neighbourhood;
  private final int minNeighbours;
  private final int roundsAhead;
  private final int envelopeType;
  private final float[] vector;
  /** Received vectors by round, then by sender in id order. */
  private final TreeMap<Long, TreeMap<NodeId, float[]>> inbox = new TreeMap<>();
  private final Map<GossipException.Reason, Long> rejected =
      new EnumMap<>(GossipException.Reason.class);
  private long round;
  private long accepted;
  private long replaced;
  private long messagesSent;
  private long bytesSent;

  private RobustGossip(Builder b) {
    this.network = b.network;
    this.self = b.identity.id();
    this.rule = b.rule;
    this.vector = b.initial.clone();
    this.round = b.firstRound;
    this.minNeighbours = b.minNeighbours;
    this.roundsAhead = b.roundsAhead;
    this.envelopeType = b.envelopeType;
    this.neighbourhood =
        new RoundNeighbourhood(self, b.ringNeighbours, b.randomRings, b.topologySeed);
    this.sender = EnvelopeSender.create(b.identity, b.clock);
    int payload = RoundVector.encodedLength(vector.length);
    this.decoder = EnvelopeDecoder.create(b.clock, b.limits != null ? b.limits
        : EnvelopeLimits.builder().maxPayloadBytes(payload)
            .maxFrameBytes(EnvelopeSender.frameLength(payload)).build());
    network.onMessage(this::onMessage);
  }

  /**
   * A builder.
   *
   * @param network the transport (its message handler is taken over by {@link Builder#build()})
   * @param identity this node's signing identity
   * @param clock time for envelopes
   * @param rule the aggregation rule applied at the end of every round
   * @param initial the node's starting vector, finite, not empty (copied)
   * @return the builder (2 ring neighbours per side, 1 random ring, seed 0, 1 neighbour at
   *     least, 1 round ahead, first round 0)
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code initial} is empty or not finite
   */
  public static Builder builder(PeerNetwork network, NodeIdentity identity, Clock clock,
      Aggregator rule, float[] initial) {
    return new Builder(network, identity, clock, rule, initial);
  }

  /**
   * The current round: the one {@link #send()} sends for and {@link #finish()} ends.
   *
   * @return the round number
   */
  public synchronized long round() {
    return round;
  }

  /**
   * The vector's length.
   *
   * @return the dimension
   */
  public int dimension() {
    return vector.length;
  }

  /**
   * This node's current vector.
   *
   * @param out receives the vector
   * @throws IllegalArgumentException if {@code out.length} differs from the dimension
   */
  public synchronized void vector(float[] out) {
    checkLength("out", out);
    System.arraycopy(vector, 0, out, 0, vector.length);
  }

  /**
   * Replaces this node's vector (it is what the next {@link #send()} sends).
   *
   * @param value the new vector, finite (copied)
   * @throws IllegalArgumentException if the length differs or a value is not finite
   */
  public synchronized void setVector(float[] value) {
    checkLength("value", value);
    PushSumMessage.checkFinite("value", value);
    System.arraycopy(value, 0, vector, 0, vector.length);
  }

  /**
   * Adds {@code delta} to this node's vector (a local training step between rounds).
   *
   * @param delta the change, finite
   * @throws IllegalArgumentException if the length differs, a value is not finite, or the sum
   *     would not be finite (nothing changes)
   */
  public synchronized void addToVector(float[] delta) {
    checkLength("delta", delta);
    PushSumMessage.checkFinite("delta", delta);
    for (int i = 0; i < vector.length; i++) {
      if (!Float.isFinite(vector[i] + delta[i])) {
        throw new IllegalArgumentException("vector[" + i + "] + delta[" + i + "] overflows");
      }
    }
    for (int i = 0; i < vector.length; i++) {
      vector[i] += delta[i];
    }
  }

  /**
   * This node's neighbours in {@code round} under the current membership view.
   *
   * @param round a round number, {@code >= 0}
   * @return the neighbours in ascending id order, this node excluded (unmodifiable)
   * @throws IllegalArgumentException if {@code round < 0}
   */
  public synchronized List<NodeId> neighbours(long round) {
    if (round < 0) {
      throw new IllegalArgumentException("round must be >= 0, was " + round);
    }
    return neighbourhood.of(network.membership(), round);
  }

  /**
   * Sends this node's vector for the current round, in one signed frame, to each of the round's
   * neighbours. Calling it again in the same round sends the vector as it is then; receivers
   * replace the earlier one.
   *
   * @return the number of neighbours sent to (0 if this node is alone)
   */
  public synchronized int send() {
    List<NodeId> peers = neighbourhood.of(network.membership(), round);
    if (peers.isEmpty()) {
      return 0;
    }
    byte[] frame = sender.encode(envelopeType, RoundVector.encode(round, vector));
    for (NodeId peer : peers) {
      network.send(peer, frame);
      messagesSent++;
      bytesSent += frame.length;
    }
    return peers.size();
  }

  /**
   * Ends the current round: aggregates this node's vector and the neighbours' vectors received
   * for it, in ascending id order, with the rule, and moves to the next round. Vectors received
   * for later rounds stay for them.
   *
   * @return what happened (see {@link RoundResult})
   */
  public synchronized RoundResult finish() {
    TreeMap<NodeId, float[]> inputs = inbox.remove(round);
    if (inputs == null) {
      inputs = new TreeMap<>();
    }
    int received = inputs.size();
    inputs.put(self, vector.clone());
    boolean aggregated = false;
    if (received >= minNeighbours) {
      float[] out = new float[vector.length];
      try {
        rule.aggregate(new ArrayList<>(inputs.values()), out);
        aggregated = allFinite(out);
        if (aggregated) {
          System.arraycopy(out, 0, vector, 0, vector.length);
        } else {
          LOG.log(System.Logger.Level.WARNING, "round {0}: {1} gave a non-finite result from"
              + " {2} inputs; vector kept", round, rule, inputs.size());
        }
      } catch (IllegalArgumentException ex) { // the rule refuses this many inputs
        LOG.log(System.Logger.Level.DEBUG, "round {0}: {1}; vector kept", round,
            ex.getMessage());
      }
    }
    RoundResult result = new RoundResult(round, List.copyOf(inputs.keySet()), aggregated);
    round++;
    neighbourhood.forgetBefore(round);
    return result;
  }

  /**
   * Handles one frame from the network (registered with {@link PeerNetwork#onMessage} by the
   * builder; public for transports that dispatch themselves). Rejected frames are counted and
   * dropped.
   *
   * @param from the transport's claimed sender (not trusted; the envelope's signer is used)
   * @param frame the bytes
   */
  public void onMessage(NodeId from, byte[] frame) {
    try {
      receive(frame);
    } catch (GossipException ex) {
      LOG.log(System.Logger.Level.DEBUG, "rejected robust-gossip vector from {0}: {1}", from,
          ex.getMessage());
    }
  }

  /**
   * Verifies and keeps one neighbour's vector: checks the envelope (signature, freshness,
   * replay), the type, the kind, the dimension (before allocating), the exact length, the round
   * window, that the signer is a neighbour for that round, and that every value is finite.
   *
   * @param frame the signed frame
   * @return whether the vector was the signer's first for its round or replaced an earlier one
   * @throws GossipException with the reason if rejected (counted; nothing else changes)
   */
  public synchronized Outcome receive(byte[] frame) throws GossipException {
    try {
      Outcome outcome = accept(frame);
      if (outcome == Outcome.ACCEPTED) {
        accepted++;
      } else {
        replaced++;
      }
      return outcome;
    } catch (GossipException ex) {
      rejected.merge(ex.reason(), 1L, Long::sum);
      throw ex;
    }
  }

  private Outcome accept(byte[] frame) throws GossipException {
    RoundVector.Opened f = RoundVector.open(decoder, envelopeType, frame, vector.length);
    long r = f.round();
    if (r < round) {
      throw new GossipException(GossipException.Reason.STALE_ROUND,
          "round " + r + ", this node is in round " + round, null);
    }
    if (r - round > roundsAhead) {
      throw new GossipException(GossipException.Reason.FUTURE_ROUND, "round " + r
          + ", this node is in round " + round + " and keeps " + roundsAhead + " ahead", null);
    }
    NodeId peer = f.sender();
    if (!neighbourhood.of(network.membership(), r).contains(peer)) {
      throw new GossipException(GossipException.Reason.NOT_NEIGHBOUR,
          peer + " is not a neighbour in round " + r, null);
    }
    float[] values = RoundVector.readValues(f.values(), vector.length);
    return inbox.computeIfAbsent(r, k -> new TreeMap<>()).put(peer, values) == null
        ? Outcome.ACCEPTED : Outcome.REPLACED;
  }

  /**
   * Neighbours' vectors held for the current round so far.
   *
   * @return the count
   */
  public synchronized int received() {
    TreeMap<NodeId, float[]> now = inbox.get(round);
    return now == null ? 0 : now.size();
  }

  /**
   * Vectors accepted as a neighbour's first for their round, so far.
   *
   * @return the count
   */
  public synchronized long accepted() {
    return accepted;
  }

  /**
   * Vectors that replaced a neighbour's earlier one for the same round, so far.
   *
   * @return the count
   */
  public synchronized long replaced() {
    return replaced;
  }

  /**
   * Frames rejected for {@code reason} so far.
   *
   * @param reason the reason
   * @return the count
   */
  public synchronized long rejected(GossipException.Reason reason) {
    return rejected.getOrDefault(reason, 0L);
  }

  /**
   * Messages sent so far.
   *
   * @return the count
   */
  public synchronized long messagesSent() {
    return messagesSent;
  }

  /**
   * Envelope bytes sent so far.
   *
   * @return the byte count
   */
  public synchronized long bytesSent() {
    return bytesSent;
  }

  /**
   * This node's id.
   *
   * @return the id
   */
  public NodeId id() {
    return self;
  }

  @Override
  public synchronized String toString() {
    return "RobustGossip[" + self + ", " + rule + ", round " + round + ", d " + vector.length
        + "]";
  }

  private void checkLength(String name, float[] v) {
    if (v.length != vector.length) {
      throw new IllegalArgumentException(
          name + " must have length " + vector.length + ", had " + v.length);
    }
  }

  private static boolean allFinite(float[] v) {
    for (float x : v) {
      if (!Float.isFinite(x)) {
        return false;
      }
    }
    return true;
  }

  /** Configures a {@link RobustGossip}. Not thread-safe. */
  public static final class Builder {
    private final PeerNetwork network;
    private final NodeIdentity identity;
    private final Clock clock;
    private final Aggregator rule;
    private final float[] initial;
    private int ringNeighbours = 2;
    private int randomRings = 1;
    private long topologySeed;
    private int minNeighbours = 1;
    private int roundsAhead = 1;
    private long firstRound;
    private int envelopeType = DEFAULT_ENVELOPE_TYPE;
    private EnvelopeLimits limits;

    private Builder(PeerNetwork network, NodeIdentity identity, Clock clock, Aggregator rule,
        float[] initial) {
      this.network = Objects.requireNonNull(network, "network");
      this.identity = Objects.requireNonNull(identity, "identity");
      this.clock = Objects.requireNonNull(clock, "clock");
      this.rule = Objects.requireNonNull(rule, "rule");
      if (initial.length == 0) {
        throw new IllegalArgumentException("initial must not be empty");
      }
      PushSumMessage.checkFinite("initial", initial);
      this.initial = initial.clone();
    }

    /**
     * Neighbours on each side in the ring of ids, the same every round (default 2).
     *
     * @param count {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder ringNeighbours(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("ringNeighbours must be >= 0, was " + count);
      }
      this.ringNeighbours = count;
      return this;
    }

    /**
     * Random rings, each adding this node's predecessor and successor in a per-round hash order
     * of the view: up to {@code 2 count} random neighbours, new every round (default 1).
     *
     * @param count {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder randomRings(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("randomRings must be >= 0, was " + count);
      }
      this.randomRings = count;
      return this;
    }

    /**
     * The seed of the random rings (default 0). Every node of the network must use the same one,
     * or neighbourhoods are not symmetric and vectors are refused as {@code NOT_NEIGHBOUR}.
     *
     * @param seed the shared seed
     * @return this builder
     */
    public Builder topologySeed(long seed) {
      this.topologySeed = seed;
      return this;
    }

    /**
     * The fewest neighbours' vectors a round needs to aggregate (default 1); with fewer, the node
     * keeps its own vector that round. Set it so that the rule's tolerance holds for the number
     * of inputs it will see.
     *
     * @param count {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder minNeighbours(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("minNeighbours must be >= 0, was " + count);
      }
      this.minNeighbours = count;
      return this;
    }

    /**
     * How many rounds past the current one received vectors are kept for (default 1).
     *
     * @param rounds in {@code [0, 16]}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder roundsAhead(int rounds) {
      if (rounds < 0 || rounds > 16) {
        throw new IllegalArgumentException("roundsAhead must be in [0, 16], was " + rounds);
      }
      this.roundsAhead = rounds;
      return this;
    }

    /**
     * The number of the first round (default 0), for a node that joins a running network.
     *
     * @param round {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder firstRound(long round) {
      if (round < 0) {
        throw new IllegalArgumentException("firstRound must be >= 0, was " + round);
      }
      this.firstRound = round;
      return this;
    }

    /**
     * The envelope message type (default {@link #DEFAULT_ENVELOPE_TYPE}).
     *
     * @param type in {@code [0, 65535]}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder envelopeType(int type) {
      if (type < 0 || type > 0xFFFF) {
        throw new IllegalArgumentException("envelopeType must be in [0, 65535], was " + type);
      }
      this.envelopeType = type;
      return this;
    }

    /**
     * Envelope limits for the decoder (default: the payload bound is this node's message size,
     * other limits core's defaults).
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder envelopeLimits(EnvelopeLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * The node; it registers itself as {@code network}'s message handler.
     *
     * @return the node
     */
    public RobustGossip build() {
      return new RobustGossip(this);
    }
  }
}
