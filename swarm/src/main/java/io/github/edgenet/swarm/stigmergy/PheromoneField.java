package io.github.edgenet.swarm.stigmergy;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.internal.WireReader;
import io.github.edgenet.swarm.internal.WireWriter;
import io.github.edgenet.swarm.protocol.SwarmMessageTypes;
import io.github.edgenet.swarm.protocol.SwarmProtocolException;
import io.github.edgenet.swarm.protocol.SwarmProtocolException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Stigmergy: pheromone trails per task type leading to the nodes that ran such tasks well,
 * evaporating continuously over time and merged across nodes as a CRDT.
 *
 * <h2>Model</h2>
 *
 * A deposit of quality {@code q} in [0, 1] at time {@code t_i} adds {@code depositRate * q} to a
 * trail; the trail then evaporates exponentially with time constant {@code tau} (half-life {@code
 * tau ln 2}): level(t) = {@code sum_i depositRate q_i exp(-(t - t_i) / tau)}. Time is the clock's
 * {@link Clock#epochMillis()} (wall time, shared by all nodes) minus the field's epoch. Evaporation
 * is a closed form: reading never changes state, so levels do not depend on how often or when the
 * field is read.
 *
 * <h2>Why the merge is a CRDT</h2>
 *
 * A level is not itself mergeable (adding two copies of the same deposit counts it twice). The
 * field therefore keeps, per (task type, target, origin), the time-normalised log level {@code L =
 * ln(sum_i depositRate q_i exp(t_i / tau))} of that origin's own deposits ({@link Trail}). Each
 * deposit only increases its origin's {@code L} (by log-add-exp), evaporation does not change it at
 * all, and the level at time {@code t} is {@code sum over origins of exp(L - t / tau)} (origins in
 * id order, so identical states read identical bits). Merging keeps the larger {@code L} per
 * register: pointwise max over a map, which is commutative, associative and idempotent. Only the
 * origin writes its registers, so the max is always its latest state.
 *
 * <h2>Pruning and bounds</h2>
 *
 * A register whose level has fallen below {@code pruneThreshold} reads as zero and {@link #prune()}
 * removes it; a later merge that brings it back reads as zero too, so pruning never changes a
 * level. At most {@code maxTrails} registers are kept; past that the weakest are dropped. One
 * origin's contribution to a trail is read as at most {@code maxLevelPerOrigin}, so a lying origin
 * can shift a trail by at most that much.
 *
 * <h2>Selection</h2>
 *
 * {@link #select} is roulette-wheel selection with weights {@code level^alpha + exploration}.
 *
 * <p>Thread-safe: every method synchronizes on this field.
 */
public final class PheromoneField {
  static final int VERSION = 1;
  /** Longest task type, in UTF-8 bytes. */
  public static final int MAX_TASK_TYPE_BYTES = 64;
  /** Most registers in one payload. */
  public static final int MAX_TRAILS_PER_MESSAGE = 4096;

  private final NodeId self;
  private final Clock clock;
  private final long epochMillis;
  private final double tauMillis;
  private final double depositRate;
  private final double pruneThreshold;
  private final double maxLevelPerOrigin;
  private final double alpha;
  private final double exploration;
  private final int maxTrails;
  private final Map<TrailKey, TreeMap<NodeId, Double>> trails = new HashMap<>();
  private int size;

  private record TrailKey(String taskType, NodeId target) {}

  private PheromoneField(Builder b) {
    this.self = b.self;
    this.clock = b.clock;
    this.epochMillis = b.epochMillis;
    this.tauMillis = b.tau.toMillis();
    this.depositRate = b.depositRate;
    this.pruneThreshold = b.pruneThreshold;
    this.maxLevelPerOrigin = b.maxLevelPerOrigin;
    this.alpha = b.alpha;
    this.exploration = b.exploration;
    this.maxTrails = b.maxTrails;
  }

  /**
   * A builder for node {@code self}'s field on {@code clock}. Defaults: tau 60 s, deposit rate 1,
   * prune threshold 1e-3, max level per origin 1000, alpha 1, exploration 0.1, 100,000 registers,
   * epoch 2026-01-01T00:00Z.
   *
   * @param self the origin of this node's deposits
   * @param clock the time source (its {@code epochMillis()})
   * @return a builder
   */
  public static Builder builder(NodeId self, Clock clock) {
    return new Builder(Objects.requireNonNull(self, "self"), Objects.requireNonNull(clock, "clock"));
  }

  private double nowNormalised() {
    return (clock.epochMillis() - epochMillis) / tauMillis;
  }

  /**
   * Deposits {@code depositRate * quality} on the trail of {@code taskType} to {@code target}, now.
   * A quality of 0 deposits nothing.
   *
   * @param taskType the task type, 1..64 UTF-8 bytes
   * @param target the node that ran the task
   * @param quality the outcome quality in [0, 1]
   * @throws IllegalArgumentException if {@code quality} is not in [0, 1] or the task type is bad
   */
  public synchronized void deposit(String taskType, NodeId target, double quality) {
    checkTaskType(taskType);
    Objects.requireNonNull(target, "target");
    if (!(quality >= 0 && quality <= 1)) {
      throw new IllegalArgumentException("quality must be in [0, 1], was " + quality);
    }
    if (quality == 0) {
      return;
    }
    double add = StrictMath.log(depositRate * quality) + nowNormalised();
    TreeMap<NodeId, Double> m = trails.computeIfAbsent(new TrailKey(taskType, target), k -> new TreeMap<>());
    Double old = m.get(self);
    double l = old == null ? add : logAddExp(old, add);
    if (old == null) {
      size++;
    }
    m.put(self, l);
    enforceBound();
  }

  private static double logAddExp(double a, double b) {
    double hi = Math.max(a, b);
    return hi + StrictMath.log1p(StrictMath.exp(Math.min(a, b) - hi));
  }

  private static void checkTaskType(String taskType) {
    Objects.requireNonNull(taskType, "taskType");
    int len = taskType.getBytes(StandardCharsets.UTF_8).length;
    if (len == 0 || len > MAX_TASK_TYPE_BYTES) {
      throw new IllegalArgumentException(
          "taskType must have 1.." + MAX_TASK_TYPE_BYTES + " UTF-8 bytes, had " + len);
    }
  }

  /**
   * The level of the trail of {@code taskType} to {@code target} now: the sum over origins of their
   * evaporated deposits, each capped at {@code maxLevelPerOrigin}; registers below the prune
   * threshold count as zero.
   *
   * @param taskType the task type
   * @param target the target node
   * @return the level, {@code >= 0}
   */
  public synchronized double level(String taskType, NodeId target) {
    return levelAt(trails.get(new TrailKey(taskType, target)), nowNormalised());
  }

  private double levelAt(TreeMap<NodeId, Double> m, double tn) {
    if (m == null) {
      return 0;
    }
    double sum = 0;
    for (double l : m.values()) {
      double v = StrictMath.exp(l - tn);
      if (v >= pruneThreshold) {
        sum += Math.min(v, maxLevelPerOrigin);
      }
    }
    return sum;
  }

  /**
   * Roulette-wheel selection among {@code candidates}: candidate {@code i} is chosen with
   * probability proportional to {@code level_i^alpha + exploration}.
   *
   * @param taskType the task type
   * @param candidates the nodes to choose from, not empty
   * @param random the source of the draw
   * @return the chosen candidate
   * @throws IllegalArgumentException if {@code candidates} is empty
   */
  public synchronized NodeId select(String taskType, List<NodeId> candidates, RandomSource random) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("candidates must not be empty");
    }
    double tn = nowNormalised();
    double[] w = new double[candidates.size()];
    double total = 0;
    for (int i = 0; i < w.length; i++) {
      double level = levelAt(trails.get(new TrailKey(taskType, candidates.get(i))), tn);
      w[i] = StrictMath.pow(level, alpha) + exploration;
      total += w[i];
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < w.length; i++) {
      u -= w[i];
      if (u < 0) {
        return candidates.get(i);
      }
    }
    return candidates.getLast();
  }

  /**
   * Removes every register whose level has fallen below the prune threshold (they already read as
   * zero).
   *
   * @return how many were removed
   */
  public synchronized int prune() {
    double tn = nowNormalised();
    double cut = StrictMath.log(pruneThreshold) + tn;
    int removed = 0;
    var it = trails.values().iterator();
    while (it.hasNext()) {
      TreeMap<NodeId, Double> m = it.next();
      int before = m.size();
      m.values().removeIf(l -> l < cut);
      removed += before - m.size();
      if (m.isEmpty()) {
        it.remove();
      }
    }
    size -= removed;
    return removed;
  }

  private void enforceBound() {
    if (size <= maxTrails) {
      return;
    }
    prune();
    while (size > maxTrails) { // drop the weakest register (smallest L means weakest now)
      TreeMap<NodeId, Double> weakestMap = null;
      NodeId weakest = null;
      double min = Double.POSITIVE_INFINITY;
      for (TreeMap<NodeId, Double> m : trails.values()) {
        for (Map.Entry<NodeId, Double> e : m.entrySet()) {
          if (e.getValue() < min) {
            min = e.getValue();
            weakest = e.getKey();
            weakestMap = m;
          }
        }
      }
      weakestMap.remove(weakest);
      size--;
      if (weakestMap.isEmpty()) {
        trails.values().remove(weakestMap);
      }
    }
  }

  /**
   * Every register held, sorted by task type, target and origin.
   *
   * @return an immutable snapshot
   */
  public synchronized List<Trail> trails() {
    List<Trail> out = new ArrayList<>(size);
    trails.forEach((k, m) -> m.forEach((o, l) -> out.add(new Trail(k.taskType(), k.target(), o, l))));
    out.sort(Comparator.comparing(Trail::taskType).thenComparing(Trail::target).thenComparing(Trail::origin));
    return List.copyOf(out);
  }

  /**
   * Merges every register of {@code other} into this field (pointwise max), as gossip from a
   * trusted source would; for fields on the network use {@link #merge(Envelope)}.
   *
   * @param other another field (same tau and epoch expected); not modified
   * @return how many registers changed here
   */
  public int mergeFrom(PheromoneField other) {
    List<Trail> theirs = other.trails();
    synchronized (this) {
      int changed = 0;
      for (Trail t : theirs) {
        changed += put(t.taskType(), t.target(), t.origin(), t.logLevel()) ? 1 : 0;
      }
      enforceBound();
      return changed;
    }
  }

  private boolean put(String type, NodeId target, NodeId origin, double l) {
    TreeMap<NodeId, Double> m = trails.computeIfAbsent(new TrailKey(type, target), k -> new TreeMap<>());
    Double old = m.get(origin);
    if (old != null && old >= l) {
      return false;
    }
    if (old == null) {
      size++;
    }
    m.put(origin, l);
    return true;
  }

  /**
   * A copy of this field's registers with the same parameters and clock.
   *
   * @return an independent field
   */
  public synchronized PheromoneField copy() {
    PheromoneField c = new PheromoneField(toBuilder());
    trails.forEach((k, m) -> c.trails.put(k, new TreeMap<>(m)));
    c.size = size;
    return c;
  }

  private Builder toBuilder() {
    Builder b = new Builder(self, clock);
    b.epochMillis = epochMillis;
    b.tau = Duration.ofMillis((long) tauMillis);
    b.depositRate = depositRate;
    b.pruneThreshold = pruneThreshold;
    b.maxLevelPerOrigin = maxLevelPerOrigin;
    b.alpha = alpha;
    b.exploration = exploration;
    b.maxTrails = maxTrails;
    return b;
  }

  /**
   * This node's own registers (origin = this node) as payloads of at most {@value
   * #MAX_TRAILS_PER_MESSAGE} each, to seal with {@code EnvelopeSender.encode(
   * SwarmMessageTypes.PHEROMONE_FIELD, payload)} and gossip.
   *
   * @return the payloads, empty if this node deposited nothing that is still held
   */
  public synchronized List<byte[]> ownPayloads() {
    List<Trail> own = new ArrayList<>();
    for (Trail t : trails()) {
      if (t.origin().equals(self)) {
        own.add(t);
      }
    }
    List<byte[]> out = new ArrayList<>();
    for (int from = 0; from < own.size(); from += MAX_TRAILS_PER_MESSAGE) {
      int to = Math.min(own.size(), from + MAX_TRAILS_PER_MESSAGE);
      WireWriter w = new WireWriter().u8(VERSION).u16(to - from);
      for (Trail t : own.subList(from, to)) {
        w.string(t.taskType()).nodeId(t.target()).f64(t.logLevel());
      }
      out.add(w.toByteArray());
    }
    return out;
  }

  /**
   * Merges a verified envelope of another node's registers; its signer is their origin. The whole
   * payload is validated before anything changes.
   *
   * @param envelope an envelope that passed an {@code EnvelopeDecoder}
   * @return how many registers changed here
   * @throws SwarmProtocolException if the type, version, a count or a value is wrong; nothing
   *     changed then
   */
  public synchronized int merge(Envelope envelope) throws SwarmProtocolException {
    if (envelope.type() != SwarmMessageTypes.PHEROMONE_FIELD) {
      throw new SwarmProtocolException(Reason.WRONG_TYPE, "envelope type " + envelope.type());
    }
    return mergeRegisters(envelope.sender(), envelope.payload());
  }

  /**
   * Restores this node's own registers from one of its {@link #ownPayloads()}, kept by the host
   * across a restart: without them its new deposits would start below the registers its peers
   * hold, and the max merge would ignore them. Validated whole before anything changes.
   *
   * @param payload a payload this field's {@link #ownPayloads()} returned
   * @return how many registers changed here
   * @throws SwarmProtocolException if the version, a count or a value is wrong; nothing changed
   */
  public synchronized int restoreOwn(ByteBuffer payload) throws SwarmProtocolException {
    return mergeRegisters(self, payload);
  }

  private int mergeRegisters(NodeId origin, ByteBuffer payload) throws SwarmProtocolException {
    WireReader r = new WireReader(payload);
    r.version(VERSION);
    int n = r.count("trails", MAX_TRAILS_PER_MESSAGE);
    List<Trail> in = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String type = r.string("taskType", MAX_TASK_TYPE_BYTES);
      if (type.isEmpty()) {
        throw new SwarmProtocolException(Reason.BAD_VALUE, "trail " + i + ": empty taskType");
      }
      in.add(new Trail(type, r.nodeId("target"), origin, r.finite("logLevel")));
    }
    r.end();
    int changed = 0;
    for (Trail t : in) {
      changed += put(t.taskType(), t.target(), t.origin(), t.logLevel()) ? 1 : 0;
    }
    enforceBound();
    return changed;
  }

  /** Builds a {@link PheromoneField}. Not thread-safe. */
  public static final class Builder {
    private final NodeId self;
    private final Clock clock;
    private long epochMillis = 1_767_225_600_000L;
    private Duration tau = Duration.ofSeconds(60);
    private double depositRate = 1;
    private double pruneThreshold = 1e-3;
    private double maxLevelPerOrigin = 1000;
    private double alpha = 1;
    private double exploration = 0.1;
    private int maxTrails = 100_000;

    private Builder(NodeId self, Clock clock) {
      this.self = self;
      this.clock = clock;
    }

    /**
     * The evaporation time constant: a level falls by a factor e every {@code tau}.
     *
     * @param tau at least 1 ms
     * @return this builder
     */
    public Builder tau(Duration tau) {
      this.tau = Objects.requireNonNull(tau, "tau");
      return this;
    }

    /**
     * The level a deposit of quality 1 adds.
     *
     * @param rate finite, {@code > 0}
     * @return this builder
     */
    public Builder depositRate(double rate) {
      this.depositRate = rate;
      return this;
    }

    /**
     * Registers below this level read as zero and are pruned.
     *
     * @param threshold finite, {@code > 0}
     * @return this builder
     */
    public Builder pruneThreshold(double threshold) {
      this.pruneThreshold = threshold;
      return this;
    }

    /**
     * The most one origin contributes to one trail, when read.
     *
     * @param max finite, {@code > 0}
     * @return this builder
     */
    public Builder maxLevelPerOrigin(double max) {
      this.maxLevelPerOrigin = max;
      return this;
    }

    /**
     * The exponent of levels in roulette selection.
     *
     * @param alpha finite, {@code >= 0}
     * @return this builder
     */
    public Builder alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    /**
     * The weight every candidate gets besides its trail, so unexplored nodes stay reachable.
     *
     * @param weight finite, {@code >= 0}
     * @return this builder
     */
    public Builder exploration(double weight) {
      this.exploration = weight;
      return this;
    }

    /**
     * The most registers held.
     *
     * @param max {@code >= 1}
     * @return this builder
     */
    public Builder maxTrails(int max) {
      this.maxTrails = max;
      return this;
    }

    /**
     * The time origin of normalised levels, in epoch milliseconds; must be the same on every node
     * of a network (the default is 2026-01-01T00:00Z).
     *
     * @param epochMillis milliseconds since 1970
     * @return this builder
     */
    public Builder epochMillis(long epochMillis) {
      this.epochMillis = epochMillis;
      return this;
    }

    /**
     * The field.
     *
     * @return a new empty field
     * @throws IllegalArgumentException naming the first parameter out of range
     */
    public PheromoneField build() {
      if (tau.toMillis() < 1) {
        throw new IllegalArgumentException("tau must be >= 1 ms, was " + tau);
      }
      check("depositRate", depositRate, false);
      check("pruneThreshold", pruneThreshold, false);
      check("maxLevelPerOrigin", maxLevelPerOrigin, false);
      check("alpha", alpha, true);
      check("exploration", exploration, true);
      if (maxTrails < 1) {
        throw new IllegalArgumentException("maxTrails must be >= 1, was " + maxTrails);
      }
      return new PheromoneField(this);
    }

    private static void check(String name, double v, boolean zeroOk) {
      if (!Double.isFinite(v) || v < 0 || (!zeroOk && v == 0)) {
        throw new IllegalArgumentException(
            name + " must be finite and " + (zeroOk ? ">= 0" : "> 0") + ", was " + v);
      }
    }
  }
}
