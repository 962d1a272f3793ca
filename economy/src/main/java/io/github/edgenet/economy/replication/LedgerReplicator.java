package io.github.edgenet.economy.replication;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeException;
import io.github.edgenet.core.envelope.EnvelopeLimits;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.Cancellable;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.economy.internal.ReplicationCodec;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps one node's {@link Ledger} in step with its peers over a {@link PeerNetwork}: new
 * operations are pushed by gossip, and a periodic anti-entropy round sends a page of chain heads to
 * one random peer, who pulls what it lacks and answers with heads where it is ahead. Every message
 * travels in a core signed envelope; every size is bounded before anything is allocated; a
 * malformed message or operation is counted and dropped, never applied.
 *
 * <pre>{@code
 * LedgerReplicator r = LedgerReplicator.builder(ledger, identity, network, clock, random)
 *     .autoReceive(true).build();
 * r.start();
 * r.append(new OperationBody.Send(bob, 5_000));   // stored, then gossiped
 * }</pre>
 *
 * <h2>Messages</h2>
 *
 * Envelope types {@value #TYPE_OPS} (operations: gossip and pull answers), {@value #TYPE_HEADS}
 * (chain heads: account, length, head id, conflict sequence) and {@value #TYPE_PULL} (account and
 * first sequence wanted); see {@code ReplicationCodec} for the layouts.
 *
 * <h2>Convergence</h2>
 *
 * A peer that lacks an operation learns of it from a heads page (whose accounts rotate) and pulls
 * it; if the pulled operation does not link to what it holds, the two copies of the chain diverged
 * below (an equivocation): it pulls again further back, doubling the distance, until it holds the
 * conflicting operation, which is the proof. Once the network quiets, every honest node holds the
 * same operations of every chain up to its first conflict, and so the same state (docs/economy.md).
 *
 * <p>Thread-safe: all entry points take this replicator's lock; the ledger has its own.
 */
public final class LedgerReplicator implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LedgerReplicator.class.getName());

  /** Envelope type of an operations message. */
  public static final int TYPE_OPS = 0x4C01;

  /** Envelope type of a chain heads message. */
  public static final int TYPE_HEADS = 0x4C02;

  /** Envelope type of a pull request. */
  public static final int TYPE_PULL = 0x4C03;

  /**
   * Counters of what this replicator did, a snapshot.
   *
   * @param messagesIn frames received
   * @param rejectedEnvelopes frames whose envelope failed to decode or verify (bad signature,
   *     stale, replayed, oversized)
   * @param malformedMessages verified envelopes whose payload did not decode, or of an unknown type
   * @param operationsAccepted operations the ledger stored (conflicting ones included)
   * @param operationsRejected operations the ledger refused, duplicates and void ones aside
   * @param equivocationsSeen operations stored as the second half of an equivocation proof
   * @param sealsAppended seals this node appended after governance deadlines ({@link
   *     Builder#autoSeal})
   */
  public record Stats(
      long messagesIn,
      long rejectedEnvelopes,
      long malformedMessages,
      long operationsAccepted,
      long operationsRejected,
      long equivocationsSeen,
      long sealsAppended) {}

  private final Ledger ledger;
  private final NodeIdentity identity;
  private final PeerNetwork network;
  private final RandomSource random;
  private final EnvelopeSender sender;
  private final EnvelopeDecoder decoder;
  private final PeerExchange exchange;
  private final OwnOperations own;
  private final Duration interval;
  private final int fanout;
  private final boolean autoReceive;
  private final Duration claimEvery;
  private long lastClaimMillis = Long.MIN_VALUE;
  private final boolean autoSeal;
  private long seals;
  private final int maxMessage;
  private final Clock clock;
  private final Duration flushDelay;
  private final List<Operation> outbox = new ArrayList<>();
  private Cancellable flushTimer;
  private Cancellable timer;
  private boolean closed;
  private long messagesIn;
  private long rejectedEnvelopes;
  private long malformed;

  private LedgerReplicator(Builder b) {
    this.ledger = b.ledger;
    this.identity = b.identity;
    this.network = b.network;
    this.random = b.random;
    this.interval = b.interval;
    this.flushDelay = b.flushDelay;
    this.clock = b.clock;
    this.fanout = b.fanout;
    this.autoReceive = b.autoReceive;
    this.claimEvery = b.claimEvery;
    this.autoSeal = b.autoSeal;
    this.maxMessage = Math.min(network.maxMessageBytes(), b.maxMessageBytes);
    int payload = maxMessage - EnvelopeLimits.OVERHEAD;
    if (payload < 2 + 2 + Operation.MAX_BYTES) {
      throw new IllegalArgumentException(
          "maxMessageBytes must leave room for one operation: at least "
              + (EnvelopeLimits.OVERHEAD + 4 + Operation.MAX_BYTES) + ", was " + maxMessage);
    }
    int maxHeads = Math.min(Math.min(b.maxHeadsPerMessage, ReplicationCodec.MAX_ENTRIES),
        (payload - 2) / ReplicationCodec.HEAD_BYTES);
    this.sender = EnvelopeSender.create(identity, b.clock);
    this.decoder = EnvelopeDecoder.create(b.clock, EnvelopeLimits.builder()
        .maxPayloadBytes(payload).maxFrameBytes(maxMessage).build());
    this.exchange =
        new PeerExchange(ledger, network, sender, clock, interval, maxHeads, maxMessage);
    this.own = new OwnOperations(ledger, identity);
  }

  /**
   * A builder with the required collaborators; the defaults: anti-entropy every second, gossip
   * fanout 3, new operations batched for 50 ms, no automatic
   * receive, 200 heads per message, messages up to 64 KiB.
   *
   * @param ledger the node's ledger
   * @param identity the node's identity: signs envelopes and, with auto-receive, receives
   * @param network the node's endpoint
   * @param clock time for envelopes
   * @param random chooses anti-entropy peers
   * @return a builder
   */
  public static Builder builder(
      Ledger ledger, NodeIdentity identity, PeerNetwork network, Clock clock,
      RandomSource random) {
    return new Builder(ledger, identity, network, clock, random);
  }

  /**
   * Installs the message handler and starts the anti-entropy timer.
   *
   * @throws IllegalStateException if already started or closed
   */
  public synchronized void start() {
    if (closed || timer != null) {
      throw new IllegalStateException("start() once, before close()");
    }
    network.onMessage(this::onMessage);
    timer = network.schedule(interval, this::tick);
  }

  /**
   * Appends an operation to this node's own chain (see {@link Ledger#append}) and gossips it.
   *
   * @param body what it does
   * @return the stored operation
   * @throws LedgerException if the ledger rejects it (nothing is sent)
   */
  public synchronized Operation append(OperationBody body) throws LedgerException {
    Operation op = ledger.append(identity, body);
    gossip(List.of(op));
    return op;
  }

  /**
   * Gossips operations that are already in the ledger (for example ones a host appended directly).
   *
   * @param ops the operations
   */
  public synchronized void publish(List<Operation> ops) {
    gossip(ops);
  }

  /** Queues operations for the next gossip flush, which batches them into few messages. */
  private void gossip(List<Operation> ops) {
    if (closed || ops.isEmpty()) {
      return;
    }
    outbox.addAll(ops);
    if (flushTimer == null) {
      flushTimer = network.schedule(flushDelay, this::flush);
    }
  }

  private synchronized void flush() {
    flushTimer = null;
    if (closed || outbox.isEmpty()) {
      return;
    }
    List<byte[]> payloads =
        ReplicationCodec.encodeOps(outbox, maxMessage - EnvelopeLimits.OVERHEAD);
    outbox.clear();
    for (byte[] payload : payloads) {
      network.gossip(sender.encode(TYPE_OPS, payload), fanout);
    }
  }

  /**
   * Claims everything that has vested, by this node's clock, of every vesting grant paying this
   * node (one {@link OperationBody.VestClaim} per grant with something releasable), and gossips
   * the claims. A host calls this on demand; {@link Builder#autoClaimVesting} makes the replicator
   * call it periodically.
   *
   * @return the claims signed, possibly none
   */
  public synchronized List<Operation> claimVested() {
    if (closed) {
      return new ArrayList<>();
    }
    long now = clock.epochMillis();
    List<Operation> claims = own.claimVested(now);
    lastClaimMillis = now;
    gossip(claims);
    return claims;
  }

  /**
   * Appends one {@link OperationBody.Seal} if a governance deadline this node knows of (a live
   * proposal's deadline, or as a guardian a queued proposal's eta) has passed since this node's
   * last operation: then no vote, stake or veto it could still sign would be dated inside the
   * window, and the outcome can close without waiting for it (docs/economy.md, "The closed-outcome
   * rule"). One seal covers every deadline before it; a node that signed anything after a deadline
   * needs none.
   *
   * @return the seal, or null if none was due
   */
  public synchronized Operation sealIfDue() {
    if (closed) {
      return null;
    }
    Operation seal = own.sealIfDue(clock.epochMillis());
    if (seal != null) {
      seals++;
      gossip(List.of(seal));
    }
    return seal;
  }

  private synchronized void tick() {
    if (closed) {
      return;
    }
    if (claimEvery != null && (lastClaimMillis == Long.MIN_VALUE
        || clock.epochMillis() - lastClaimMillis >= claimEvery.toMillis())) {
      claimVested();
    }
    if (autoSeal) {
      sealIfDue();
    }
    try {
      exchange.sendHeads(network.membership(), random);
    } finally {
      timer = network.schedule(interval, this::tick);
    }
  }

  private synchronized void onMessage(NodeId claimed, byte[] frame) {
    if (closed) {
      return;
    }
    messagesIn++;
    Envelope env;
    try {
      env = decoder.decode(frame);
    } catch (EnvelopeException e) {
      rejectedEnvelopes++;
      LOG.log(Level.DEBUG, () -> "dropped a frame from " + claimed + ": " + e.getMessage());
      return;
    }
    byte[] payload = env.payloadBytes();
    try {
      switch (env.type()) {
        case TYPE_OPS -> {
          gossip(exchange.onOps(env.sender(), ReplicationCodec.decodeOps(payload)));
          if (autoReceive) {
            gossip(own.receivePayments());
          }
        }
        case TYPE_HEADS -> exchange.onHeads(env.sender(), ReplicationCodec.decodeHeads(payload));
        case TYPE_PULL -> exchange.onPull(env.sender(), ReplicationCodec.decodePulls(payload));
        default -> malformed++;
      }
    } catch (LedgerException e) {
      malformed++;
      LOG.log(Level.DEBUG, () -> "dropped a message from " + env.sender() + ": " + e.getMessage());
    }
  }

  /**
   * A snapshot of the counters.
   *
   * @return a snapshot of the counters
   */
  public synchronized Stats stats() {
    return new Stats(messagesIn, rejectedEnvelopes, malformed, exchange.accepted(),
        exchange.rejected(), exchange.equivocations(), seals);
  }

  /** Stops the timer and ignores further messages; does not close the ledger. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (timer != null) {
      timer.cancel();
    }
    if (flushTimer != null) {
      flushTimer.cancel();
    }
  }

  /** Builds a {@link LedgerReplicator}. Not thread-safe. */
  public static final class Builder {
    private final Ledger ledger;
    private final NodeIdentity identity;
    private final PeerNetwork network;
    private final Clock clock;
    private final RandomSource random;
    private Duration interval = Duration.ofSeconds(1);
    private Duration flushDelay = Duration.ofMillis(50);
    private int fanout = 3;
    private boolean autoReceive;
    private Duration claimEvery;
    private boolean autoSeal;
    private int maxHeadsPerMessage = 200;
    private int maxMessageBytes = 64 * 1024;

    private Builder(
        Ledger ledger, NodeIdentity identity, PeerNetwork network, Clock clock,
        RandomSource random) {
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      this.identity = Objects.requireNonNull(identity, "identity");
      this.network = Objects.requireNonNull(network, "network");
      this.clock = Objects.requireNonNull(clock, "clock");
      this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * How often an anti-entropy round runs.
     *
     * @param interval positive
     * @return this
     */
    public Builder antiEntropyInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("interval must be > 0, was " + interval);
      }
      this.interval = interval;
      return this;
    }

    /**
     * How long new operations wait to be gossiped together in one message.
     *
     * @param delay {@code >= 0}
     * @return this
     */
    public Builder gossipDelay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("gossipDelay must be >= 0, was " + delay);
      }
      this.flushDelay = delay;
      return this;
    }

    /**
     * How many peers a new operation is gossiped to.
     *
     * @param fanout {@code >= 0}
     * @return this
     */
    public Builder fanout(int fanout) {
      if (fanout < 0) {
        throw new IllegalArgumentException("fanout must be >= 0, was " + fanout);
      }
      this.fanout = fanout;
      return this;
    }

    /**
     * Whether the node signs a receive for every payment to it as soon as it holds it.
     *
     * @param on true to receive automatically
     * @return this
     */
    public Builder autoReceive(boolean on) {
      this.autoReceive = on;
      return this;
    }

    /**
     * Makes the replicator claim this node's vested rewards by itself ({@link #claimVested()})
     * at an anti-entropy tick whenever at least {@code every} has passed since the last claim.
     * Each claim is one operation per grant, so a longer period means fewer operations and
     * larger claims; nothing is lost by waiting (what vested stays claimable).
     *
     * @param every the least time between two claims, {@code > 0}
     * @return this
     */
    public Builder autoClaimVesting(Duration every) {
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("autoClaimVesting must be > 0, was " + every);
      }
      this.claimEvery = every;
      return this;
    }

    /**
     * Makes the replicator append a {@link OperationBody.Seal} at an anti-entropy tick when a
     * governance deadline has passed since this node's last operation ({@link #sealIfDue()}), so
     * that governance outcomes close without waiting for idle nodes. Cost: at most one small
     * operation per node per tick, and only for deadlines the node was idle across; none for a
     * node that signs anything else after the deadline.
     *
     * @param on true to seal automatically
     * @return this
     */
    public Builder autoSeal(boolean on) {
      this.autoSeal = on;
      return this;
    }

    /**
     * The most chain heads (and pull entries) per message.
     *
     * @param n {@code >= 1}
     * @return this
     */
    public Builder maxHeadsPerMessage(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxHeadsPerMessage must be >= 1, was " + n);
      }
      this.maxHeadsPerMessage = n;
      return this;
    }

    /**
     * The largest message this replicator sends or accepts (also capped by the network's).
     *
     * @param bytes room for at least one operation in an envelope
     * @return this
     */
    public Builder maxMessageBytes(int bytes) {
      this.maxMessageBytes = bytes;
      return this;
    }

    /**
     * The replicator, not started.
     *
     * @return the replicator
     * @throws IllegalArgumentException if the message size leaves no room for an operation
     */
    public LedgerReplicator build() {
      return new LedgerReplicator(this);
    }
  }
}
