package io.github.edgenet.swarm.memory;

import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.vector.VectorKernels;
import io.github.edgenet.swarm.internal.PatternIndex;
import io.github.edgenet.swarm.internal.PatternCodec;
import io.github.edgenet.swarm.protocol.SwarmMessageTypes;
import io.github.edgenet.swarm.protocol.SwarmProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Collective memory: an episodic buffer of {@link Trace}s consolidated into semantic {@link
 * Pattern}s by online clustering, recalled by confidence-weighted cosine similarity, and shared
 * with peers.
 *
 * <h2>Consolidation</h2>
 *
 * {@link #remember} appends a trace to the episodic buffer; when it holds {@code episodicCapacity}
 * traces (or on {@link #consolidate()}) each trace, in order, joins the most similar local pattern
 * if their cosine is at least {@code joinSimilarity} (the centroid becomes the running mean of the
 * unit trace vectors, renormalised; tag counts and quality sum add up), else starts a new pattern.
 * A pattern's confidence is {@code sum of qualities / (traces + 1)}: its mean quality, shrunk
 * toward 0 by one pseudo-trace, so a single lucky trace is not trusted like a hundred.
 *
 * <h2>Bound and eviction</h2>
 *
 * At most {@code maxPatterns} patterns are held. When a new one is needed and memory is full, the
 * pattern with the lowest retention {@code confidence * (1 + ln(1 + accessCount))} is evicted
 * (ties: the least recently updated, then the smallest id); if the newcomer's retention would be
 * lower still, a remote newcomer is dropped instead.
 *
 * <h2>Recall</h2>
 *
 * {@link #recall(float[], int, int[], float[])} returns the top k patterns by {@code confidence *
 * cosine(query, centroid)}, computed as the dot product of the normalised query with stored unit
 * centroids through core's SIMD kernels, with preallocated buffers: it allocates nothing. With the
 * Q8_0 index enabled it scans the 4x smaller quantized copy first and re-ranks a provably
 * sufficient candidate set exactly in f32, so the result is identical to {@link #recallExact} (see
 * {@code PatternIndex} for the bound). Recalled patterns have their access count incremented.
 *
 * <h2>Sharing</h2>
 *
 * {@link #ownPayloads} serialises the patterns this node formed (origin = this node); a peer's
 * {@link #merge(Envelope)} stores each as a remote pattern keyed by (signer, sequence), replaced
 * only by a version with more traces: merging the same message twice changes nothing, and remote
 * patterns never inflate local counts. Remote patterns are recalled like local ones; local traces
 * only join local patterns.
 *
 * <p>Thread-safe: every method synchronizes on this memory.
 */
public final class CollectiveMemory {
  /** Most tags per trace or pattern. */
  public static final int MAX_TAGS = 16;
  /** Longest tag, in UTF-8 bytes. */
  public static final int MAX_TAG_BYTES = 32;
  /** Most patterns in one payload. */
  public static final int MAX_PATTERNS_PER_MESSAGE = 256;
  /** Largest dimension. */
  public static final int MAX_DIMENSION = 4096;

  private final NodeId self;
  private final int d;
  private final int maxPatterns;
  private final int episodicCapacity;
  private final float joinSimilarity;
  private final PatternIndex index;
  private final State[] states;
  private final Map<PatternId, Integer> slotOf = new HashMap<>();
  private final ArrayDeque<Trace> episodic = new ArrayDeque<>();
  private final float[] qUnit;
  private final int[] scratchSlots;
  private final float[] scratchScores;
  private long nextSequence;
  private long updates;

  private static final class State {
    PatternId id;
    double[] mean;
    long traces;
    double qualitySum;
    TreeMap<String, Long> tagCounts = new TreeMap<>();
    long accessCount;
    long lastUpdate;

    double confidence() {
      return qualitySum / (traces + 1);
    }

    double retention() {
      return confidence() * (1 + Math.log1p(accessCount));
    }
  }

  private CollectiveMemory(Builder b) {
    this.self = b.self;
    this.d = b.dimension;
    this.maxPatterns = b.maxPatterns;
    this.episodicCapacity = b.episodicCapacity;
    this.joinSimilarity = (float) b.joinSimilarity;
    this.index = new PatternIndex(d, maxPatterns, b.maxK, b.quantizedIndex);
    this.states = new State[maxPatterns];
    this.qUnit = new float[d];
    this.scratchSlots = new int[b.maxK];
    this.scratchScores = new float[b.maxK];
  }

  /**
   * A builder for node {@code self}'s memory of {@code dimension}-long embeddings. Defaults: 10,000
   * patterns, 64 episodic traces, join similarity 0.9, k up to 256, no Q8_0 index.
   *
   * @param self this node, the origin of the patterns it forms
   * @param dimension the embedding length, in [1, 4096]
   * @return a builder
   */
  public static Builder builder(NodeId self, int dimension) {
    return new Builder(Objects.requireNonNull(self, "self"), dimension);
  }

  static void checkTag(String t) {
    int len = Objects.requireNonNull(t, "tag").getBytes(StandardCharsets.UTF_8).length;
    if (len == 0 || len > MAX_TAG_BYTES) {
      throw new IllegalArgumentException("tag must have 1.." + MAX_TAG_BYTES + " UTF-8 bytes, had " + len);
    }
  }

  /**
   * Appends a trace to the episodic buffer, consolidating the buffer when it is full.
   *
   * @param trace the trace
   * @throws IllegalArgumentException if its vector length is not the dimension
   */
  public synchronized void remember(Trace trace) {
    if (trace.vectorUnsafe().length != d) {
      throw new IllegalArgumentException("trace vector has length " + trace.vectorUnsafe().length + ", dimension " + d);
    }
    episodic.add(trace);
    if (episodic.size() >= episodicCapacity) {
      consolidate();
    }
  }

  /**
   * Consolidates every buffered trace into patterns, in arrival order.
   *
   * @return how many traces were consolidated
   */
  public synchronized int consolidate() {
    int n = 0;
    float[] unit = new float[d];
    while (!episodic.isEmpty()) {
      Trace t = episodic.poll();
      normalise(t.vectorUnsafe(), unit);
      int best = -1;
      float bestSim = Float.NEGATIVE_INFINITY;
      for (int s = 0; s < index.size(); s++) {
        if (states[s].id.origin().equals(self)) {
          float sim = index.similarity(unit, s);
          if (sim > bestSim) {
            bestSim = sim;
            best = s;
          }
        }
      }
      if (best >= 0 && bestSim >= joinSimilarity) {
        join(best, unit, t);
      } else {
        State st = new State();
        st.id = new PatternId(self, nextSequence++);
        st.mean = new double[d];
        join(place(st, unit, t.quality() / 2), unit, t);
      }
      n++;
    }
    return n;
  }

  /** Puts a new pattern in a free or evicted slot; -1 if it lost against every held pattern. */
  private int place(State st, float[] unit, double newcomerRetention) {
    int slot;
    if (index.size() < maxPatterns) {
      slot = index.add(unit, 0);
    } else {
      slot = 0;
      for (int s = 1; s < maxPatterns; s++) {
        State a = states[s];
        State b = states[slot];
        int c = Double.compare(a.retention(), b.retention());
        if (c == 0) {
          c = Long.compare(a.lastUpdate, b.lastUpdate);
        }
        if (c == 0) {
          c = Long.compare(a.id.sequence(), b.id.sequence());
        }
        if (c < 0) {
          slot = s;
        }
      }
      if (!st.id.origin().equals(self) && states[slot].retention() > newcomerRetention) {
        return -1;
      }
      slotOf.remove(states[slot].id);
      index.set(slot, unit, 0);
    }
    states[slot] = st;
    slotOf.put(st.id, slot);
    return slot;
  }

  private void join(int slot, float[] unit, Trace t) {
    State st = states[slot];
    st.traces++;
    st.qualitySum += t.quality();
    for (int j = 0; j < d; j++) {
      st.mean[j] += (unit[j] - st.mean[j]) / st.traces;
    }
    for (String tag : t.tags()) {
      if (st.tagCounts.containsKey(tag) || st.tagCounts.size() < 2 * MAX_TAGS) {
        st.tagCounts.merge(tag, 1L, Long::sum);
      }
    }
    st.lastUpdate = ++updates;
    float[] c = new float[d];
    for (int j = 0; j < d; j++) {
      c[j] = (float) st.mean[j];
    }
    normalise(c, c);
    index.set(slot, c, (float) st.confidence());
  }

  private static void normalise(float[] x, float[] out) {
    float n = (float) Math.sqrt(VectorKernels.dot(x, x));
    if (n == 0) {
      java.util.Arrays.fill(out, 0);
      return;
    }
    float inv = 1 / n;
    for (int j = 0; j < x.length; j++) {
      out[j] = x[j] * inv;
    }
  }

  private void checkQuery(float[] query, int k, int[] outSlots, float[] outScores) {
    if (query.length != d) {
      throw new IllegalArgumentException("query has length " + query.length + ", dimension " + d);
    }
    if (k < 1 || k > scratchSlots.length || outSlots.length < k || outScores.length < k) {
      throw new IllegalArgumentException("k = " + k + " must be in [1, " + scratchSlots.length
          + "] and fit outSlots (" + outSlots.length + ") and outScores (" + outScores.length + ")");
    }
  }

  /**
   * The top {@code k} patterns by {@code confidence * cosine(query, centroid)}, best first (equal
   * scores: lower slot first), through the Q8_0 index when enabled (same result as {@link
   * #recallExact}). Allocates nothing. Increments the recalled patterns' access counts.
   *
   * @param query the query embedding (normalised here; a zero query scores every pattern 0)
   * @param k how many, in [1, maxK]
   * @param outSlots receives the slots of the recalled patterns (read them with {@link #pattern})
   * @param outScores receives their scores
   * @return how many were written: {@code min(k, patterns())}
   * @throws IllegalArgumentException if the query length or {@code k} is wrong
   */
  public synchronized int recall(float[] query, int k, int[] outSlots, float[] outScores) {
    checkQuery(query, k, outSlots, outScores);
    normalise(query, qUnit);
    int n = index.quantized()
        ? index.topKQuantized(qUnit, k, outSlots, outScores)
        : index.topK(qUnit, k, outSlots, outScores);
    for (int i = 0; i < n; i++) {
      states[outSlots[i]].accessCount++;
    }
    return n;
  }

  /**
   * {@link #recall(float[], int, int[], float[])} by the exact f32 scan whatever the index, without
   * touching access counts: the reference answer.
   *
   * @param query the query
   * @param k how many
   * @param outSlots receives slots
   * @param outScores receives scores
   * @return how many were written
   */
  public synchronized int recallExact(float[] query, int k, int[] outSlots, float[] outScores) {
    checkQuery(query, k, outSlots, outScores);
    normalise(query, qUnit);
    return index.topK(qUnit, k, outSlots, outScores);
  }

  /**
   * {@link #recall(float[], int, int[], float[])} returning snapshots (allocates).
   *
   * @param query the query
   * @param k how many
   * @return the recalled patterns, best first
   */
  public synchronized List<RecalledPattern> recall(float[] query, int k) {
    int n = recall(query, k, scratchSlots, scratchScores);
    List<RecalledPattern> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new RecalledPattern(pattern(scratchSlots[i]), scratchScores[i]));
    }
    return out;
  }

  /**
   * The pattern in {@code slot} (slots are {@code 0 .. patterns()-1}; an eviction may reuse one).
   *
   * @param slot the slot
   * @return a snapshot
   * @throws IndexOutOfBoundsException if no pattern is in that slot
   */
  public synchronized Pattern pattern(int slot) {
    java.util.Objects.checkIndex(slot, index.size());
    State st = states[slot];
    float[] c = new float[d];
    for (int j = 0; j < d; j++) {
      c[j] = (float) st.mean[j];
    }
    normalise(c, c);
    List<String> common = new ArrayList<>();
    st.tagCounts.forEach((tag, n) -> {
      if (2 * n >= st.traces && common.size() < MAX_TAGS) {
        common.add(tag);
      }
    });
    return new Pattern(st.id, c, List.copyOf(common), st.confidence(), st.traces, st.accessCount);
  }

  /**
   * Patterns held.
   *
   * @return their number
   */
  public synchronized int patterns() {
    return index.size();
  }

  /**
   * Traces waiting in the episodic buffer.
   *
   * @return their number
   */
  public synchronized int episodicSize() {
    return episodic.size();
  }

  /**
   * The f32 rows the last quantized recall re-ranked (0 without the Q8_0 index).
   *
   * @return the candidate count
   */
  public synchronized int lastCandidates() {
    return index.quantized() ? index.lastCandidates() : 0;
  }

  /**
   * Restores a pattern snapshot as it was (from the host's storage, or to build a large memory
   * for a benchmark): id, centroid (renormalised), traces, confidence, common tags and access
   * count. A pattern of this node's origin gets a sequence above every restored one. If memory is
   * full, the eviction rule makes room.
   *
   * @param p the snapshot; its traces must be {@code >= 1} and its confidence in [0, 1)
   * @return the slot it went to
   * @throws IllegalArgumentException if the dimension, traces or confidence are out of range, or a
   *     pattern with this id is already held
   */
  public synchronized int restore(Pattern p) {
    float[] c = p.centroid();
    if (c.length != d) {
      throw new IllegalArgumentException("centroid has length " + c.length + ", dimension " + d);
    }
    if (p.traces() < 1 || !(p.confidence() >= 0 && p.confidence() < 1) || p.accessCount() < 0) {
      throw new IllegalArgumentException("need traces >= 1, confidence in [0, 1), accessCount >= 0;"
          + " was traces=" + p.traces() + ", confidence=" + p.confidence() + ", accessCount=" + p.accessCount());
    }
    if (slotOf.containsKey(p.id())) {
      throw new IllegalArgumentException("pattern " + p.id() + " is already held");
    }
    State st = new State();
    st.id = p.id();
    st.traces = p.traces();
    st.qualitySum = p.confidence() * (p.traces() + 1);
    st.accessCount = p.accessCount();
    for (String tag : p.commonTags()) {
      checkTag(tag);
      st.tagCounts.put(tag, p.traces());
    }
    float[] unit = new float[d];
    normalise(c, unit);
    st.mean = new double[d];
    for (int j = 0; j < d; j++) {
      st.mean[j] = unit[j];
    }
    st.lastUpdate = ++updates;
    if (p.id().origin().equals(self)) {
      nextSequence = Math.max(nextSequence, p.id().sequence() + 1);
    }
    int slot = place(st, unit, Double.POSITIVE_INFINITY);
    index.set(slot, unit, (float) st.confidence());
    return slot;
  }

  /**
   * The patterns this node formed, most confident first (ties by sequence), as payloads of at
   * most {@value #MAX_PATTERNS_PER_MESSAGE}, to seal with {@code EnvelopeSender.encode(
   * SwarmMessageTypes.MEMORY_PATTERNS, payload)}.
   *
   * @param maxPatterns how many of them to share at most
   * @return the payloads
   */
  public synchronized List<byte[]> ownPayloads(int maxPatterns) {
    List<Integer> own = new ArrayList<>();
    for (int s = 0; s < index.size(); s++) {
      if (states[s].id.origin().equals(self)) {
        own.add(s);
      }
    }
    own.sort(Comparator.comparingDouble((Integer s) -> -states[s].confidence())
        .thenComparingLong(s -> states[s].id.sequence()));
    List<Integer> shared = own.subList(0, Math.min(own.size(), Math.max(0, maxPatterns)));
    List<byte[]> out = new ArrayList<>();
    for (int from = 0; from < shared.size(); from += MAX_PATTERNS_PER_MESSAGE) {
      List<PatternCodec.Record> records = new ArrayList<>();
      for (int s : shared.subList(from, Math.min(shared.size(), from + MAX_PATTERNS_PER_MESSAGE))) {
        Pattern p = pattern(s);
        records.add(new PatternCodec.Record(
            p.id().sequence(), p.traces(), states[s].qualitySum, p.commonTags(), p.centroid()));
      }
      out.add(PatternCodec.encode(d, records));
    }
    return out;
  }

  /**
   * Merges a verified envelope of a peer's patterns (its signer is their origin): each is stored
   * or replaces the held version if it has more traces. Validated whole before anything changes.
   *
   * @param envelope an envelope that passed an {@code EnvelopeDecoder}
   * @return how many patterns were stored or replaced
   * @throws SwarmProtocolException if the type, version, dimension, a count or a value is wrong;
   *     nothing changed then
   */
  public synchronized int merge(Envelope envelope) throws SwarmProtocolException {
    if (envelope.type() != SwarmMessageTypes.MEMORY_PATTERNS) {
      throw new SwarmProtocolException(
          SwarmProtocolException.Reason.WRONG_TYPE, "envelope type " + envelope.type());
    }
    NodeId origin = envelope.sender();
    if (origin.equals(self)) {
      return 0;
    }
    return mergeRecords(origin, envelope.payload());
  }

  /**
   * Restores patterns this node formed from one of its {@link #ownPayloads}, kept by the host
   * across a restart: each is stored (or replaces the held version if it has more traces) under
   * this node's origin, and new patterns get sequences above the restored ones, so their ids never
   * collide with those its peers already hold. Validated whole before anything changes.
   *
   * @param payload a payload this memory's {@link #ownPayloads} returned
   * @return how many patterns were stored or replaced
   * @throws SwarmProtocolException if the version, dimension, a count or a value is wrong; nothing
   *     changed then
   */
  public synchronized int restoreOwn(ByteBuffer payload) throws SwarmProtocolException {
    int changed = mergeRecords(self, payload);
    for (int s = 0; s < index.size(); s++) {
      if (states[s].id.origin().equals(self)) {
        nextSequence = Math.max(nextSequence, states[s].id.sequence() + 1);
      }
    }
    return changed;
  }

  private int mergeRecords(NodeId origin, ByteBuffer payload) throws SwarmProtocolException {
    List<PatternCodec.Record> records = PatternCodec.decode(
        payload, d, MAX_PATTERNS_PER_MESSAGE, MAX_TAGS, MAX_TAG_BYTES);
    int n = records.size();
    List<State> in = new ArrayList<>(n);
    List<float[]> units = new ArrayList<>(n);
    for (PatternCodec.Record rec : records) {
      State st = new State();
      st.id = new PatternId(origin, rec.sequence());
      st.traces = rec.traces();
      st.qualitySum = rec.qualitySum();
      for (String tag : rec.tags()) {
        st.tagCounts.put(tag, st.traces);
      }
      st.mean = new double[d];
      for (int j = 0; j < d; j++) {
        st.mean[j] = rec.centroid()[j];
      }
      in.add(st);
      units.add(rec.centroid());
    }
    int changed = 0;
    for (int i = 0; i < n; i++) {
      State st = in.get(i);
      st.lastUpdate = ++updates;
      Integer held = slotOf.get(st.id);
      if (held != null) {
        if (st.traces > states[held].traces) {
          st.accessCount = states[held].accessCount;
          states[held] = st;
          index.set(held, units.get(i), (float) st.confidence());
          changed++;
        }
        continue;
      }
      int slot = place(st, units.get(i), st.retention());
      if (slot >= 0) {
        index.set(slot, units.get(i), (float) st.confidence());
        changed++;
      }
    }
    return changed;
  }

  /** Builds a {@link CollectiveMemory}. Not thread-safe. */
  public static final class Builder {
    private final NodeId self;
    private final int dimension;
    private int maxPatterns = 10_000;
    private int episodicCapacity = 64;
    private double joinSimilarity = 0.9;
    private int maxK = 256;
    private boolean quantizedIndex;

    private Builder(NodeId self, int dimension) {
      this.self = self;
      this.dimension = dimension;
    }

    /**
     * The most patterns held.
     *
     * @param max {@code >= 1}
     * @return this builder
     */
    public Builder maxPatterns(int max) {
      this.maxPatterns = max;
      return this;
    }

    /**
     * How many traces the episodic buffer holds before it is consolidated.
     *
     * @param capacity {@code >= 1}
     * @return this builder
     */
    public Builder episodicCapacity(int capacity) {
      this.episodicCapacity = capacity;
      return this;
    }

    /**
     * The cosine at or above which a trace joins a pattern.
     *
     * @param similarity in [-1, 1]; above 1 every trace forms its own pattern
     * @return this builder
     */
    public Builder joinSimilarity(double similarity) {
      this.joinSimilarity = similarity;
      return this;
    }

    /**
     * The largest k a recall may ask for (sizes the preallocated buffers).
     *
     * @param maxK {@code >= 1}
     * @return this builder
     */
    public Builder maxK(int maxK) {
      this.maxK = maxK;
      return this;
    }

    /**
     * Whether to keep a Q8_0 copy of the centroids for a faster scan (same results).
     *
     * @param enabled whether to keep it
     * @return this builder
     */
    public Builder quantizedIndex(boolean enabled) {
      this.quantizedIndex = enabled;
      return this;
    }

    /**
     * The memory.
     *
     * @return a new empty memory
     * @throws IllegalArgumentException naming the first parameter out of range
     */
    public CollectiveMemory build() {
      if (dimension < 1 || dimension > MAX_DIMENSION) {
        throw new IllegalArgumentException("dimension must be in [1, " + MAX_DIMENSION + "], was " + dimension);
      }
      if (maxPatterns < 1 || episodicCapacity < 1 || maxK < 1) {
        throw new IllegalArgumentException("bounds must be >= 1: maxPatterns=" + maxPatterns
            + ", episodicCapacity=" + episodicCapacity + ", maxK=" + maxK);
      }
      if (!(joinSimilarity >= -1) || Double.isInfinite(joinSimilarity)) {
        throw new IllegalArgumentException("joinSimilarity must be finite and >= -1, was " + joinSimilarity);
      }
      return new CollectiveMemory(this);
    }
  }
}
