package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.vector.VectorKernels;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.io.LoraCodec;
import io.github.edgenet.lora.io.LoraCodecException;
import io.github.edgenet.lora.pool.AdapterPool;
import io.github.edgenet.swarm.node.EdgeNodeConfig;
import io.github.edgenet.swarm.node.RejectionReason;
import io.github.edgenet.swarm.node.TaskContext;
import io.github.edgenet.swarm.node.TaskEvent;
import io.github.edgenet.swarm.node.TaskExecutor;
import io.github.edgenet.swarm.node.TaskId;
import io.github.edgenet.swarm.node.internal.NodeEngine.Registered;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The provider side of the task protocol: answers requests with a sealed bid at its market-curve
 * quote ({@link SealedBids}), reveals it when shortlisted (or challenged by an adjudicator), runs
 * awards at no less than its ask with the adapter the pool selects for the task embedding, stores
 * each result with the digest of its inputs before sending it (so a repeated award is answered from
 * storage, never run twice) and notes the submitter's acknowledgement. Confined to its {@link
 * NodeEngine}'s lock, except the executors: an award's context is prepared on the lock, the
 * executor runs on the node's runner (inline on the simulator, a virtual thread otherwise), and
 * the result is stored and sent back on the lock; a repeated award while it runs is ignored.
 */
final class Provider {
  private static final System.Logger LOG = System.getLogger(Provider.class.getName());

  /** What the provider and the adjudicator need from their engine: signed sending, events, its lock. */
  interface Outbox {
    void send(NodeId to, int type, byte[] payload);

    void emit(TaskEvent.Step step, TaskId id, NodeId peer, String detail);

    /** Runs {@code r} holding the engine's lock, unless the engine has closed. */
    void locked(Runnable r);

    /** A run that was going off the lock has ended (called holding the engine's lock). */
    void runEnded();
  }

  private final EdgeNodeConfig config;
  private final Clock clock;
  private final NodeStore store;
  private final Map<String, Registered> executors;
  private final Seams seams;
  private final AdapterPool pool;
  private final RandomSource adapterRandom;
  private final MetricsRecorder metrics;
  private final Outbox out;
  private final NodeId self;
  private final SealedBids bids;
  private final Set<NodeId> adjudicators;
  private final Executor runner;
  /** Awards whose executor is running now, off the engine's lock. */
  private final Set<Run> running = new HashSet<>();
  /** Every adapter of the index by key, its embedding normalized: where an evicted one is found. */
  private final Map<String, float[]> stored = new HashMap<>();

  private record Run(TaskId id, int role) {}

  /** An award ready to run: its context, and whether its type learns from the result. */
  private record Prepared(TaskContext context, boolean learned) {}

  Provider(NodeIdentity identity, EdgeNodeConfig config, Clock clock, NodeStore store,
      Map<String, Registered> executors, Seams seams, AdapterPool pool,
      RandomSource adapterRandom, MetricsRecorder metrics, Set<NodeId> adjudicators, Outbox out,
      Executor runner) {
    this.runner = runner;
    this.self = identity.id();
    this.bids = new SealedBids(identity, store);
    this.adjudicators = Set.copyOf(adjudicators);
    this.config = config;
    this.clock = clock;
    this.store = store;
    this.executors = executors;
    this.seams = seams;
    this.pool = pool;
    this.adapterRandom = adapterRandom;
    this.metrics = metrics;
    this.out = out;
  }


  void onRequest(Envelope e) throws Wire.MalformedException {
    Messages.Request m = Messages.decodeRequest(e.payload());
    if (!m.id().submitter().equals(e.sender())) {
      metrics.reject(RejectionReason.SENDER_MISMATCH);
      return;
    }
    if (m.deadlineMillis() <= clock.epochMillis()) {
      metrics.reject(RejectionReason.EXPIRED);
      return;
    }
    if (!executors.containsKey(m.type())) {
      return; // not a task this node runs: no bid
    }
    SealedBids.Sealed s = bids.get(m.id());
    if (s == null) {
      OptionalLong price = seams.pricing().quote(m.type());
      if (price.isEmpty() || !seams.gate().offer(m.id(), m.type())) { // fully loaded, or not now
        long wait = Math.min(Messages.MAX_RETRY_AFTER_MILLIS,
            Math.max(config.offerWindowMillis(), seams.gate().retryAfterMillis(m.type())));
        out.send(e.sender(), Messages.BUSY, Messages.busy(new Messages.Busy(m.id(), wait)));
        return;
      }
      // The ask is the market curve's quote; economy's auction has no zero price.
      s = bids.seal(m.id(), m.type(), Math.max(1, price.getAsLong()), m.deadlineMillis(),
          clock.epochMillis());
    } else if (!s.type().equals(m.type())) {
      return; // the same task id with another type: the first bid stands, no new one
    }
    out.send(e.sender(), Messages.COMMIT, Messages.commit(new Messages.Commit(m.id(),
        s.commitment())));
  }

  void onShortlist(Envelope e) throws Wire.MalformedException {
    Messages.Shortlist m = Messages.decodeShortlist(e.payload());
    if (!m.id().submitter().equals(e.sender())) {
      metrics.reject(RejectionReason.SENDER_MISMATCH);
      return;
    }
    SealedBids.Sealed s = bids.get(m.id());
    for (Messages.Listed l : m.bidders()) {
      if (l.bidder().equals(self) && s != null && Arrays.equals(l.commitment(), s.commitment())) {
        reveal(e.sender(), m.id(), s);
        return;
      }
    }
    metrics.reject(RejectionReason.UNEXPECTED); // not listed, or listed with another commitment
  }

  /** An adjudicator asks this node to open a commitment it did not reveal to the submitter. */
  void onChallenge(Envelope e) throws Wire.MalformedException {
    Messages.Commit m = Messages.decodeChallenge(e.payload());
    if (!adjudicators.contains(e.sender())) {
      metrics.reject(RejectionReason.SENDER_MISMATCH);
      return;
    }
    SealedBids.Sealed s = bids.get(m.id());
    if (s == null || !Arrays.equals(s.commitment(), m.commitment())) {
      metrics.reject(RejectionReason.UNEXPECTED);
      return;
    }
    reveal(e.sender(), m.id(), s);
  }

  private void reveal(NodeId to, TaskId id, SealedBids.Sealed s) {
    out.send(to, Messages.REVEAL, Messages.reveal(new Messages.Reveal(id, s.bid().priceMicros(),
        s.bid().latencyMillis(), s.bid().qualityBps(), s.salt())));
  }

  void onAward(Envelope e) throws Wire.MalformedException {
    Messages.Award m =
        Messages.decodeAward(e.payload(), config.maxTaskPayloadBytes(), config.embeddingDimension());
    if (!m.id().submitter().equals(e.sender())) {
      metrics.reject(RejectionReason.SENDER_MISMATCH);
      return;
    }
    Optional<NodeStore.ExecutionRow> done = store.execution(m.id(), m.role());
    if (done.isPresent()) { // a repeated award: answer from storage, never run twice
      metrics.executionsFromStore++;
      byte[] inputs = done.get().inputs() != null ? done.get().inputs() : Messages.inputDigest(m);
      sendResult(e.sender(), m.id(), m.role(), done.get().status(), inputs, done.get().result());
      return;
    }
    if (m.deadlineMillis() <= clock.epochMillis()) {
      metrics.reject(RejectionReason.EXPIRED);
      return;
    }
    Registered reg = executors.get(m.type());
    SealedBids.Sealed bid = bids.get(m.id());
    if (reg == null || bid != null && !bid.type().equals(m.type())) {
      metrics.reject(RejectionReason.NOT_OFFERED);
      return;
    }
    // The winner checks the price: never below its own sealed ask (the second price is not lower
    // than the lowest). Without a remembered bid (a restart lost it), its current quote is its ask.
    OptionalLong quote = bid != null ? OptionalLong.of(bid.bid().priceMicros())
        : seams.pricing().quote(m.type());
    if (quote.isEmpty()) {
      metrics.reject(RejectionReason.NOT_OFFERED);
      return;
    }
    if (m.priceMicros() < Math.max(1, quote.getAsLong())) {
      metrics.reject(RejectionReason.BELOW_ASK);
      return;
    }
    Run key = new Run(m.id(), m.role());
    if (running.contains(key)) {
      return; // a repeated award while it runs: its result goes out when the run ends
    }
    if (!seams.gate().award(m.id(), m.type())) {
      return; // over its type's share of the node: the submitter moves on
    }
    Prepared run;
    try {
      run = prepare(m);
    } catch (RuntimeException ex) { // the adapter could not be chosen or stored
      seams.gate().finished(m.id(), m.type());
      throw ex;
    }
    running.add(key);
    NodeId submitter = e.sender();
    TaskExecutor executor = reg.executor();
    try {
      runner.execute(() -> {
        byte[] result;
        try {
          result = executor.execute(run.context());
        } catch (Exception ex) {
          LOG.log(Level.DEBUG, () -> "executor for " + m.type() + " failed on " + m.id(), ex);
          result = null;
        }
        byte[] got = result;
        out.locked(() -> finished(submitter, m, run, got)); // dropped if the node closed
      });
    } catch (RejectedExecutionException ex) { // the host's executor is full or shut down
      LOG.log(Level.WARNING, () -> "no thread to run " + m.id() + ": " + ex.getMessage());
      running.remove(key);
      seams.gate().finished(m.id(), m.type());
    }
  }

  /** How many executions are running now, off the engine's lock. */
  int running() {
    return running.size();
  }

  /** A run ended (on the engine's lock): store its result, learn from it, answer. */
  private void finished(NodeId submitter, Messages.Award m, Prepared run, byte[] result) {
    running.remove(new Run(m.id(), m.role()));
    out.runEnded();
    seams.gate().finished(m.id(), m.type());
    int status = Messages.OK;
    if (result == null || result.length > config.maxResultBytes()) {
      if (result != null) {
        LOG.log(Level.WARNING, () -> "executor for " + m.type() + " returned " + result.length
            + " bytes (over maxResultBytes)");
      }
      status = Messages.EXECUTOR_FAILED;
    } else if (run.learned()) {
      try {
        seams.learning().executed(m.type(), m.embedding(), m.payload());
      } catch (RuntimeException ex) { // learning must never fail the task
        LOG.log(Level.WARNING, "learning from " + m.id() + " failed; result kept", ex);
      }
    }
    byte[] stored = status == Messages.OK ? result : new byte[0];
    byte[] inputs = Messages.inputDigest(m);
    store.storeExecution(m.id(), m.role(), status, stored, inputs); // stored before it is sent
    metrics.executions++;
    seams.pricing().executed(m.type(), m.priceMicros());
    out.emit(TaskEvent.Step.EXECUTED, m.id(), submitter, status == Messages.OK ? "ok" : "failed");
    sendResult(submitter, m.id(), m.role(), status, inputs, stored);
  }

  /**
   * Runs an award again for an adjudicator, without storing or answering anything: the result, or
   * null if this node does not run the type or the executor fails.
   */
  byte[] reexecute(Messages.Award m) {
    Registered reg = executors.get(m.type());
    if (reg == null) {
      return null;
    }
    try {
      byte[] result = reg.executor().execute(prepare(m).context()); // on the engine's lock: rare
      return result == null || result.length > config.maxResultBytes() ? null : result;
    } catch (Exception ex) {
      LOG.log(Level.DEBUG, () -> "re-execution of " + m.type() + " for " + m.id() + " failed", ex);
      return null;
    }
  }

  /** Whether this node runs {@code type}. */
  boolean runs(String type) {
    return executors.containsKey(type);
  }

  /**
   * The context an award runs with (on the engine's lock): a learned type's frozen version, or the
   * adapter the pool routes the embedding to (a new one, stored, if none is close), and the
   * embedding passed through it. The executor gets copies of the arrays.
   */
  private Prepared prepare(Messages.Award m) {
    float[] embedding = m.embedding();
    AdapterLearning.Selected learned = seams.learning().select(m.type());
    String key;
    LoraAdapter adapter;
    if (learned != null) {
      key = learned.key();
      adapter = learned.adapter();
    } else {
      // a pool miss may still be in the index, evicted from the pool: the same adapter again
      AdapterPool.Route route = pool.route(embedding).or(() -> reload(embedding)).orElse(null);
      if (route != null) {
        key = route.key();
        adapter = route.adapter();
      } else {
        int dim = config.embeddingDimension();
        adapter = MicroLora.builder(dim, dim).rank(config.adapterRank()).random(adapterRandom)
            .build();
        key = store.insertAdapter(embedding, LoraCodec.encode(adapter));
        pool.put(key, embedding, adapter);
        stored.put(key, embedding.clone());
      }
    }
    float[] adapted = embedding.clone();
    adapter.forward(embedding, adapted);
    return new Prepared(new TaskContext(m.id(), m.type(), m.payload().clone(), embedding.clone(),
        adapted, key, adapter), learned != null);
  }

  private void sendResult(NodeId to, TaskId id, int role, int status, byte[] inputs,
      byte[] result) {
    out.send(to, Messages.RESULT, Messages.result(new Messages.Result(id, role, status, inputs,
        result)));
  }

  void onComplete(Envelope e) throws Wire.MalformedException {
    TaskId id = Messages.decodeComplete(e.payload());
    if (!id.submitter().equals(e.sender())) {
      metrics.reject(RejectionReason.SENDER_MISMATCH);
      return;
    }
    if (store.execution(id, Messages.PRIMARY).isEmpty()
        && store.execution(id, Messages.CROSS_CHECK).isEmpty()) {
      metrics.reject(RejectionReason.UNEXPECTED);
      return;
    }
    store.acknowledgeExecution(id);
  }

  void loadAdapters() {
    for (NodeStore.AdapterRow row : store.adapters()) {
      try {
        LoraAdapter adapter = LoraCodec.decode(row.codec());
        if (adapter.inputDim() == config.embeddingDimension()
            && row.embedding().length == config.embeddingDimension()) {
          pool.put(row.key(), row.embedding(), adapter);
          stored.put(row.key(), row.embedding());
        }
      } catch (LoraCodecException | RuntimeException ex) {
        LOG.log(Level.WARNING, "adapter " + row.key() + " in storage is unreadable; skipped", ex);
      }
    }
  }

  /**
   * A pool miss: the stored adapter closest to {@code embedding} that the pool evicted, if its
   * cosine reaches the pool's threshold; put back into the pool. A linear scan of the index, on
   * misses only.
   */
  private Optional<AdapterPool.Route> reload(float[] embedding) {
    Set<String> held = pool.keys();
    String best = null;
    double bestCos = config.adapterSimilarity();
    for (Map.Entry<String, float[]> e : stored.entrySet()) {
      if (held.contains(e.getKey())) {
        continue;
      }
      double cos = VectorKernels.cosine(embedding, e.getValue());
      boolean tie = cos == bestCos && (best == null || e.getKey().compareTo(best) < 0);
      if (cos > bestCos || tie) { // ties: the smaller key
        best = e.getKey();
        bestCos = cos;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    try {
      LoraAdapter adapter = LoraCodec.decode(store.adapterCodec(best).orElseThrow());
      pool.put(best, stored.get(best), adapter);
      return Optional.of(new AdapterPool.Route(best, adapter, (float) bestCos, false));
    } catch (LoraCodecException | RuntimeException ex) {
      LOG.log(Level.WARNING, "adapter " + best + " in storage is unreadable; not reloaded", ex);
      stored.remove(best);
      return Optional.empty();
    }
  }
}
