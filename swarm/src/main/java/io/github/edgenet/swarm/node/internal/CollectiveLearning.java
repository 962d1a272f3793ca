package io.github.edgenet.swarm.node.internal;

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
import io.github.edgenet.learning.aggregate.Aggregator;
import io.github.edgenet.learning.aggregate.Aggregators;
import io.github.edgenet.learning.federated.Contribution;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.io.LoraCodec;
import io.github.edgenet.lora.io.LoraCodecException;
import io.github.edgenet.swarm.node.LearningConfig;
import io.github.edgenet.swarm.node.LearningMetrics;
import io.github.edgenet.swarm.node.LearningMetrics.Rejection;
import io.github.edgenet.swarm.node.TaskObjective;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Provider-side learning for the task types that have a {@link TaskObjective}: one shared adapter
 * per type, trained locally by each provider ({@link TypeLearner}: SGD, prioritized replay, online
 * EWC at embedding shifts) and combined across the type's providers in rounds cut from the node's
 * clock.
 *
 * <p><b>Rounds.</b> Round {@code r} covers {@code [r P, (r+1) P)} of {@code clock.epochMillis()}
 * ({@code P} = {@link LearningConfig#roundMillis()}). At its end each provider signs its working
 * parameters as a share (envelope {@link #SHARE}, payload {@link LearningWire}) and sends it to up
 * to {@code maxPeers} providers of the type (announced ones, then recent contributors);
 * {@code collectMillis} later it aggregates the shares it holds for round {@code r}, its own
 * included, with the configured robust rule (learning's {@link Aggregators}), in agent-id order.
 * The aggregate becomes version {@code r + 1} of the type's adapter: the frozen snapshot executors
 * read, until the next round closes.
 *
 * <p><b>Checks.</b> Shares are signed envelopes decoded with bounds (payload size from the largest
 * adapter, the parameter count before allocation, finite values); a share must be for a type this
 * node learns, for the current or the previous round and not one already closed here, and computed
 * from a version at most {@code maxStaleness} behind this node's (and not ahead of its round). One
 * share per agent per round (a new one replaces it), at most {@link #MAX_AGENTS} agents per round.
 * Rejections are counted by {@link Rejection} and change nothing.
 *
 * <p><b>Storage.</b> With a {@link NodeStore}, each type's frozen version and working copy are
 * stored (lora's codec) after every share and every aggregate, and a node started on the same
 * store resumes from them (its optimizer, replay buffer and EWC anchors start afresh). A stored
 * adapter that cannot be read, or is not of the type's shape, is logged and the type starts from
 * its initial adapter.
 *
 * <p><b>Threads.</b> Thread-safe: one lock. The engine calls {@link #select} and {@link #executed}
 * under its own lock; this class calls the engine's directory only without holding its lock.
 */
public final class CollectiveLearning implements AdapterLearning {
  private static final System.Logger LOG = System.getLogger(CollectiveLearning.class.getName());

  /** First envelope type of the channel (learning's range). */
  public static final int FIRST_TYPE = 0x4A00;
  /** Last envelope type of the channel. */
  public static final int LAST_TYPE = 0x4AFF;
  /** Envelope type of a share: one provider's contribution to one round of one type. */
  public static final int SHARE = 0x4A10;
  /** Agents one round keeps at most. */
  public static final int MAX_AGENTS = 256;

  /**
   * What a node sends instead of its parameters: for experiments with Byzantine providers.
   */
  @FunctionalInterface
  public interface ShareFilter {
    /**
     * Writes the vector to send.
     *
     * @param base the parameters of the node's current version
     * @param params its honest working parameters
     * @param out receives what is sent (initially a copy of {@code params})
     */
    void filter(float[] base, float[] params, float[] out);
  }

  private final NodeId self;
  private final ProtocolMux.Channel channel;
  private final Clock clock;
  private final RandomSource peerRandom;
  private final LearningConfig config;
  private final Map<String, TypeLearner> learners;
  /** Per type, the (version, training steps) last written to the store: unchanged, not rewritten. */
  private final Map<String, List<Long>> savedAt = new java.util.HashMap<>();
  private final Set<String> adaptive;
  private final EnvelopeSender sender;
  private final EnvelopeDecoder decoder;
  private final Aggregator rule;
  private final NodeStore store; // null: nothing kept
  private final Map<String, TreeMap<Long, AdapterRound>> rounds = new TreeMap<>();
  private final Map<String, Long> closedThrough = new TreeMap<>();
  private final Map<String, LinkedHashSet<NodeId>> contributors = new TreeMap<>();
  private final long[] rejected = new long[Rejection.values().length];
  private volatile ProviderDirectory directory = (type, limit) -> List.of();
  private volatile ShareFilter filter;
  private Cancellable boundaryTimer;
  private boolean closed;
  private long sharesSent;
  private long sharesAccepted;
  private long roundsAggregated;
  private long roundsSkipped;

  private CollectiveLearning(NodeIdentity identity, ProtocolMux.Channel channel, Clock clock,
      RandomSource random, int dimension, int rank, LearningConfig config,
      Map<String, TaskObjective> objectives, Set<String> adaptive, NodeStore store) {
    this.self = identity.id();
    this.store = store;
    this.channel = channel;
    this.clock = clock;
    this.peerRandom = random.derive("peers");
    this.config = config;
    Map<String, TypeLearner> m = new TreeMap<>();
    int maxParams = 1;
    for (Map.Entry<String, TaskObjective> e : objectives.entrySet()) {
      TypeLearner l = new TypeLearner(e.getKey(), e.getValue(), dimension, rank, config,
          random.derive(e.getKey()));
      m.put(e.getKey(), l);
      maxParams = Math.max(maxParams, l.paramCount());
    }
    this.learners = java.util.Collections.unmodifiableMap(m);
    Set<String> a = new java.util.TreeSet<>(adaptive);
    a.addAll(objectives.keySet());
    this.adaptive = Set.copyOf(a);
    this.sender = EnvelopeSender.create(identity, clock);
    int payload = LearningWire.maxPayload(maxParams);
    this.decoder = EnvelopeDecoder.create(clock, EnvelopeLimits.builder()
        .maxPayloadBytes(payload).maxFrameBytes(EnvelopeSender.frameLength(payload)).build());
    this.rule = switch (config.rule()) {
      case MEAN -> Aggregators.mean();
      case MEDIAN -> Aggregators.median();
      case TRIMMED_MEAN -> Aggregators.trimmedMean(config.trimFraction());
      case CENTERED_CLIPPING -> Aggregators.centeredClipping(config.clippingRadius(), 3);
    };
  }

  /**
   * Starts learning on a channel of the node's {@link ProtocolMux} ({@link #FIRST_TYPE} to {@link
   * #LAST_TYPE}): takes over its message handler and restart hook and arms the round timer.
   *
   * @param identity the node's keys
   * @param channel the channel
   * @param clock the node's clock (rounds are cut from its epoch milliseconds)
   * @param random the node's randomness (a stream per type is derived)
   * @param dimension the task embedding dimension
   * @param rank the adapter rank
   * @param config learning settings
   * @param objectives the learned types and their objectives
   * @param adaptive further types whose results are not byte-compared
   * @param store where the learned adapters are kept and resumed from, or null for nowhere
   * @return the running learning
   */
  public static CollectiveLearning start(NodeIdentity identity, ProtocolMux.Channel channel,
      Clock clock, RandomSource random, int dimension, int rank, LearningConfig config,
      Map<String, TaskObjective> objectives, Set<String> adaptive, NodeStore store) {
    CollectiveLearning l = new CollectiveLearning(identity, channel, clock, random, dimension,
        rank, config, objectives, adaptive, store);
    l.resume();
    channel.onMessage(l::onFrame);
    channel.onRestart(l::rearm);
    l.rearm();
    return l;
  }

  /**
   * Replaces what this node shares (for experiments: a Byzantine provider); null restores the
   * honest parameters.
   *
   * @param f the filter, or null
   */
  public void shareFilter(ShareFilter f) {
    this.filter = f;
  }

  @Override
  public void attach(ProviderDirectory d) {
    this.directory = d;
  }

  @Override
  public synchronized Selected select(String type) {
    TypeLearner l = learners.get(type);
    return l == null ? null : l.current();
  }

  @Override
  public synchronized void executed(String type, float[] embedding, byte[] payload) {
    TypeLearner l = learners.get(type);
    if (l != null && !closed) {
      l.learn(embedding, payload);
    }
  }

  @Override
  public boolean adaptive(String type) {
    return adaptive.contains(type);
  }

  /** The learner of a type, or null (for tests and measurements). */
  synchronized TypeLearner learner(String type) {
    return learners.get(type);
  }

  /**
   * The frozen snapshot of a learned type's adapter (for hosts' evaluation and tests).
   *
   * @param type a learned type
   * @return its current snapshot, or null if the type is not learned here
   */
  public synchronized Selected current(String type) {
    return select(type);
  }

  @Override
  public synchronized LearningMetrics metrics() {
    Map<String, Long> versions = new TreeMap<>();
    long trained = 0;
    long skipped = 0;
    long replayed = 0;
    long consolidations = 0;
    double disagreement = 0;
    for (TypeLearner l : learners.values()) {
      versions.put(l.type(), l.version());
      trained += l.trained;
      skipped += l.skipped;
      replayed += l.replayed;
      consolidations += l.consolidations;
      disagreement += l.disagreement;
    }
    Map<Rejection, Long> rj = new EnumMap<>(Rejection.class);
    for (Rejection r : Rejection.values()) {
      rj.put(r, rejected[r.ordinal()]);
    }
    return new LearningMetrics(versions, trained, skipped, replayed, consolidations, sharesSent,
        sharesAccepted, rj, roundsAggregated, roundsSkipped,
        learners.isEmpty() ? 0 : disagreement / learners.size());
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (boundaryTimer != null) {
      boundaryTimer.cancel();
    }
    channel.close();
  }

  // --- storage --------------------------------------------------------------------------------

  /** Each type resumes from its stored adapters, if any. */
  private synchronized void resume() {
    if (store == null) {
      return;
    }
    for (TypeLearner l : learners.values()) {
      store.learned(l.type()).ifPresent(row -> {
        try {
          l.restore(row.version(), LoraCodec.decode(row.frozen()), LoraCodec.decode(row.working()));
        } catch (LoraCodecException | IllegalArgumentException ex) {
          LOG.log(Level.WARNING, "the stored adapter of " + l.type()
              + " is unreadable; it starts from its initial adapter", ex);
        }
      });
    }
  }

  private void save(TypeLearner l) {
    if (store != null && !List.of(l.version(), l.trained).equals(savedAt.get(l.type()))) {
      MicroLora[] a = l.adaptersToStore();
      store.saveLearned(l.type(), l.version(), LoraCodec.encode(a[0]), LoraCodec.encode(a[1]));
      savedAt.put(l.type(), List.of(l.version(), l.trained));
    }
  }

  // --- rounds ---------------------------------------------------------------------------------

  /** Arms the timer for the next round boundary (at start and after a simulated restart). */
  private synchronized void rearm() {
    if (closed || learners.isEmpty()) {
      return;
    }
    if (boundaryTimer != null) {
      boundaryTimer.cancel();
    }
    long p = config.roundMillis();
    long now = clock.epochMillis();
    long next = (Math.floorDiv(now, p) + 1) * p;
    boundaryTimer = channel.schedule(Duration.ofMillis(next - now), this::boundary);
  }

  /** A round ended: share, arm its close, arm the next boundary. */
  private void boundary() {
    Map<String, List<NodeId>> announced = new TreeMap<>();
    for (String type : learners.keySet()) { // the engine's lock, without ours
      announced.put(type, directory.providers(type, 4 * config.maxPeers()));
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      long p = config.roundMillis();
      long now = clock.epochMillis();
      long round = Math.round((double) now / p) - 1; // the round that just ended
      for (TypeLearner l : learners.values()) {
        share(l, round, peers(l.type(), announced.get(l.type())));
        save(l);
      }
      channel.schedule(Duration.ofMillis(config.collectMillis()), () -> closeRound(round));
      long next = (round + 2) * p;
      boundaryTimer = channel.schedule(Duration.ofMillis(Math.max(1, next - now)),
          this::boundary);
    }
  }

  /**
   * Up to {@code maxPeers} of the type's providers: the announced ones and recent contributors,
   * a seeded random choice when there are more (so shares do not always reach the same few).
   */
  private List<NodeId> peers(String type, List<NodeId> announced) {
    LinkedHashSet<NodeId> all = new LinkedHashSet<>(announced);
    all.addAll(contributors.getOrDefault(type, new LinkedHashSet<>()));
    all.remove(self);
    List<NodeId> list = new ArrayList<>(all);
    int n = Math.min(list.size(), config.maxPeers());
    if (n < list.size()) {
      for (int i = 0; i < n; i++) { // partial Fisher-Yates
        int j = i + peerRandom.nextInt(list.size() - i);
        NodeId t = list.get(i);
        list.set(i, list.get(j));
        list.set(j, t);
      }
    }
    return list.subList(0, n);
  }

  private void share(TypeLearner l, long round, List<NodeId> peers) {
    TypeLearner.Share s = l.share();
    float[] vector = s.params();
    ShareFilter f = filter;
    if (f != null) {
      vector = vector.clone();
      f.filter(s.base(), s.params(), vector);
    }
    long base = l.version();
    AdapterRound own = openRound(l.type(), round);
    if (own != null) {
      own.put(new Contribution(self, round, base, s.samples(), s.quality(), vector));
    }
    if (peers.isEmpty()) {
      return;
    }
    byte[] frame = sender.encode(SHARE,
        LearningWire.encode(l.type(), round, base, s.samples(), s.quality(), vector));
    if (frame.length > channel.maxMessageBytes()) {
      LOG.log(Level.WARNING, () -> "a share of " + frame.length + " bytes does not fit a message");
      return;
    }
    for (NodeId peer : peers) {
      channel.send(peer, frame);
      sharesSent++;
    }
  }

  /** The open round of a type, created if it may still be collected; null if closed here. */
  private AdapterRound openRound(String type, long round) {
    Long done = closedThrough.get(type);
    if (done != null && round <= done) {
      return null;
    }
    TreeMap<Long, AdapterRound> open = rounds.computeIfAbsent(type, t -> new TreeMap<>());
    AdapterRound r = open.get(round);
    if (r == null) {
      r = new AdapterRound(round, MAX_AGENTS);
      open.put(round, r);
      while (open.size() > 2) { // at most the previous and the current round are open
        open.pollFirstEntry();
      }
    }
    return r;
  }

  private synchronized void closeRound(long round) {
    if (closed) {
      return;
    }
    for (TypeLearner l : learners.values()) {
      String type = l.type();
      closedThrough.merge(type, round, Math::max);
      TreeMap<Long, AdapterRound> open = rounds.get(type);
      AdapterRound r = open == null ? null : open.remove(round);
      if (open != null) {
        open.headMap(round, true).clear();
      }
      if (r == null || r.size() < config.minParticipants()) {
        roundsSkipped++;
        continue;
      }
      float[] aggregate = new float[l.paramCount()];
      try {
        rule.aggregate(r.vectors(), aggregate);
      } catch (IllegalArgumentException ex) {
        LOG.log(Level.DEBUG, () -> "round " + round + " of " + type + " not aggregated", ex);
        roundsSkipped++;
        continue;
      }
      if (!TypeLearner.finite(aggregate)) {
        roundsSkipped++;
        continue;
      }
      l.apply(aggregate, round + 1);
      save(l);
      roundsAggregated++;
    }
  }

  // --- the wire -------------------------------------------------------------------------------

  private synchronized void onFrame(NodeId from, byte[] frame) {
    if (closed) {
      return;
    }
    Envelope e;
    try {
      e = decoder.decode(frame);
    } catch (EnvelopeException ex) {
      reject(Rejection.ENVELOPE);
      return;
    }
    if (e.sender().equals(self)) {
      return;
    }
    try {
      if (e.type() != SHARE) {
        throw new LearningWire.Rejected(Rejection.MALFORMED, "envelope type " + e.type());
      }
      accept(e.sender(), e.payload());
    } catch (LearningWire.Rejected ex) {
      reject(ex.reason);
      LOG.log(Level.DEBUG, () -> "share from " + e.sender() + " rejected: " + ex.getMessage());
    }
  }

  private void accept(NodeId agent, ByteBuffer payload) throws LearningWire.Rejected {
    String type = LearningWire.type(payload);
    TypeLearner l = learners.get(type);
    if (l == null) {
      throw new LearningWire.Rejected(Rejection.NOT_LEARNED, type);
    }
    LearningWire.Share s = LearningWire.body(payload, l.paramCount());
    long current = Math.floorDiv(clock.epochMillis(), config.roundMillis());
    if (s.round() < current - 1 || s.round() > current) {
      throw new LearningWire.Rejected(Rejection.WRONG_ROUND,
          "round " + s.round() + ", current " + current);
    }
    long version = l.version();
    if (s.baseVersion() < version - config.maxStaleness() || s.baseVersion() > s.round() + 1) {
      throw new LearningWire.Rejected(Rejection.STALE,
          "base " + s.baseVersion() + ", this node's version " + version);
    }
    AdapterRound r = openRound(type, s.round());
    if (r == null) {
      throw new LearningWire.Rejected(Rejection.WRONG_ROUND, "round " + s.round() + " closed");
    }
    Contribution c = new Contribution(agent, s.round(), s.baseVersion(), s.samples(),
        s.quality(), s.params());
    if (!r.put(c)) {
      throw new LearningWire.Rejected(Rejection.ROUND_FULL, "round " + s.round());
    }
    sharesAccepted++;
    LinkedHashSet<NodeId> known = contributors.computeIfAbsent(type, t -> new LinkedHashSet<>());
    known.remove(agent);
    known.add(agent);
    while (known.size() > config.maxPeers()) {
      known.remove(known.iterator().next());
    }
  }

  private void reject(Rejection reason) {
    rejected[reason.ordinal()]++;
  }

  @Override
  public synchronized String toString() {
    return "CollectiveLearning[" + learners.keySet() + ", " + roundsAggregated + " rounds]";
  }
}
