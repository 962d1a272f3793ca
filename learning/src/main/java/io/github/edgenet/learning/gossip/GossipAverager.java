package io.github.edgenet.learning.gossip;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeException;
import io.github.edgenet.core.envelope.EnvelopeLimits;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.Membership;
import io.github.edgenet.core.net.PeerNetwork;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Push-sum gossip averaging of a parameter vector over core's {@link PeerNetwork}: each {@link
 * #round()} this node keeps {@code 1/(k+1)} of its mass and pushes {@code 1/(k+1)} to each of
 * {@code k} peers (its ring neighbours in node-id order plus peers drawn from a small random
 * contact set), in signed envelopes; {@link #estimate} is the node's current estimate of the network-wide (weighted)
 * average. See {@link PushSumState} for the algorithm and its invariant.
 *
 * <pre>{@code
 * GossipAverager avg = GossipAverager.builder(network, identity, clock, random, myVector)
 *     .mode(GossipAverager.Mode.RUNNING_SUMS)    // tolerates message loss
 *     .ringNeighbours(1).randomPeers(1)
 *     .build();                                  // registers itself as the message handler
 * network.schedule(period, avg::round) ...       // or call round() from your own loop
 * avg.estimate(out);
 * }</pre>
 *
 * <p><b>Modes.</b> {@link Mode#RUNNING_SUMS} (the default) tolerates loss, duplication and
 * reordering without bias, at 8 bytes per element and per-peer state. {@link Mode#PLAIN} is the
 * classic protocol (a lost message loses its mass). {@link Mode#PLAIN_Q8_0} sends classic shares
 * as Q8_0 blocks (about 1.06 bytes per element instead of 8): the sender subtracts exactly the
 * dequantized share it sent, so the quantization error stays in its own mass and is sent again
 * later (error feedback); no mass is created or destroyed, only loss costs mass. {@link
 * Mode#PLAIN_F32} does the same with shares rounded to f32 (4 bytes per element), the baseline the
 * Q8_0 figures are compared with. Running sums stay f64: a cumulative sum grows with every round,
 * and an f32 one would lose the low bits of each new share.
 *
 * <p><b>Input checks.</b> Every message is a core envelope: decoded, freshness-, replay- and
 * signature-checked by an {@link EnvelopeDecoder} whose payload limit is the largest valid
 * message, then parsed by {@link PushSumMessage#decode}, which bounds the dimension before
 * allocating and rejects non-finite values, another dimension or another recipient. Rejections are
 * counted per {@link GossipException.Reason} and change nothing.
 *
 * <p><b>Thread-safety.</b> Thread-safe: rounds, message handling and reads are serialized by one
 * lock per averager.
 */
public final class GossipAverager {
  private static final System.Logger LOG = System.getLogger(GossipAverager.class.getName());

  /** Default envelope message type of push-sum messages. */
  public static final int DEFAULT_ENVELOPE_TYPE = 0x4A01;

  /** The wire protocol. */
  public enum Mode {
    /** Classic push-sum, f64 shares: a lost message loses its mass. */
    PLAIN,
    /** Loss-tolerant running sums, f64. */
    RUNNING_SUMS,
    /** Classic push-sum with Q8_0 shares and error feedback. */
    PLAIN_Q8_0,
    /** Classic push-sum with f32 shares and error feedback (the baseline Q8_0 is measured by). */
    PLAIN_F32;

    PushSumMessage.Kind kind() {
      return switch (this) {
        case PLAIN -> PushSumMessage.Kind.PLAIN_F64;
        case RUNNING_SUMS -> PushSumMessage.Kind.RUNNING_SUM_F64;
        case PLAIN_Q8_0 -> PushSumMessage.Kind.PLAIN_Q8_0;
        case PLAIN_F32 -> PushSumMessage.Kind.PLAIN_F32;
      };
    }
  }

  private final PeerNetwork network;
  private final NodeId self;
  private final EnvelopeSender sender;
  private final EnvelopeDecoder decoder;
  private final RandomSource random;
  private final PushSumState state;
  private final Mode mode;
  private final int ringNeighbours;
  private final int randomPeers;
  private final int maxDimension;
  private final int envelopeType;
  private final Map<GossipException.Reason, Long> rejected =
      new EnumMap<>(GossipException.Reason.class);
  private final int randomContacts;
  /** The view the ring neighbours and contacts were last computed for. */
  private Membership viewFor;
  /** This node's successors in the ring of the view's ids in ascending order, nearest first. */
  private List<NodeId> ring = List.of();
  private List<NodeId> contacts = new ArrayList<>();
  private long accepted;
  private long messagesSent;
  private long bytesSent;
  private long rounds;

  private GossipAverager(Builder b) {
    this.network = b.network;
    this.self = b.identity.id();
    this.random = b.random;
    this.mode = b.mode;
    this.ringNeighbours = b.ringNeighbours;
    this.randomPeers = b.randomPeers;
    this.randomContacts = Math.max(b.randomContacts, b.randomPeers);
    this.maxDimension = Math.max(b.maxDimension, b.initial.length);
    this.envelopeType = b.envelopeType;
    this.state = new PushSumState(b.initial, b.weight, b.maxLinks);
    this.sender = EnvelopeSender.create(b.identity, b.clock);
    int payload = PushSumMessage.encodedLength(mode.kind(), b.initial.length);
    EnvelopeLimits limits = b.limits != null ? b.limits
        : EnvelopeLimits.builder().maxPayloadBytes(payload)
            .maxFrameBytes(EnvelopeSender.frameLength(payload)).build();
    this.decoder = EnvelopeDecoder.create(b.clock, limits);
    network.onMessage(this::onMessage);
  }

  /**
   * A builder; the averager starts with mass {@code (weight * initial, weight)}.
   *
   * @param network the transport (its message handler is taken over by {@link Builder#build()})
   * @param identity this node's signing identity
   * @param clock time for envelopes
   * @param random peer choice
   * @param initial the node's vector, finite (copied)
   * @return the builder
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code initial} is empty or not finite
   */
  public static Builder builder(PeerNetwork network, NodeIdentity identity, Clock clock,
      RandomSource random, float[] initial) {
    return new Builder(network, identity, clock, random, initial);
  }

  /**
   * This node's estimate of the average.
   *
   * @param out receives the estimate
   * @throws IllegalArgumentException if the length differs from the dimension
   */
  public synchronized void estimate(float[] out) {
    state.estimate(out);
  }

  /**
   * Moves this node's estimate by {@code delta} (a local training step between rounds).
   *
   * @param delta the change, finite
   * @throws IllegalArgumentException if the length differs or a value is not finite
   */
  public synchronized void addToEstimate(float[] delta) {
    state.addToEstimate(delta);
  }

  /**
   * Replaces this node's estimate, keeping its weight.
   *
   * @param value the new estimate, finite
   * @throws IllegalArgumentException if the length differs or a value is not finite
   */
  public synchronized void setEstimate(float[] value) {
    state.setEstimate(value);
  }

  /**
   * The current weight of this node's mass.
   *
   * @return the weight
   */
  public synchronized double weight() {
    return state.weight();
  }

  /**
   * One gossip round: pushes shares to this round's peers. Does nothing if this node is alone.
   *
   * @return the number of messages sent
   */
  public synchronized int round() {
    List<NodeId> targets = targets();
    rounds++;
    if (targets.isEmpty()) {
      return 0;
    }
    double fraction = 1.0 / (targets.size() + 1);
    for (NodeId to : targets) {
      byte[] payload = switch (mode) {
        case PLAIN -> PushSumMessage.encodeF64(PushSumMessage.Kind.PLAIN_F64, to, 0,
            state.pushPlain(fraction), state.dimension());
        case RUNNING_SUMS -> {
          double[] s = state.pushRunningSum(to, fraction);
          yield PushSumMessage.encodeF64(PushSumMessage.Kind.RUNNING_SUM_F64, to,
              (long) s[state.dimension() + 1], s, state.dimension());
        }
        case PLAIN_Q8_0 -> {
          float[] sent = new float[state.dimension()];
          double w = state.weight() * fraction;
          byte[] p = PushSumMessage.encodeQ8(to, floatShare(fraction), w, sent);
          state.subtractSent(sent, w);
          yield p;
        }
        case PLAIN_F32 -> {
          float[] sent = floatShare(fraction);
          double w = state.weight() * fraction;
          byte[] p = PushSumMessage.encodeF32(to, sent, w);
          state.subtractSent(sent, w);
          yield p;
        }
      };
      byte[] frame = sender.encode(envelopeType, payload);
      network.send(to, frame);
      messagesSent++;
      bytesSent += frame.length;
    }
    return targets.size();
  }

  /** {@code fraction} of the sums, rounded to floats (what the compressed modes start from). */
  private float[] floatShare(double fraction) {
    float[] share = new float[state.dimension()];
    for (int i = 0; i < share.length; i++) {
      share[i] = (float) (state.sum(i) * fraction);
    }
    return share;
  }

  private List<NodeId> targets() {
    Membership m = network.membership();
    if (m != viewFor) {
      viewFor = m;
      ring = successors(m);
      refreshContacts();
    }
    List<NodeId> out = new ArrayList<>();
    for (NodeId peer : ring) {
      if (!out.contains(peer) && linkable(peer)) {
        out.add(peer);
      }
    }
    for (int k = 0, tries = 0; k < randomPeers && !contacts.isEmpty()
        && tries < 4 * randomPeers + 8; tries++) {
      NodeId peer = contacts.get(random.nextInt(contacts.size()));
      if (!peer.equals(self) && !out.contains(peer) && linkable(peer)) {
        out.add(peer);
        k++;
      }
    }
    return out;
  }

  /**
   * The {@code ringNeighbours} ids that follow this node's in the view's ids sorted ascending,
   * wrapping around: one pass over the view per neighbour, nothing copied (a sorted copy of the
   * view per node cost N^2 memory over a network of N).
   */
  private List<NodeId> successors(Membership m) {
    List<NodeId> out = new ArrayList<>(ringNeighbours);
    NodeId after = self;
    for (int k = 0; k < ringNeighbours; k++) {
      NodeId next = null; // the least id above `after`
      NodeId least = null; // the least id overall, for the wrap-around
      for (int i = 0, n = m.size(); i < n; i++) {
        NodeId id = m.get(i);
        if (id.equals(self)) {
          continue;
        }
        if (least == null || id.compareTo(least) < 0) {
          least = id;
        }
        if (id.compareTo(after) > 0 && (next == null || id.compareTo(next) < 0)) {
          next = id;
        }
      }
      NodeId peer = next != null ? next : least;
      if (peer == null || out.contains(peer)) {
        break; // fewer other members than neighbours wanted
      }
      out.add(peer);
      after = peer;
    }
    return out;
  }

  /** Keeps the contacts still in the view, tops them up with random members. */
  private void refreshContacts() {
    Membership m = viewFor;
    contacts.removeIf(c -> !m.contains(c));
    int others = m.size() - (m.contains(self) ? 1 : 0);
    int want = Math.min(randomContacts, others);
    while (contacts.size() < want) {
      NodeId peer = m.get(random.nextInt(m.size()));
      if (!peer.equals(self) && !contacts.contains(peer)) {
        contacts.add(peer);
      }
    }
  }

  private boolean linkable(NodeId peer) {
    return mode != Mode.RUNNING_SUMS || state.links() < state.maxLinks() || state.hasLink(peer);
  }

  /**
   * Handles one frame from the network (registered with {@link PeerNetwork#onMessage} by the
   * builder; public for transports that dispatch themselves). Bad frames are counted and dropped.
   *
   * @param from the transport's claimed sender (not trusted; the envelope's signer is used)
   * @param frame the bytes
   */
  public synchronized void onMessage(NodeId from, byte[] frame) {
    try {
      Envelope e;
      try {
        e = decoder.decode(frame);
      } catch (EnvelopeException ex) {
        throw new GossipException(GossipException.Reason.ENVELOPE, ex.getMessage(), ex);
      }
      if (e.type() != envelopeType) {
        throw new GossipException(GossipException.Reason.MALFORMED,
            "envelope type " + e.type() + ", expected " + envelopeType, null);
      }
      PushSumMessage msg =
          PushSumMessage.decode(e.payloadBytes(), self, state.dimension(), maxDimension);
      if (msg.kind() != mode.kind()) {
        throw new GossipException(GossipException.Reason.WRONG_MODE,
            "a " + msg.kind() + " message, this averager runs " + mode, null);
      }
      apply(e.sender(), msg);
      accepted++;
    } catch (GossipException ex) {
      rejected.merge(ex.reason(), 1L, Long::sum);
      LOG.log(System.Logger.Level.DEBUG, "rejected push-sum message from {0}: {1}", from,
          ex.getMessage());
    }
  }

  private void apply(NodeId peer, PushSumMessage msg) throws GossipException {
    double[] mass = new double[state.dimension() + 1];
    System.arraycopy(msg.sums(), 0, mass, 0, state.dimension());
    mass[state.dimension()] = msg.weight();
    if (msg.kind() == PushSumMessage.Kind.RUNNING_SUM_F64) {
      boolean applied;
      try {
        applied = state.receiveRunningSum(peer, mass, msg.counter());
      } catch (IllegalStateException ex) {
        throw new GossipException(GossipException.Reason.TOO_MANY_LINKS, ex.getMessage(), null);
      }
      if (!applied) {
        throw new GossipException(GossipException.Reason.STALE,
            "counter " + msg.counter() + " from " + peer, null);
      }
    } else {
      state.receivePlain(mass);
    }
  }

  /**
   * Messages applied so far.
   *
   * @return the count
   */
  public synchronized long accepted() {
    return accepted;
  }

  /**
   * Messages rejected for {@code reason} so far.
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
   * Rounds run so far.
   *
   * @return the count
   */
  public synchronized long rounds() {
    return rounds;
  }

  /**
   * The underlying state, for conservation checks in simulations. Not to be modified while the
   * averager runs.
   *
   * @return the state
   */
  public PushSumState state() {
    return state;
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
    return "GossipAverager[" + self + ", " + mode + ", " + state + ", rounds " + rounds + "]";
  }

  /** Configures a {@link GossipAverager}. Not thread-safe. */
  public static final class Builder {
    private final PeerNetwork network;
    private final NodeIdentity identity;
    private final Clock clock;
    private final RandomSource random;
    private final float[] initial;
    private Mode mode = Mode.RUNNING_SUMS;
    private double weight = 1.0;
    private int ringNeighbours = 1;
    private int randomPeers = 1;
    private int randomContacts = 4;
    private int maxDimension;
    private int maxLinks = 256;
    private int envelopeType = DEFAULT_ENVELOPE_TYPE;
    private EnvelopeLimits limits;

    private Builder(PeerNetwork network, NodeIdentity identity, Clock clock, RandomSource random,
        float[] initial) {
      this.network = Objects.requireNonNull(network, "network");
      this.identity = Objects.requireNonNull(identity, "identity");
      this.clock = Objects.requireNonNull(clock, "clock");
      this.random = Objects.requireNonNull(random, "random");
      if (initial.length == 0) {
        throw new IllegalArgumentException("initial must not be empty");
      }
      PushSumMessage.checkFinite("initial", initial);
      this.initial = initial.clone();
      this.maxDimension = initial.length;
    }

    /**
     * The wire protocol (default {@link Mode#RUNNING_SUMS}).
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * The initial weight (default 1; a sample count gives a sample-weighted average).
     *
     * @param weight finite and {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder weight(double weight) {
      if (!(Double.isFinite(weight) && weight > 0)) {
        throw new IllegalArgumentException("weight must be finite and > 0, was " + weight);
      }
      this.weight = weight;
      return this;
    }

    /**
     * Ring neighbours pushed to each round, by node-id order (default 1).
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
     * Random members pushed to each round (default 1).
     *
     * @param count {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder randomPeers(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("randomPeers must be >= 0, was " + count);
      }
      this.randomPeers = count;
      return this;
    }

    /**
     * The size of the random contact set the random peers are drawn from (default 4): contacts are
     * drawn once from the view and kept while they stay in it, so that every link is used again
     * soon and a lost running sum is repaired within a few rounds (with fresh random peers each
     * round, mass sent on a link that is never used again would stay lost).
     *
     * @param count {@code >= 0}; at least {@code randomPeers} are kept
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder randomContacts(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("randomContacts must be >= 0, was " + count);
      }
      this.randomContacts = count;
      return this;
    }

    /**
     * The most peers with running-sum state (default 256); when full, only linked peers are
     * chosen.
     *
     * @param maxLinks {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxLinks(int maxLinks) {
      if (maxLinks < 1) {
        throw new IllegalArgumentException("maxLinks must be >= 1, was " + maxLinks);
      }
      this.maxLinks = maxLinks;
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
     * Envelope limits for the decoder (default: the payload bound is the largest valid message,
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
     * The averager; it registers itself as {@code network}'s message handler.
     *
     * @return the averager
     */
    public GossipAverager build() {
      return new GossipAverager(this);
    }
  }
}
