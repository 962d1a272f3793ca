package io.github.edgenet.swarm.consensus;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeException;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.Cancellable;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.swarm.internal.Distributions;
import io.github.edgenet.swarm.internal.WireReader;
import io.github.edgenet.swarm.internal.WireWriter;
import io.github.edgenet.swarm.protocol.SwarmMessageTypes;
import io.github.edgenet.swarm.protocol.SwarmProtocolException;
import io.github.edgenet.swarm.protocol.SwarmProtocolException.Reason;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Entropy-based consensus of one node on one of {@code k} options, over a {@link PeerNetwork}.
 *
 * <h2>Algorithm</h2>
 *
 * The node holds a preference distribution {@code p} over the options. Every {@code period} (one
 * round) it:
 *
 * <ol>
 *   <li>gossips its opinion to {@code fanout} random peers in a signed envelope of type {@link
 *       SwarmMessageTypes#CONSENSUS_OPINION}: the exhibited option {@code argmax p} and its
 *       certainty {@code c = 1 - H(p) / ln k} (1 for a point mass, 0 for the uniform distribution);
 *   <li>forgets neighbours whose last opinion is older than {@code neighbourTimeout} (crashed,
 *       partitioned or silent peers drop out of the computation);
 *   <li>forms the vote {@code s[o] = sum of c_j over the neighbours j exhibiting o} (its own opinion
 *       included, each signer counted once with its latest opinion), weights it by option quality,
 *       {@code t[o] ∝ s[o] * quality[o]^beta} (the best-of-n modulation of Valentini, Hamann and
 *       Dorigo, "Self-organized collective decision making: the weighted voter model", AAMAS 2014,
 *       where better options are advertised more), and moves toward it: {@code p <- (1 - eta_r) p +
 *       eta_r t}, with the annealed rate {@code eta_r = eta0 / (1 + r / T)}.
 * </ol>
 *
 * The node has {@linkplain #converged() converged} when {@code H(p) / ln k < entropyThreshold} or
 * {@code max p > 1 - delta}; it keeps gossiping so that others converge too.
 *
 * <h2>Guarantees and limits</h2>
 *
 * Each signer counts once (its latest opinion), so flooding gains nothing, and a Byzantine node's
 * influence is its share of the opinions a node hears times at most certainty 1. It can shift the
 * outcome but not capture it while honest nodes outnumber it enough; how much enough is is measured
 * in the tests and docs/swarm.md (it depends on the quality gap and {@code beta}). There is no
 * protection against Sybil identities (admission is the host's job), no agreement guarantee in
 * bounded time (it is a probabilistic protocol, measured in the simulator), and a partition may
 * converge to different options on each side.
 *
 * <p>Thread-safety: the network's callbacks drive it (serialized per endpoint); the public methods
 * synchronize, so they may be read from any thread.
 */
public final class EntropyConsensus {
  static final int VERSION = 1;
  private static final int PAYLOAD_BYTES = 1 + 2 + 4 + 8;

  private final PeerNetwork net;
  private final EnvelopeSender sender;
  private final EnvelopeDecoder decoder;
  private final Clock clock;
  private final ConsensusConfig cfg;
  private final int k;
  private final double[] p;
  private final double[] weight;
  private final double[] vote;
  private final double logK;
  private final LinkedHashMap<NodeId, Opinion> neighbours = new LinkedHashMap<>();
  private long round;
  private long rejected;
  private Cancellable timer;
  private boolean running;

  private record Opinion(int option, double certainty, long atNanos) {}

  private EntropyConsensus(Builder b) {
    this.net = b.net;
    this.sender = b.sender;
    this.decoder = b.decoder;
    this.clock = b.clock;
    this.cfg = b.cfg;
    this.k = cfg.options();
    this.p = b.preference.clone();
    this.weight = new double[k];
    for (int o = 0; o < k; o++) {
      weight[o] = StrictMath.pow(b.quality[o], cfg.qualityExponent());
    }
    this.vote = new double[k];
    this.logK = StrictMath.log(k);
  }

  /**
   * A builder. The preference starts uniform unless set; qualities default to 1 (plain
   * consensus).
   *
   * @param net this node's endpoint
   * @param sender signs this node's opinions (its identity is the node's)
   * @param decoder verifies peers' frames (sizes, freshness, replay, signature)
   * @param clock the time source for neighbour timeouts (the network's clock)
   * @param config the parameters
   * @return a builder
   */
  public static Builder builder(PeerNetwork net, EnvelopeSender sender, EnvelopeDecoder decoder,
      Clock clock, ConsensusConfig config) {
    return new Builder(net, sender, decoder, clock, config);
  }

  /**
   * The Shannon entropy {@code -sum p ln p} of a distribution, in nats.
   *
   * @param p a probability distribution
   * @return its entropy
   */
  public static double entropy(double[] p) {
    double h = 0;
    for (double x : p) {
      if (x > 0) {
        h -= x * StrictMath.log(x);
      }
    }
    return h;
  }

  /**
   * The certainty {@code 1 - H(p) / ln k} of a distribution over {@code k = p.length >= 2} options,
   * clamped to [0, 1].
   *
   * @param p a probability distribution
   * @return its certainty
   */
  public static double certainty(double[] p) {
    return Math.clamp(1 - entropy(p) / StrictMath.log(p.length), 0, 1);
  }

  /**
   * Starts the rounds, the first after {@code firstDelay} (the message handler, unless built with
   * {@code installHandler(false)}, was installed by {@link Builder#build()}). Timers do not survive
   * a crash of the endpoint: after a restart, call {@link #stop()} and this method again.
   *
   * @param firstDelay the delay of the first round, for example a random phase in [0, period)
   * @throws IllegalStateException if already started
   */
  public synchronized void start(java.time.Duration firstDelay) {
    if (running) {
      throw new IllegalStateException("consensus already started");
    }
    running = true;
    timer = net.schedule(firstDelay, this::tick);
  }

  /** Stops the rounds (opinions are still received). Idempotent. */
  public synchronized void stop() {
    running = false;
    if (timer != null) {
      timer.cancel();
    }
  }

  /**
   * Handles one frame as delivered by the network: decoded, verified and, if it is a valid
   * opinion, recorded as the sender's latest. Invalid frames are counted ({@link #rejected()}) and
   * change nothing else.
   *
   * @param from the transport's claim of the sender (ignored: the envelope's signer counts)
   * @param frame the bytes received
   */
  public synchronized void onFrame(NodeId from, byte[] frame) {
    try {
      accept(decoder.decode(frame));
    } catch (EnvelopeException | SwarmProtocolException e) {
      rejected++;
    }
  }

  /**
   * Records a verified opinion envelope as its signer's latest opinion, for hosts that decode and
   * dispatch envelopes themselves.
   *
   * @param envelope an envelope that passed an {@code EnvelopeDecoder}
   * @throws SwarmProtocolException if it is not a valid opinion of this configuration; nothing
   *     changed then
   */
  public synchronized void accept(Envelope envelope) throws SwarmProtocolException {
    if (envelope.type() != SwarmMessageTypes.CONSENSUS_OPINION) {
      throw new SwarmProtocolException(Reason.WRONG_TYPE, "envelope type " + envelope.type());
    }
    if (envelope.payloadLength() != PAYLOAD_BYTES) {
      throw new SwarmProtocolException(
          Reason.TRUNCATED, "opinion of " + envelope.payloadLength() + " bytes, expected " + PAYLOAD_BYTES);
    }
    WireReader r = new WireReader(envelope.payload());
    r.version(VERSION);
    int option = r.u16("option");
    double c = r.finiteFloat("certainty");
    r.i64("round");
    r.end();
    if (option >= k) {
      throw new SwarmProtocolException(Reason.BAD_VALUE, "option " + option + " >= k = " + k);
    }
    if (!(c >= 0 && c <= 1)) {
      throw new SwarmProtocolException(Reason.BAD_VALUE, "certainty " + c + " not in [0, 1]");
    }
    NodeId signer = envelope.sender();
    if (signer.equals(sender.id())) {
      return; // our own opinion counts through p itself
    }
    neighbours.remove(signer); // re-insert: iteration order is least recently heard first
    if (neighbours.size() >= cfg.maxNeighbours()) {
      Iterator<NodeId> it = neighbours.keySet().iterator();
      it.next();
      it.remove();
    }
    neighbours.put(signer, new Opinion(option, c, clock.nanos()));
  }

  private void tick() {
    synchronized (this) {
      if (!running) {
        return;
      }
      round++;
      int exhibited = argmax(p);
      double c = certainty(p);
      byte[] payload = new WireWriter().u8(VERSION).u16(exhibited).f32((float) c).i64(round).toByteArray();
      net.gossip(sender.encode(SwarmMessageTypes.CONSENSUS_OPINION, payload), cfg.fanout());
      long cutoff = clock.nanos() - cfg.neighbourTimeout().toNanos();
      Iterator<Map.Entry<NodeId, Opinion>> it = neighbours.entrySet().iterator();
      while (it.hasNext()) {
        if (it.next().getValue().atNanos() < cutoff) {
          it.remove();
        }
      }
      Arrays.fill(vote, 0);
      vote[exhibited] += c;
      for (Opinion o : neighbours.values()) {
        vote[o.option()] += o.certainty();
      }
      double total = 0;
      for (int o = 0; o < k; o++) {
        vote[o] *= weight[o];
        total += vote[o];
      }
      if (total > 0) {
        double eta = cfg.initialRate() / (1 + (round - 1) / cfg.annealingRounds());
        for (int o = 0; o < k; o++) {
          p[o] = (1 - eta) * p[o] + eta * vote[o] / total;
        }
      }
      timer = net.schedule(cfg.period(), this::tick);
    }
  }

  private static int argmax(double[] x) {
    int best = 0;
    for (int i = 1; i < x.length; i++) {
      if (x[i] > x[best]) {
        best = i;
      }
    }
    return best;
  }

  /**
   * A copy of the preference distribution.
   *
   * @return {@code p}, summing to 1 up to rounding
   */
  public synchronized double[] preference() {
    return p.clone();
  }

  /**
   * The option this node exhibits: {@code argmax p} (smallest index on ties).
   *
   * @return the option index
   */
  public synchronized int exhibited() {
    return argmax(p);
  }

  /**
   * This node's certainty {@code 1 - H(p) / ln k}.
   *
   * @return a value in [0, 1]
   */
  public synchronized double certainty() {
    return certainty(p);
  }

  /**
   * Whether this node has converged: {@code H(p) / ln k < entropyThreshold} or {@code max p > 1 -
   * delta}.
   *
   * @return whether converged
   */
  public synchronized boolean converged() {
    return entropy(p) / logK < cfg.entropyThreshold() || p[argmax(p)] > 1 - cfg.delta();
  }

  /**
   * The decided option, once {@linkplain #converged() converged}.
   *
   * @return the option, or empty before convergence
   */
  public synchronized OptionalInt decision() {
    return converged() ? OptionalInt.of(argmax(p)) : OptionalInt.empty();
  }

  /**
   * Rounds run so far.
   *
   * @return the round counter
   */
  public synchronized long round() {
    return round;
  }

  /**
   * Neighbours whose opinion currently counts (heard within the timeout, as of the last round).
   *
   * @return their number
   */
  public synchronized int activeNeighbours() {
    return neighbours.size();
  }

  /**
   * Frames rejected so far (bad envelope or bad opinion).
   *
   * @return the count
   */
  public synchronized long rejected() {
    return rejected;
  }

  /** Builds an {@link EntropyConsensus}. Not thread-safe. */
  public static final class Builder {
    private final PeerNetwork net;
    private final EnvelopeSender sender;
    private final EnvelopeDecoder decoder;
    private final Clock clock;
    private final ConsensusConfig cfg;
    private double[] preference;
    private double[] quality;
    private boolean installHandler = true;

    private Builder(PeerNetwork net, EnvelopeSender sender, EnvelopeDecoder decoder, Clock clock,
        ConsensusConfig cfg) {
      this.net = Objects.requireNonNull(net, "net");
      this.sender = Objects.requireNonNull(sender, "sender");
      this.decoder = Objects.requireNonNull(decoder, "decoder");
      this.clock = Objects.requireNonNull(clock, "clock");
      this.cfg = Objects.requireNonNull(cfg, "config");
      this.preference = new double[cfg.options()];
      Arrays.fill(preference, 1.0 / cfg.options());
      this.quality = new double[cfg.options()];
      Arrays.fill(quality, 1);
    }

    /**
     * The starting preference (copied).
     *
     * @param p {@code k} non-negative finite values with a positive sum; normalised
     * @return this builder
     * @throws IllegalArgumentException if the length or a value is wrong
     */
    public Builder preference(double[] p) {
      this.preference = normalised("preference", p);
      return this;
    }

    /**
     * A random starting preference, a draw from the flat Dirichlet distribution.
     *
     * @param random the source of the draw
     * @return this builder
     */
    public Builder randomPreference(RandomSource random) {
      double[] x = new double[cfg.options()];
      for (int i = 0; i < x.length; i++) {
        x[i] = Distributions.gamma(random, 1);
      }
      this.preference = normalised("preference", x);
      return this;
    }

    /**
     * This node's quality estimates of the options (copied), for best-of-n: votes for better
     * options weigh more.
     *
     * @param q {@code k} finite values {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if the length or a value is wrong
     */
    public Builder qualities(double[] q) {
      if (q.length != cfg.options()) {
        throw new IllegalArgumentException("qualities has " + q.length + " values, k = " + cfg.options());
      }
      for (int i = 0; i < q.length; i++) {
        if (!(q[i] > 0) || Double.isInfinite(q[i])) {
          throw new IllegalArgumentException("qualities[" + i + "] must be finite and > 0, was " + q[i]);
        }
      }
      this.quality = q.clone();
      return this;
    }

    /**
     * Whether {@link #build()} installs {@link EntropyConsensus#onFrame} as the endpoint's message
     * handler (default true); a host that multiplexes protocols dispatches to {@link
     * EntropyConsensus#accept} itself.
     *
     * @param install whether to install
     * @return this builder
     */
    public Builder installHandler(boolean install) {
      this.installHandler = install;
      return this;
    }

    private double[] normalised(String name, double[] p) {
      if (p.length != cfg.options()) {
        throw new IllegalArgumentException(name + " has " + p.length + " values, k = " + cfg.options());
      }
      double s = 0;
      for (int i = 0; i < p.length; i++) {
        if (!(p[i] >= 0) || Double.isInfinite(p[i])) {
          throw new IllegalArgumentException(name + "[" + i + "] must be finite and >= 0, was " + p[i]);
        }
        s += p[i];
      }
      if (!(s > 0)) {
        throw new IllegalArgumentException(name + " must have a positive sum");
      }
      double[] out = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        out[i] = p[i] / s;
      }
      return out;
    }

    /**
     * The protocol, not started.
     *
     * @return a new consensus instance
     */
    public EntropyConsensus build() {
      EntropyConsensus c = new EntropyConsensus(this);
      if (installHandler) {
        net.onMessage(c::onFrame);
      }
      return c;
    }
  }
}
