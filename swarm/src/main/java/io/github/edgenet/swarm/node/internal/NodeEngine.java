package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeException;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.identity.SignatureVerifier;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.core.net.sim.SimulatedNode;
import io.github.edgenet.lora.pool.AdapterPool;
import io.github.edgenet.swarm.node.EconomyConfig;
import io.github.edgenet.swarm.node.EconomyMetrics;
import io.github.edgenet.swarm.node.EdgeNodeConfig;
import io.github.edgenet.swarm.node.NodeMetrics;
import io.github.edgenet.swarm.node.RejectionReason;
import io.github.edgenet.swarm.node.ResultVerifier;
import io.github.edgenet.swarm.node.Task;
import io.github.edgenet.swarm.node.TaskEvent;
import io.github.edgenet.swarm.node.TaskExecutor;
import io.github.edgenet.swarm.node.TaskFailedException;
import io.github.edgenet.swarm.node.TaskFailedException.Reason;
import io.github.edgenet.swarm.node.TaskId;
import io.github.edgenet.swarm.node.TaskListener;
import io.github.edgenet.swarm.node.TaskRecord;
import io.github.edgenet.swarm.node.TaskState;
import io.github.edgenet.swarm.protocol.SwarmProtocolException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.HdrHistogram.Histogram;

/**
 * The task protocol of one node: an actor driven by its {@link PeerNetwork}'s callbacks and timers,
 * plus the host's calls. Submitter side ({@link Submitter}): request sealed bids, shortlist
 * ({@link CandidateSelector}), settle the auction ({@link TaskAuction}), award, retry, verify,
 * cross-check, complete. Provider side ({@link Provider}): announce, bid, reveal, run the award
 * with the pooled adapter, store the result, answer. Adjudicator ({@link Adjudicator}, if this
 * node is one): judge evidence, challenge, sign verdicts. Around them: the providers this node
 * heard of ({@link KnownPeers}) and its periodic announcements and shared state ({@link
 * NodeGossip}). Every message is a signed envelope; every payload is decoded with bounds; a
 * rejected message is counted and changes nothing else.
 *
 * <p>Thread-safe: every entry point holds this object's monitor. Futures are completed and
 * listeners called on the thread that holds it (the network's thread, or the host's in {@link
 * #submit} and {@link #close}).
 */
public final class NodeEngine implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(NodeEngine.class.getName());
  /** The longest single wait of {@link #drain}, nanoseconds. */
  private static final long DRAIN_STEP_NANOS = 50_000_000;

  /** An executor with the fixed price the host registered it at. */
  public record Registered(TaskExecutor executor, long priceMicros) {}

  private final NodeIdentity identity;
  private final NodeId self;
  private final PeerNetwork net;
  private final boolean ownsNetwork;
  private final Clock clock;
  private final EdgeNodeConfig config;
  private final NodeStore store;
  private final Map<String, Registered> executors;
  private final Map<String, ResultVerifier> verifiers;
  private final Seams seams;
  private final EnvelopeSender sender;
  private final EnvelopeDecoder decoder;
  private final AdapterPool pool;
  private final MetricsRecorder metrics = new MetricsRecorder();
  private final Provider provider;
  private final List<TaskListener> listeners = new CopyOnWriteArrayList<>();
  private final Submitter submitter;
  private final Adjudicator adjudicator;
  private final EconomyConfig economy;
  private final TreeMap<Long, Pending> pending;
  private final KnownPeers directory;
  private final NodeGossip gossip;
  private final EconomyReport economyReport;
  private boolean closed;
  private boolean draining; // closing: no new award runs, those in progress may finish

  /**
   * Builds and starts an engine: loads the adapter index, resumes unfinished submitted tasks,
   * starts listening and announcing.
   *
   * @param identity the node's keys
   * @param net its network endpoint ({@code net.localId()} must be the identity's id)
   * @param ownsNetwork whether {@link #close()} closes {@code net}
   * @param clock the node's clock (the network's, on the simulator)
   * @param random the node's seeded randomness
   * @param config the configuration
   * @param store the node's storage, owned from now on
   * @param executors executors by task type
   * @param verifiers verifiers by task type
   * @param seams where the other modules plug in
   * @param initialListeners listeners added before anything runs
   * @param economy the auction and adjudication settings
   * @param runner where executors run (the result comes back on this engine's lock)
   */
  public NodeEngine(NodeIdentity identity, PeerNetwork net, boolean ownsNetwork, Clock clock,
      RandomSource random, EdgeNodeConfig config, NodeStore store,
      Map<String, Registered> executors, Map<String, ResultVerifier> verifiers, Seams seams,
      List<TaskListener> initialListeners, EconomyConfig economy, Executor runner) {
    if (!net.localId().equals(identity.id())) {
      throw new IllegalArgumentException("network endpoint " + net.localId()
          + " is not the identity's node " + identity.id());
    }
    this.identity = identity;
    this.self = identity.id();
    this.net = net;
    this.ownsNetwork = ownsNetwork;
    this.clock = clock;
    this.config = config;
    this.store = store;
    this.executors = Map.copyOf(executors);
    this.verifiers = Map.copyOf(verifiers);
    this.seams = seams;
    this.listeners.addAll(initialListeners);
    this.sender = EnvelopeSender.create(identity, clock);
    this.decoder = EnvelopeDecoder.create(clock, config.envelopeLimits(),
        SignatureVerifier.create(Math.min(4096, config.envelopeLimits().maxTrackedPeers())));
    this.pool = AdapterPool.builder(config.embeddingDimension())
        .maximumBytes(config.adapterPoolBytes())
        .similarityThreshold(config.adapterSimilarity())
        .clock(clock)
        .build();
    this.economy = economy;
    this.directory = new KnownPeers(self, net, clock, random, config);
    Provider.Outbox outbox = new Provider.Outbox() {
      @Override
      public void send(NodeId to, int type, byte[] payload) {
        NodeEngine.this.send(to, type, payload);
      }

      @Override
      public void emit(TaskEvent.Step step, TaskId id, NodeId peer, String detail) {
        NodeEngine.this.emit(step, id, peer, detail);
      }

      @Override
      public void locked(Runnable r) {
        synchronized (NodeEngine.this) {
          if (!closed) {
            r.run();
          }
        }
      }

      @Override
      public void runEnded() {
        NodeEngine.this.notifyAll(); // drain() waits for this; called holding the lock
      }
    };
    this.gossip = new NodeGossip(net, random, config, this.executors.keySet(), seams, directory,
        sender, metrics, outbox, store);
    this.provider = new Provider(identity, config, clock, store, this.executors, seams, pool,
        random.derive("adapters"), metrics, economy.adjudicators(), outbox, runner);
    this.submitter = new Submitter(this, self, net, clock, random, config, store, seams, metrics,
        this.verifiers, economy);
    this.adjudicator = economy.adjudicators().contains(self) ? new Adjudicator(clock, net, config,
        economy, provider, seams.misbehaviour(), metrics, outbox) : null;
    this.pending = submitter.pending;
    this.economyReport = new EconomyReport(self, !this.executors.isEmpty(), seams.settlement());
    seams.learning().attach((type, limit) -> { // called without the learning's lock held
      synchronized (this) {
        return directory.knownProviders(type, limit);
      }
    });
    synchronized (this) {
      provider.loadAdapters();
      for (NodeStore.PendingRow row : store.pendingSubmitted()) {
        Pending p = new Pending(new TaskId(self, row.number()), row.task(), row.deadlineMillis(),
            clock.nanos());
        pending.put(row.number(), p);
        metrics.enter(TaskState.REQUESTING);
      }
      net.onMessage(this::onFrame);
      if (net instanceof SimulatedNode sim) {
        sim.onRestart(this::onRestart);
      } else if (net instanceof ProtocolMux.Channel channel) {
        channel.onRestart(this::onRestart); // the endpoint is shared with the ledger's replicator
      }
      gossip.restore();
      gossip.start();
      for (Pending p : List.copyOf(pending.values())) {
        submitter.begin(p);
      }
    }
  }

  // --- host side -------------------------------------------------------------------------------

  /** This node's id. */
  public NodeId id() {
    return self;
  }

  /** The network endpoint. */
  public PeerNetwork network() {
    return net;
  }

  /** See {@code EdgeNode.submit}. */
  public synchronized CompletableFuture<byte[]> submit(Task task) {
    if (task.embedding().length != config.embeddingDimension()) {
      throw new IllegalArgumentException("task embedding must have " + config.embeddingDimension()
          + " floats (the configured embeddingDimension), had " + task.embedding().length);
    }
    if (task.payloadLength() > config.maxTaskPayloadBytes()) {
      throw new IllegalArgumentException("task payload must be at most "
          + config.maxTaskPayloadBytes() + " bytes (maxTaskPayloadBytes), was "
          + task.payloadLength());
    }
    if (closed) {
      return CompletableFuture.failedFuture(
          new TaskFailedException(null, Reason.NODE_CLOSED, "the node is closed"));
    }
    if (pending.size() >= config.maxPendingTasks()) {
      return CompletableFuture.failedFuture(new TaskFailedException(null, Reason.REJECTED,
          pending.size() + " tasks pending, the limit (maxPendingTasks)"));
    }
    long deadlineMillis = Math.addExact(clock.epochMillis(), task.deadline().toMillis());
    long number = store.insertSubmitted(task, deadlineMillis);
    Pending p = new Pending(new TaskId(self, number), task, deadlineMillis, clock.nanos());
    pending.put(number, p);
    metrics.enter(TaskState.REQUESTING);
    emit(TaskEvent.Step.SUBMITTED, p.id, self, task.type());
    submitter.begin(p);
    return p.future.copy();
  }

  /** The future of a task still pending here (for tasks resumed after a restart). */
  public synchronized Optional<CompletableFuture<byte[]>> await(TaskId id) {
    if (!id.submitter().equals(self)) {
      return Optional.empty();
    }
    Pending p = pending.get(id.number());
    return p == null ? Optional.empty() : Optional.of(p.future.copy());
  }

  /** The stored record of a task this node submitted. */
  public synchronized Optional<TaskRecord> task(TaskId id) {
    if (!id.submitter().equals(self) || closed) {
      return Optional.empty();
    }
    return store.submitted(self, id.number());
  }

  /** Adds a listener. */
  public void addListener(TaskListener listener) {
    listeners.add(listener);
  }

  /** Removes a listener; whether it was there. */
  public boolean removeListener(TaskListener listener) {
    return listeners.remove(listener);
  }

  /** A snapshot of the counters. */
  public synchronized NodeMetrics metrics() {
    AdapterPool.Stats s = pool.stats();
    EconomyMetrics economyMetrics = economyReport.snapshot(submitter.economyStats, adjudicator,
        directory.providers(), closed);
    return metrics.snapshot(s.hits(), s.misses(), directory.size(), seams.gate().admitted(),
        seams.gate().declined(), seams.learning().metrics(), economyMetrics);
  }

  /** A copy of the latency histogram, in nanoseconds (for reports over many nodes). */
  public synchronized Histogram latencyHistogram() {
    return metrics.latencyHistogram();
  }

  /** The seams this engine runs with. */
  public Seams seams() {
    return seams;
  }

  /** Whether {@link #close()} was called. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /**
   * The first half of a graceful stop: no new award runs, and this waits (without the lock) until
   * the executions in progress on other threads have stored and sent their results, or {@code max}
   * has passed. Call {@link #close()} next.
   *
   * @param max how long to wait at most
   * @throws InterruptedException if interrupted while waiting
   */
  public synchronized void drain(Duration max) throws InterruptedException {
    draining = true;
    long maxNanos = max.toNanos();
    long end = clock.nanos() + maxNanos;
    // The node's clock bounds the wait; on a virtual clock, which stands still while nothing is
    // simulated, the number of waits does: each is at most DRAIN_STEP, and besides the timeouts
    // only the end of a run in progress (at most one wake-up each) wakes this.
    long waits = maxNanos / DRAIN_STEP_NANOS + 1 + provider.running();
    while (!closed && provider.running() > 0 && waits-- > 0) {
      long left = end - clock.nanos();
      if (left <= 0) {
        return;
      }
      wait(Math.max(1, Math.min(left, DRAIN_STEP_NANOS) / 1_000_000));
    }
  }

  /**
   * Fails every pending task with {@code NODE_CLOSED} (stored, so a restart does not resume them),
   * stops the timers, closes the network endpoint if owned and the storage. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    for (Pending p : List.copyOf(pending.values())) {
      submitter.fail(p, Reason.NODE_CLOSED, "the node was closed");
    }
    closed = true;
    gossip.stop();
    net.onMessage((from, frame) -> { });
    if (ownsNetwork) {
      net.close();
    }
    store.close();
  }

  // --- restarts and peers ----------------------------------------------------------------------

  /** The simulator restarted this node after a crash: its timers are gone, re-arm them. */
  private synchronized void onRestart() {
    if (closed) {
      return;
    }
    gossip.start();
    for (Pending p : List.copyOf(pending.values())) {
      p.phaseTimer = null;
      p.deadlineTimer = null;
      if (!submitter.armDeadline(p)) {
        continue;
      }
      if (p.state == TaskState.AWARDED && p.current != null) {
        p.attempts = 0;
        submitter.sendAward(p);
      } else if (!submitter.resumeRound(p)) {
        submitter.requestRound(p);
      }
    }
  }

  List<NodeId> knownProviders(String type, int limit) {
    return directory.knownProviders(type, limit);
  }

  /** Up to {@code count} distinct members of the view, not this node and not in {@code except}. */
  List<NodeId> randomPeers(int count, Set<NodeId> except) {
    return directory.randomPeers(count, except);
  }

  // --- the wire ---------------------------------------------------------------------------------

  private synchronized void onFrame(NodeId from, byte[] frame) {
    if (closed) {
      return;
    }
    metrics.in(frame.length);
    Envelope e;
    try {
      e = decoder.decode(frame);
    } catch (EnvelopeException ex) {
      metrics.reject(RejectionReason.of(ex.reason()));
      return;
    }
    try {
      switch (e.type()) {
        case Messages.ANNOUNCE -> directory.onAnnounce(e);
        case Messages.REQUEST -> provider.onRequest(e);
        case Messages.COMMIT -> submitter.onCommit(e, frame);
        case Messages.SHORTLIST -> provider.onShortlist(e);
        case Messages.REVEAL -> onReveal(e, frame);
        case Messages.AWARD -> {
          if (!draining) { // closing: the submitter gives the award to another node
            provider.onAward(e);
          }
        }
        case Messages.RESULT -> submitter.onResult(e, frame);
        case Messages.COMPLETE -> provider.onComplete(e);
        case Messages.CHALLENGE -> provider.onChallenge(e);
        case Messages.BUSY -> submitter.onBusy(e);
        case Messages.EVIDENCE -> {
          if (adjudicator == null) {
            metrics.reject(RejectionReason.UNEXPECTED); // this node judges nothing
          } else {
            adjudicator.onEvidence(e);
          }
        }
        default -> gossip.onShared(e);
      }
    } catch (SwarmProtocolException ex) {
      metrics.reject(RejectionReason.MALFORMED_PAYLOAD);
      LOG.log(Level.DEBUG, () -> "malformed shared state from " + e.sender() + ": "
          + ex.getMessage());
    } catch (Wire.MalformedException ex) {
      metrics.reject(RejectionReason.MALFORMED_PAYLOAD);
      LOG.log(Level.DEBUG, () -> "malformed payload from " + e.sender() + ": " + ex.getMessage());
    }
  }

  /** A reveal answers this node's auction, or one of its challenges as an adjudicator. */
  private void onReveal(Envelope e, byte[] frame) throws Wire.MalformedException {
    Messages.Reveal m = Messages.decodeReveal(e.payload());
    if (m.id().submitter().equals(self)) {
      submitter.onReveal(e, m, frame);
    } else if (adjudicator != null) {
      adjudicator.onReveal(e, m);
    } else {
      metrics.reject(RejectionReason.UNEXPECTED);
    }
  }

  /**
   * Sends misbehaviour evidence to the network's adjudicators (judged here at once if this node
   * is one). Evidence too large for one message is not sent (logged).
   */
  void accuse(Evidence ev) {
    if (economy.adjudicators().isEmpty()) {
      return;
    }
    Messages.EvidenceMessage m = new Messages.EvidenceMessage(ev.kind().ordinal(), ev.task(),
        ev.accused(), ev.contextFrame(), ev.accusedFrame());
    byte[] payload = Messages.evidence(m);
    if (payload.length > config.envelopeLimits().maxPayloadBytes()
        || EnvelopeSender.frameLength(payload.length) > net.maxMessageBytes()) {
      LOG.log(Level.WARNING, () -> "evidence of " + payload.length + " bytes against "
          + ev.accused() + " is too large to send to the adjudicators");
      return;
    }
    for (NodeId judge : economy.adjudicators()) {
      if (judge.equals(self)) {
        adjudicator.judge(m);
      } else {
        send(judge, Messages.EVIDENCE, payload);
      }
    }
  }

  /** A signed frame of this node that is not sent (the context of evidence). */
  byte[] sign(int type, byte[] payload) {
    return sender.encode(type, payload);
  }

  /** Whether the node is closed; for callers that hold the monitor. */
  boolean closedUnlocked() {
    return closed;
  }

  /** Whether this node has an executor for {@code type}. */
  boolean runsType(String type) {
    return executors.containsKey(type);
  }

  void send(NodeId to, int type, byte[] payload) {
    byte[] frame = sender.encode(type, payload);
    metrics.out(frame.length);
    net.send(to, frame);
  }

  void emit(TaskEvent.Step step, TaskId id, NodeId peer, String detail) {
    if (listeners.isEmpty()) {
      return;
    }
    TaskEvent event = new TaskEvent(step, id, peer, clock.nanos(), detail);
    for (TaskListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "task listener threw; ignored", ex);
      }
    }
  }

  @Override
  public String toString() {
    return "NodeEngine[" + self + ", " + pending.size() + " pending]";
  }

  /** The identity (for the facade). */
  NodeIdentity identity() {
    return identity;
  }
}
