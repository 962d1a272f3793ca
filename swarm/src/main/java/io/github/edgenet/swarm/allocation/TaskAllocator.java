package io.github.edgenet.swarm.allocation;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.swarm.internal.Distributions;
import io.github.edgenet.swarm.internal.WireReader;
import io.github.edgenet.swarm.internal.WireWriter;
import io.github.edgenet.swarm.protocol.SwarmMessageTypes;
import io.github.edgenet.swarm.protocol.SwarmProtocolException;
import io.github.edgenet.swarm.protocol.SwarmProtocolException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Bayesian task allocation: which worker should run a task of a given type, chosen by Thompson
 * sampling over per-(worker, task type) posteriors of latency (Normal-Gamma: unknown mean and
 * variance) and success (Beta).
 *
 * <h2>Shared state</h2>
 *
 * Each node records its own observations ({@link #record}) under its own id as origin. What a node
 * shares is, per (worker, task type), the cumulative {@link SufficientStats} of its own observations
 * ({@link #statsPayloads()}), sealed by the caller in a signed envelope of type {@link
 * SwarmMessageTypes#ALLOCATION_STATS}. A receiver ({@link #merge(Envelope)}) keeps, per origin and
 * key, the statistics with the larger count: an origin's counts only grow, so this is a
 * grow-only-counter CRDT and merging the same message twice changes nothing. The posterior of a key
 * is the prior updated with the union of all origins' statistics, combined in origin-id order, so
 * two nodes holding the same messages compute the same posteriors bit for bit. Local observations
 * are idempotent per observation id (the most recent {@code maxRememberedIds} ids are remembered).
 * Unknown workers start from the prior. A lying origin can only misreport its own observations; its
 * weight is its count, which an honest host should bound by rate (not done here).
 *
 * <h2>Allocation</h2>
 *
 * {@link #chooseThompson} draws for each candidate a latency mean {@code mu} and a success
 * probability {@code p} from its posterior ({@code tau ~ Gamma(alpha, beta)}, {@code mu ~
 * Normal(mu', 1/(lambda' tau))}, {@code p ~ Beta(a, b)}) and picks the smallest expected time to a
 * success, {@code max(mu, 0) / p}. {@link #chooseGreedy} uses posterior means instead (exploit only,
 * for comparison).
 *
 * <p>Thread-safe: every method synchronizes on this allocator. The {@link RandomSource} passed in
 * is not thread-safe and must not be shared between threads.
 */
public final class TaskAllocator {
  /** Payload format version. */
  static final int VERSION = 1;
  /** Longest task type name, in UTF-8 bytes. */
  public static final int MAX_TASK_TYPE_BYTES = 64;
  /** Most entries in one stats payload. */
  public static final int MAX_ENTRIES_PER_MESSAGE = 2048;

  private final NodeId self;
  private final NormalGamma latencyPrior;
  private final BetaPosterior successPrior;
  private final int maxKeys;
  private final int maxOriginsPerKey;
  private final int maxRememberedIds;
  private final Map<Key, Entry> entries = new HashMap<>();
  private final LinkedHashSet<Long> recentIds = new LinkedHashSet<>();

  private record Key(NodeId worker, String taskType) {}

  private static final class Entry {
    final TreeMap<NodeId, SufficientStats> byOrigin = new TreeMap<>();
    Posterior posterior; // cache, null when stale
  }

  private TaskAllocator(Builder b) {
    this.self = b.self;
    this.latencyPrior = b.latencyPrior;
    this.successPrior = b.successPrior;
    this.maxKeys = b.maxKeys;
    this.maxOriginsPerKey = b.maxOriginsPerKey;
    this.maxRememberedIds = b.maxRememberedIds;
  }

  /**
   * A builder for the allocator of node {@code self}. Defaults: latency prior {@code NormalGamma(0,
   * 1, 1, 1)}, success prior {@code Beta(1, 1)}, 65,536 keys, 1,024 origins per key, 65,536
   * remembered observation ids.
   *
   * @param self this node's id, the origin of its own observations
   * @return a builder
   */
  public static Builder builder(NodeId self) {
    return new Builder(Objects.requireNonNull(self, "self"));
  }

  /**
   * Records one observation made by this node: {@code worker} ran a task of {@code taskType} in
   * {@code latency} and succeeded or not. An observation id seen before is ignored.
   *
   * @param observationId a unique id of the observation (e.g. the task id)
   * @param worker the node that ran the task
   * @param taskType the task type, at most {@value #MAX_TASK_TYPE_BYTES} UTF-8 bytes
   * @param latency the latency, finite and {@code >= 0}, in the caller's unit
   * @param success whether it succeeded
   * @return {@code true} if recorded, {@code false} if the id was a duplicate
   * @throws IllegalArgumentException if the latency or task type is out of range
   * @throws IllegalStateException if the table of keys is full
   */
  public synchronized boolean record(
      long observationId, NodeId worker, String taskType, double latency, boolean success) {
    Objects.requireNonNull(worker, "worker");
    checkTaskType(taskType);
    if (!(latency >= 0) || Double.isInfinite(latency)) {
      throw new IllegalArgumentException("latency must be finite and >= 0, was " + latency);
    }
    if (recentIds.contains(observationId)) {
      return false;
    }
    Entry e = entry(new Key(worker, taskType));
    if (e == null) {
      throw new IllegalStateException("allocator holds maxKeys = " + maxKeys + " keys");
    }
    recentIds.add(observationId);
    if (recentIds.size() > maxRememberedIds) {
      recentIds.removeFirst();
    }
    e.byOrigin.merge(self, SufficientStats.EMPTY.add(latency, success), (old, one) -> old.add(latency, success));
    e.posterior = null;
    return true;
  }

  private static void checkTaskType(String taskType) {
    Objects.requireNonNull(taskType, "taskType");
    int len = taskType.getBytes(StandardCharsets.UTF_8).length;
    if (len == 0 || len > MAX_TASK_TYPE_BYTES) {
      throw new IllegalArgumentException(
          "taskType must have 1.." + MAX_TASK_TYPE_BYTES + " UTF-8 bytes, had " + len);
    }
  }

  private Entry entry(Key key) {
    Entry e = entries.get(key);
    if (e == null && entries.size() < maxKeys) {
      e = new Entry();
      entries.put(key, e);
    }
    return e;
  }

  /**
   * The posterior of {@code worker} on {@code taskType}: the prior if nothing is known.
   *
   * @param worker the worker
   * @param taskType the task type
   * @return its posterior
   */
  public synchronized Posterior posterior(NodeId worker, String taskType) {
    Entry e = entries.get(new Key(Objects.requireNonNull(worker, "worker"), taskType));
    if (e == null) {
      return new Posterior(latencyPrior, successPrior, 0);
    }
    if (e.posterior == null) {
      SufficientStats all = SufficientStats.EMPTY;
      for (SufficientStats s : e.byOrigin.values()) { // origin-id order: deterministic
        all = all.combine(s);
      }
      e.posterior = new Posterior(
          latencyPrior.update(all.n(), all.mean(), all.m2()),
          successPrior.update(all.successes(), all.n() - all.successes()),
          all.n());
    }
    return e.posterior;
  }

  /**
   * Workers seen to succeed at {@code taskType}, by this node or by the origins whose statistics it
   * merged: where to look for a provider the node has not heard announce itself. Most successes
   * first (summed over origins), then the smaller id. Scans the table: O(keys).
   *
   * @param taskType the task type
   * @param limit how many at most, {@code >= 0}
   * @return the workers, at most {@code limit}
   */
  public synchronized List<NodeId> workers(String taskType, int limit) {
    Objects.requireNonNull(taskType, "taskType");
    List<Map.Entry<NodeId, Long>> found = new ArrayList<>();
    for (Map.Entry<Key, Entry> e : entries.entrySet()) {
      if (e.getKey().taskType().equals(taskType)) {
        long successes = 0;
        for (SufficientStats s : e.getValue().byOrigin.values()) {
          successes += s.successes();
        }
        if (successes > 0) {
          found.add(Map.entry(e.getKey().worker(), successes));
        }
      }
    }
    found.sort(Map.Entry.<NodeId, Long>comparingByValue().reversed()
        .thenComparing(Map.Entry.comparingByKey()));
    return found.stream().limit(Math.max(0, limit)).map(Map.Entry::getKey).toList();
  }

  /**
   * Thompson sampling: one posterior draw per candidate, the smallest sampled expected time to a
   * success wins (first candidate on ties).
   *
   * @param taskType the task type
   * @param candidates the workers to choose from, not empty
   * @param random the source of the draws
   * @return the chosen candidate
   * @throws IllegalArgumentException if {@code candidates} is empty
   */
  public synchronized NodeId chooseThompson(
      String taskType, List<NodeId> candidates, RandomSource random) {
    Objects.requireNonNull(random, "random");
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("candidates must not be empty");
    }
    NodeId best = null;
    double bestScore = Double.POSITIVE_INFINITY;
    for (NodeId c : candidates) {
      Posterior p = posterior(c, taskType);
      NormalGamma ng = p.latency();
      double tau = Distributions.gamma(random, ng.alpha()) / ng.beta();
      double mu = ng.mu() + random.nextGaussian() / Math.sqrt(ng.lambda() * tau);
      double ps = Distributions.beta(random, p.success().a(), p.success().b());
      double score = Math.max(mu, 0) / Math.max(ps, 1e-12);
      if (best == null || score < bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return best;
  }

  /**
   * Greedy (exploit-only) choice: the smallest posterior-mean expected time to a success, {@code
   * max(mu', 0) / E[p]}. Shown for comparison; it can lock onto a worker that was lucky once.
   *
   * @param taskType the task type
   * @param candidates the workers, not empty
   * @return the chosen candidate
   * @throws IllegalArgumentException if {@code candidates} is empty
   */
  public synchronized NodeId chooseGreedy(String taskType, List<NodeId> candidates) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("candidates must not be empty");
    }
    NodeId best = null;
    double bestScore = Double.POSITIVE_INFINITY;
    for (NodeId c : candidates) {
      Posterior p = posterior(c, taskType);
      double score = Math.max(p.latency().mu(), 0) / p.success().mean();
      if (best == null || score < bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return best;
  }

  /**
   * This node's own statistics, as payloads of at most {@value #MAX_ENTRIES_PER_MESSAGE} entries
   * each, to be sealed with {@code EnvelopeSender.encode(SwarmMessageTypes.ALLOCATION_STATS, p)}
   * and gossiped. Keys are in a deterministic order (worker id, then task type).
   *
   * @return the payloads, empty if this node observed nothing
   */
  public synchronized List<byte[]> statsPayloads() {
    TreeMap<NodeId, TreeMap<String, SufficientStats>> own = new TreeMap<>();
    for (Map.Entry<Key, Entry> e : entries.entrySet()) {
      SufficientStats s = e.getValue().byOrigin.get(self);
      if (s != null) {
        own.computeIfAbsent(e.getKey().worker(), k -> new TreeMap<>()).put(e.getKey().taskType(), s);
      }
    }
    List<byte[]> out = new ArrayList<>();
    List<Object[]> flat = new ArrayList<>();
    own.forEach((w, m) -> m.forEach((t, s) -> flat.add(new Object[] {w, t, s})));
    for (int from = 0; from < flat.size(); from += MAX_ENTRIES_PER_MESSAGE) {
      int to = Math.min(flat.size(), from + MAX_ENTRIES_PER_MESSAGE);
      WireWriter w = new WireWriter().u8(VERSION).u16(to - from);
      for (Object[] row : flat.subList(from, to)) {
        SufficientStats s = (SufficientStats) row[2];
        w.nodeId((NodeId) row[0]).string((String) row[1]);
        w.i64(s.n()).f64(s.mean()).f64(s.m2()).i64(s.successes());
      }
      out.add(w.toByteArray());
    }
    return out;
  }

  /**
   * Merges a verified envelope of another node's (or this node's) statistics: per key, the
   * origin's statistics with the larger count are kept. The whole payload is validated before
   * anything changes. Keys beyond {@code maxKeys}, or origins beyond {@code maxOriginsPerKey} for a
   * key, are skipped.
   *
   * @param envelope an envelope that passed an {@code EnvelopeDecoder}; its sender is the origin
   * @return how many entries changed this allocator's state
   * @throws SwarmProtocolException if the type, version, a length or a value is wrong; nothing
   *     changed then
   */
  public synchronized int merge(Envelope envelope) throws SwarmProtocolException {
    if (envelope.type() != SwarmMessageTypes.ALLOCATION_STATS) {
      throw new SwarmProtocolException(Reason.WRONG_TYPE, "envelope type " + envelope.type());
    }
    return mergeStats(envelope.sender(), envelope.payload());
  }

  /**
   * Restores this node's own statistics from one of its {@link #statsPayloads()}, kept by the host
   * across a restart: without them its counts would start again below those its peers hold, and
   * the larger-count merge would ignore its new observations. Validated whole before anything
   * changes.
   *
   * @param payload a payload this allocator's {@link #statsPayloads()} returned
   * @return how many entries changed
   * @throws SwarmProtocolException if the version, a length or a value is wrong; nothing changed
   */
  public synchronized int restoreOwn(ByteBuffer payload) throws SwarmProtocolException {
    return mergeStats(self, payload);
  }

  private int mergeStats(NodeId origin, ByteBuffer payload) throws SwarmProtocolException {
    WireReader r = new WireReader(payload);
    r.version(VERSION);
    int n = r.count("entries", MAX_ENTRIES_PER_MESSAGE);
    List<Key> keys = new ArrayList<>(n);
    List<SufficientStats> stats = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      NodeId worker = r.nodeId("worker");
      String type = r.string("taskType", MAX_TASK_TYPE_BYTES);
      if (type.isEmpty()) {
        throw new SwarmProtocolException(Reason.BAD_VALUE, "entry " + i + ": empty taskType");
      }
      long count = r.nonNegative("n");
      double mean = r.finite("mean");
      double m2 = r.finite("m2");
      long succ = r.nonNegative("successes");
      if (m2 < 0 || succ > count || (count == 0 && (mean != 0 || m2 != 0))) {
        throw new SwarmProtocolException(Reason.BAD_VALUE, "entry " + i + ": inconsistent statistics n="
            + count + ", m2=" + m2 + ", successes=" + succ);
      }
      keys.add(new Key(worker, type));
      stats.add(new SufficientStats(count, mean, m2, succ));
    }
    r.end();
    int changed = 0;
    for (int i = 0; i < n; i++) {
      Entry e = entry(keys.get(i));
      if (e == null) {
        continue;
      }
      SufficientStats incoming = stats.get(i);
      SufficientStats old = e.byOrigin.get(origin);
      if (old == null && e.byOrigin.size() >= maxOriginsPerKey) {
        continue;
      }
      if (old == null || incoming.compareContent(old) > 0) {
        e.byOrigin.put(origin, incoming);
        e.posterior = null;
        changed++;
      }
    }
    return changed;
  }

  /**
   * Builds a {@link TaskAllocator}. Not thread-safe.
   */
  public static final class Builder {
    private final NodeId self;
    private NormalGamma latencyPrior = new NormalGamma(0, 1, 1, 1);
    private BetaPosterior successPrior = new BetaPosterior(1, 1);
    private int maxKeys = 65_536;
    private int maxOriginsPerKey = 1024;
    private int maxRememberedIds = 65_536;

    private Builder(NodeId self) {
      this.self = self;
    }

    /**
     * The latency prior every unknown worker starts from.
     *
     * @param prior the prior
     * @return this builder
     */
    public Builder latencyPrior(NormalGamma prior) {
      this.latencyPrior = Objects.requireNonNull(prior, "prior");
      return this;
    }

    /**
     * The success prior every unknown worker starts from.
     *
     * @param prior the prior
     * @return this builder
     */
    public Builder successPrior(BetaPosterior prior) {
      this.successPrior = Objects.requireNonNull(prior, "prior");
      return this;
    }

    /**
     * The most (worker, task type) keys held.
     *
     * @param maxKeys {@code >= 1}
     * @return this builder
     */
    public Builder maxKeys(int maxKeys) {
      this.maxKeys = maxKeys;
      return this;
    }

    /**
     * The most origins whose statistics are held per key.
     *
     * @param maxOrigins {@code >= 1}
     * @return this builder
     */
    public Builder maxOriginsPerKey(int maxOrigins) {
      this.maxOriginsPerKey = maxOrigins;
      return this;
    }

    /**
     * How many recent observation ids are remembered to ignore duplicates.
     *
     * @param ids {@code >= 1}
     * @return this builder
     */
    public Builder maxRememberedIds(int ids) {
      this.maxRememberedIds = ids;
      return this;
    }

    /**
     * The allocator.
     *
     * @return a new allocator with no observations
     * @throws IllegalArgumentException if a bound is below 1, naming it
     */
    public TaskAllocator build() {
      if (maxKeys < 1 || maxOriginsPerKey < 1 || maxRememberedIds < 1) {
        throw new IllegalArgumentException("bounds must be >= 1: maxKeys=" + maxKeys
            + ", maxOriginsPerKey=" + maxOriginsPerKey + ", maxRememberedIds=" + maxRememberedIds);
      }
      return new TaskAllocator(this);
    }
  }
}
