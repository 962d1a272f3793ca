package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.Cancellable;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.economy.governance.GovernorSettings;
import io.github.edgenet.economy.ledger.AccountView;
import io.github.edgenet.economy.ledger.ChainHead;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Offense;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationId;
import io.github.edgenet.economy.replication.LedgerReplicator;
import io.github.edgenet.economy.store.Durability;
import io.github.edgenet.economy.store.StorageException;
import io.github.edgenet.swarm.node.EconomyConfig;
import io.github.edgenet.swarm.node.LedgerStatus;
import io.github.edgenet.swarm.node.TaskId;
import io.github.edgenet.swarm.node.TaskRecord;
import io.github.edgenet.swarm.node.TaskState;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@link Settlement} and {@link MisbehaviourSink} on economy's replicated ledger. The node holds a
 * {@link Ledger} (in-memory SQLite, or {@value Ledger#FILE_NAME} in its storage directory) kept in
 * step with its peers by a {@link LedgerReplicator} on its own {@link ProtocolMux} channel.
 *
 * <ul>
 *   <li><b>Genesis.</b> Every node of a network configures the same genesis map (node id to
 *       micro-units). Its keys are the ledger's mint authorities; a node listed there mints its
 *       amount once, as the first operation of its own chain, when its chain is empty.
 *   <li><b>Escrow</b>: the submitter signs an {@code EscrowLock} naming the provider as worker,
 *       the price, and a 32-byte task reference ({@link #taskReference}); refundable from the
 *       lock's own time, because the engine refunds as soon as it gives up on a provider.
 *   <li><b>Release</b>: {@code EscrowVest} of that lock, a vesting grant with the configured cliff
 *       and duration; the provider's replicator claims what has vested every {@code
 *       vestingClaimInterval}. <b>Refund</b>: {@code EscrowRefund} of that lock, after a {@code
 *       TaskFailed} report when the provider failed the task (its reputation's failure record).
 *   <li><b>Stake</b>: a provider keeps {@code stakeMicros} bonded, topped up from its balance.
 *   <li><b>Claw-back</b>: when an adjudicator's slash proves an audited, paid result wrong, the
 *       submitter signs {@code VestClawBack}: the unvested part of that task's reward returns.
 *   <li><b>Reputation</b>: {@link #reputation} folds the ledger's work records.
 *   <li><b>Misbehaviour</b>: the evidence is kept in an {@link EvidenceLog} and published as an
 *       {@code Application} operation of kind {@value #EVIDENCE_APP_KIND}: the evidence kind, the
 *       task reference, the accused and SHA-256 digests of its signed frame and of the witnesses'
 *       frames. It is a replicated, signed accusation every node can fold; it is not a slash.
 *   <li><b>Verdicts</b> ({@link #slash}): on an adjudicator's node, a {@code Slash} signed by it
 *       (the ledger's {@code adjudicators} are the network's), which every node's ledger applies.
 * </ul>
 *
 * <p>A refused operation (insufficient balance, for example) is logged and counted in {@link
 * #refusals()}; the task flow goes on, since the {@link Settlement} seam cannot refuse an award.
 *
 * <p><b>Restarts.</b> With a storage directory the ledger survives the node. At start the node
 * claims payments that reached it before it stopped and collects the locks of its earlier run that
 * are still open. {@link #settleEnded} settles those of tasks whose end was stored before the stop
 * (the store commits a task's end before the ledger's release or refund, so a stop in between
 * leaves a lock open): a completed task's lock for the recorded provider and price is paid, every
 * other is refunded. A task resumed after the restart reuses the earlier run's lock for the same
 * provider and price at its next award and refunds its other locks; one that ends without another
 * award has them refunded by {@link #ended}.
 *
 * <p>Thread-safe: every method takes this object's lock; the ledger and the replicator have their
 * own and never call back into this one.
 */
public final class LedgerSettlement implements Settlement, MisbehaviourSink, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LedgerSettlement.class.getName());
  /** The {@code Application} kind of published misbehaviour evidence. */
  public static final int EVIDENCE_APP_KIND = 0x5310;
  /** The envelope types the replicator uses (its channel on the shared endpoint). */
  public static final int FIRST_TYPE = 0x4C00;
  /** The last envelope type of the replicator's channel. */
  public static final int LAST_TYPE = 0x4CFF;

  private record Key(TaskId task, NodeId provider) {}

  /** How often stake is topped up and slashes are looked for, milliseconds. */
  static final long TICK_MILLIS = 1_000;

  private final NodeIdentity identity;
  private final PeerNetwork channel;
  private final Clock clock;
  private final RandomSource random;
  private final Ledger ledger;
  private final EvidenceLog evidence = new EvidenceLog(256);
  private final Map<Key, OperationId> locks = new HashMap<>();
  /** Open locks of an earlier run of this node, by hex task reference (restored nodes only). */
  private final Map<String, Map<OperationId, OperationBody.EscrowLock>> earlier = new HashMap<>();
  private final EconomyConfig economy;
  private final LedgerUpkeep upkeep;
  private Cancellable tickTimer;
  private volatile LedgerReplicator replicator;
  private long refusals;
  private boolean closed;
  private long slashCount;
  private int slashScanSize = -1;

  /**
   * Opens the node's ledger, starts replicating it on {@code channel} and mints this node's genesis
   * amount if it has one and its chain is empty.
   *
   * @param identity the node's keys (signs its operations and envelopes)
   * @param channel the replicator's channel of the node's endpoint
   * @param clock the node's clock
   * @param random the node's randomness (anti-entropy peers)
   * @param genesis the network's genesis mints, node id to micro-units ({@code > 0}), identical on
   *     every node
   * @param economy the network's adjudicators (whose verdicts slash), vesting schedule, stake and
   *     reputation settings (identical on every node)
   * @param provider whether this node runs tasks (a provider keeps its stake topped up)
   * @param storage the node's storage directory, or null for an in-memory ledger
   * @param governance the network's governance settings (identical on every node), or null for
   *     none
   * @return the settlement
   * @throws StorageException if the ledger file cannot be opened
   * @throws IllegalArgumentException if a genesis amount is not positive
   */
  public static LedgerSettlement start(NodeIdentity identity, PeerNetwork channel, Clock clock,
      RandomSource random, Map<NodeId, Long> genesis, EconomyConfig economy, boolean provider,
      Path storage, GovernorSettings governance) throws StorageException {
    Map<NodeId, Long> mints = new TreeMap<>(genesis);
    mints.forEach((id, amount) -> {
      if (amount == null || amount <= 0) {
        throw new IllegalArgumentException("genesis amount of " + id + " must be > 0, was "
            + amount);
      }
    });
    LedgerConfig.Builder lc = LedgerConfig.builder(mints.keySet())
        .adjudicators(economy.adjudicators());
    if (governance != null) {
      lc.governance(governance);
    }
    LedgerConfig config = lc.build();
    Ledger ledger = storage == null ? Ledger.inMemory(config, clock)
        : Ledger.open(config, storage, Durability.NORMAL, clock);
    LedgerSettlement s =
        new LedgerSettlement(identity, channel, clock, random, ledger, economy, provider);
    if (channel instanceof ProtocolMux.Channel c) {
      c.onRestart(s::onRestart);
    }
    Long mine = mints.get(identity.id());
    if (ledger.head(identity.id()) != null) {
      s.collectEarlierLocks();
      s.claimUnclaimed(); // payments that arrived before the node stopped
    } else if (mine != null) {
      s.append(new OperationBody.Mint(mine));
    }
    s.tick(); // stakes at once if it can
    return s;
  }

  private LedgerSettlement(NodeIdentity identity, PeerNetwork channel, Clock clock,
      RandomSource random, Ledger ledger, EconomyConfig economy, boolean provider) {
    this.identity = Objects.requireNonNull(identity, "identity");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.ledger = ledger;
    this.economy = economy;
    this.upkeep = new LedgerUpkeep(identity.id(), clock, ledger, economy, provider, this::append);
    this.replicator = newReplicator();
    scheduleTick();
  }

  private LedgerReplicator newReplicator() {
    LedgerReplicator r = LedgerReplicator.builder(ledger, identity, channel, clock, random)
        .autoReceive(true)
        .autoClaimVesting(Duration.ofMillis(economy.vestingClaimIntervalMillis()))
        .antiEntropyInterval(Duration.ofSeconds(1))
        .autoSeal(true) // seals after a governance deadline passes, so outcomes close
        .build();
    r.start();
    return r;
  }

  private void scheduleTick() {
    tickTimer = channel.schedule(Duration.ofMillis(TICK_MILLIS), () -> {
      synchronized (this) {
        if (!closed) {
          tick();
          scheduleTick();
        }
      }
    });
  }

  /** Stake top-up and claw-backs ({@link LedgerUpkeep}). */
  private synchronized void tick() {
    if (!closed) {
      upkeep.tick();
    }
  }

  /**
   * The simulator restarted the node: the replicator's timers and this object's are gone, so start
   * a new replicator and re-arm.
   */
  private synchronized void onRestart() {
    if (closed) {
      return;
    }
    replicator.close();
    replicator = newReplicator();
    scheduleTick();
  }

  /**
   * The 32-byte reference of a task in its escrow: SHA-256 over a domain tag, the submitter's id
   * and the task number.
   *
   * @param task the task
   * @return 32 bytes
   */
  public static byte[] taskReference(TaskId task) {
    MessageDigest md = sha256();
    md.update("edgenet.task.v1".getBytes(StandardCharsets.US_ASCII));
    md.update(task.submitter().toBytes());
    md.update(ByteBuffer.allocate(Long.BYTES).putLong(task.number()).array());
    return md.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Appends one of this node's own operations through the replicator (for the governance facade).
   *
   * @param body the operation
   * @return the stored operation
   * @throws LedgerException if the ledger refuses it (nothing changed)
   */
  public Operation appendOwn(OperationBody body) throws LedgerException {
    if (closed) {
      throw new IllegalStateException("the node is closed");
    }
    return replicator.append(body);
  }

  private Operation append(OperationBody body) {
    try {
      return replicator.append(body);
    } catch (LedgerException e) {
      refusals++;
      LOG.log(Level.WARNING, () -> identity.id() + ": the ledger refused " + body + ": "
          + e.getMessage());
      return null;
    }
  }

  private synchronized void claimUnclaimed() {
    for (OperationId source : ledger.unclaimed(identity.id())) {
      append(new OperationBody.Receive(source));
    }
  }

  @Override
  public synchronized void escrow(TaskId task, NodeId provider, long priceMicros) {
    if (closed || priceMicros <= 0) {
      return; // nothing to hold: a free task
    }
    if (!earlier.isEmpty() && settleEarlierRun(task, provider, priceMicros)) {
      return;
    }
    Operation lock = append(new OperationBody.EscrowLock(provider, priceMicros,
        clock.epochMillis(), taskReference(task)));
    if (lock != null) {
      locks.put(new Key(task, provider), lock.id());
    }
  }

  @Override
  public synchronized void release(TaskId task, NodeId provider, long priceMicros) {
    OperationId lock = closed ? null : lockOf(task, provider);
    if (lock == null) {
      return;
    }
    vest(task, provider, lock);
  }

  private void vest(TaskId task, NodeId provider, OperationId lock) {
    Operation vest = append(new OperationBody.EscrowVest(lock, economy.vestingCliffMillis(),
        economy.vestingDurationMillis()));
    if (vest != null) {
      upkeep.granted(task, provider, vest.id()); // the provider's replicator claims as it vests
    }
  }

  /**
   * The provider failed the task (its executor failed, or its result was wrong): the signed
   * failure report that lowers its reputation by the escrow's value, then the refund.
   */
  @Override
  public synchronized void failed(TaskId task, NodeId provider, long priceMicros) {
    OperationId lock = closed ? null : lockOf(task, provider);
    if (lock != null) {
      append(new OperationBody.TaskFailed(lock, provider));
      append(new OperationBody.EscrowRefund(lock));
    }
  }

  @Override
  public synchronized void refund(TaskId task, NodeId provider, long priceMicros) {
    OperationId lock = closed ? null : lockOf(task, provider);
    if (lock != null) {
      append(new OperationBody.EscrowRefund(lock));
    }
  }

  /**
   * A task ended (completed or failed) after a restart: the locks of the earlier run that are still
   * open for it are refunded (this run's own were settled by {@link #release}, {@link #refund} or
   * {@link #failed}).
   */
  @Override
  public synchronized void ended(TaskId task) {
    if (closed || earlier.isEmpty()) {
      return;
    }
    Map<OperationId, OperationBody.EscrowLock> open = earlier.remove(hexReference(task));
    if (open != null) {
      open.keySet().forEach(lock -> append(new OperationBody.EscrowRefund(lock)));
    }
  }

  /**
   * Settles the earlier run's open locks of tasks whose end was stored before the node stopped:
   * for a completed task the lock for its recorded provider and price is paid as a vesting grant,
   * every other lock is refunded. Call once at start, before resumed tasks run.
   *
   * @param endedTasks the tasks this node submitted whose completion or failure is stored
   */
  public synchronized void settleEnded(Iterable<TaskRecord> endedTasks) {
    for (TaskRecord t : endedTasks) {
      if (closed || earlier.isEmpty()) {
        return;
      }
      Map<OperationId, OperationBody.EscrowLock> open = earlier.remove(hexReference(t.id()));
      if (open == null) {
        continue;
      }
      OperationId paid = null;
      if (t.state() == TaskState.COMPLETED && t.provider().isPresent()) {
        for (Map.Entry<OperationId, OperationBody.EscrowLock> e : open.entrySet()) {
          if (e.getValue().worker().equals(t.provider().get())
              && e.getValue().amount() == t.priceMicros()) {
            paid = e.getKey();
            break;
          }
        }
      }
      for (OperationId lock : open.keySet()) {
        if (!lock.equals(paid)) {
          append(new OperationBody.EscrowRefund(lock));
        }
      }
      if (paid != null) {
        vest(t.id(), t.provider().get(), paid);
      }
    }
  }

  /** Whether locks of an earlier run are still open (then {@link #settleEnded} has work). */
  public synchronized boolean hasEarlierLocks() {
    return !earlier.isEmpty();
  }

  /** The open locks on this node's chain at start: all of an earlier run. */
  private void collectEarlierLocks() {
    Map<OperationId, OperationBody.EscrowLock> open = new LinkedHashMap<>();
    for (Operation op : ledger.operations(identity.id(), 0, Integer.MAX_VALUE)) {
      switch (op.body()) {
        case OperationBody.EscrowLock l -> open.put(op.id(), l);
        case OperationBody.EscrowRelease r -> open.remove(r.escrow());
        case OperationBody.EscrowVest v -> open.remove(v.escrow());
        case OperationBody.EscrowRefund f -> open.remove(f.escrow());
        default -> { }
      }
    }
    open.forEach((id, l) -> earlier.computeIfAbsent(HexFormat.of().formatHex(l.task()),
        k -> new LinkedHashMap<>()).put(id, l));
  }

  /**
   * A task resumed after a restart may hold locks of the earlier run, which the engine no longer
   * knows: the one for this provider at this price is reused, the others are refunded.
   *
   * @return whether a lock was reused
   */
  private boolean settleEarlierRun(TaskId task, NodeId provider, long priceMicros) {
    Map<OperationId, OperationBody.EscrowLock> open = earlier.remove(hexReference(task));
    if (open == null) {
      return false;
    }
    boolean reused = false;
    for (Map.Entry<OperationId, OperationBody.EscrowLock> e : open.entrySet()) {
      OperationBody.EscrowLock l = e.getValue();
      if (!reused && l.worker().equals(provider) && l.amount() == priceMicros) {
        locks.put(new Key(task, provider), e.getKey());
        reused = true;
      } else {
        append(new OperationBody.EscrowRefund(e.getKey()));
      }
    }
    return reused;
  }

  /** The lock of (task, provider) this run holds. */
  private OperationId lockOf(TaskId task, NodeId provider) {
    return locks.remove(new Key(task, provider));
  }

  private static String hexReference(TaskId task) {
    return HexFormat.of().formatHex(taskReference(task));
  }

  @Override
  public synchronized void record(Evidence e) {
    evidence.record(e);
    if (closed) {
      return;
    }
    MessageDigest witnesses = sha256();
    for (byte[] f : e.witnessFrames()) {
      witnesses.update(sha256().digest(f));
    }
    byte[] data = ByteBuffer.allocate(1 + 32 + 32 + 32 + 32)
        .put((byte) e.kind().ordinal())
        .put(taskReference(e.task()))
        .put(e.accused().toBytes())
        .put(sha256().digest(e.accusedFrame()))
        .put(witnesses.digest())
        .array();
    append(new OperationBody.Application(EVIDENCE_APP_KIND, data));
  }

  /**
   * Signs this node's verdict and appends the {@code Slash}: the offender's stake loses the
   * offense's rate on every node once the operation has spread. This node must be one of the
   * ledger's adjudicators.
   */
  @Override
  public synchronized boolean slash(NodeId offender, Offense offense, byte[] evidence) {
    if (closed) {
      return false;
    }
    ChainHead head = ledger.head(offender);
    if (head == null) {
      LOG.log(Level.INFO, () -> identity.id() + ": " + offender + " has no ledger account to slash"
          + " for " + offense);
      return false;
    }
    byte[] verdict = identity.sign(OperationBody.Slash.statement(offender, offense, evidence));
    Operation op = append(new OperationBody.Slash(offender, head.head(), offense, identity.id(),
        evidence, verdict));
    return op != null;
  }

  @Override
  public synchronized void clawBackIfSlashed(TaskId task, NodeId provider, byte[] evidence) {
    if (!closed) {
      upkeep.watch(task, provider, evidence);
    }
  }

  /**
   * {@code node}'s reputation now, folded from the ledger (the same on every node holding the
   * same operations): in [0, 1), 0 for a node that is not staked or has no record.
   */
  public synchronized double reputation(NodeId node) {
    return closed ? 0 : upkeep.reputation(node);
  }

  /** This node's bonded stake, micro-units. */
  public synchronized long stake() {
    return closed ? 0 : ledger.account(identity.id()).stake();
  }

  /** Granted, claimed and clawed-back micro-units of the vesting grants paying this node. */
  public synchronized long[] vesting() {
    return closed ? new long[3] : upkeep.vesting();
  }

  /** Claw-backs this node signed as a funder. */
  public synchronized long clawBacks() {
    return upkeep.clawBacks;
  }

  /** Slash operations on the ledger and the stake they took, network-wide (cached by size). */
  public synchronized long[] slashStats() {
    if (closed) {
      return new long[] {slashCount, 0};
    }
    int size = ledger.size();
    if (size != slashScanSize) {
      long n = 0;
      for (Operation op : ledger.effectiveOperations()) {
        n += op.body() instanceof OperationBody.Slash ? 1 : 0;
      }
      slashCount = n;
      slashScanSize = size;
    }
    return new long[] {slashCount, ledger.slashed()};
  }

  /** The node's ledger (balances, digest, supply). */
  public Ledger ledger() {
    return ledger;
  }

  /** The evidence recorded here. */
  public EvidenceLog evidence() {
    return evidence;
  }

  /** The current replicator (replaced after a simulated restart). */
  public LedgerReplicator replicator() {
    return replicator;
  }

  /** Operations the ledger refused (insufficient balance, for example). */
  public synchronized long refusals() {
    return refusals;
  }

  /** A read-only summary of this node's ledger copy (see {@link LedgerStatus}). */
  public synchronized LedgerStatus status() {
    MessageDigest heads = sha256();
    ByteBuffer b = ByteBuffer.allocate(16);
    for (ChainHead h : ledger.heads()) {
      heads.update(h.account().toBytes());
      heads.update(h.head().toBytes());
      heads.update(b.clear().putLong(h.length()).putLong(h.conflictSequence()).array());
    }
    AccountView me = ledger.account(identity.id());
    return new LedgerStatus(ledger.stateDigest(), heads.digest(), ledger.size(), ledger.supply(),
        ledger.circulating(), me.balance(), me.escrowed(), refusals);
  }

  /** The published evidence operations held here, in fold order (every node's accusations). */
  public List<Operation> publishedEvidence() {
    return ledger.applicationOperations(EVIDENCE_APP_KIND);
  }

  /** Stops replicating and closes the ledger. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      if (tickTimer != null) {
        tickTimer.cancel();
      }
      replicator.close();
      ledger.close();
    }
  }
}
