package io.github.edgenet.economy.ledger;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.identity.SignatureVerifier;
import io.github.edgenet.economy.internal.AccountState;
import io.github.edgenet.economy.internal.Fold;
import io.github.edgenet.economy.internal.Rules;
import io.github.edgenet.economy.internal.SqliteStore;
import io.github.edgenet.economy.ledger.LedgerException.Reason;
import io.github.edgenet.economy.ledger.OperationBody.EscrowLock;
import io.github.edgenet.economy.ledger.OperationBody.EscrowRelease;
import io.github.edgenet.economy.ledger.OperationBody.Receive;
import io.github.edgenet.economy.ledger.OperationBody.Send;
import io.github.edgenet.economy.ledger.OperationBody.Slash;
import io.github.edgenet.economy.store.Durability;
import io.github.edgenet.economy.store.StorageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * One node's copy of the network's ledger: every account's hash-linked chain of signed operations,
 * validated before it is stored, kept in SQLite, and the state every honest node derives from the
 * same operations.
 *
 * <pre>{@code
 * LedgerConfig config = LedgerConfig.builder(Set.of(genesis.id())).build();
 * try (Ledger ledger = Ledger.open(config, storageDir, Durability.FULL, clock)) {
 *   ledger.append(genesis, new OperationBody.Mint(1_000_000));
 *   Operation pay = ledger.append(genesis, new OperationBody.Send(alice.id(), 250_000));
 *   ledger.append(alice, new OperationBody.Receive(pay.id()));
 *   long balance = ledger.account(alice.id()).balance();      // 250_000
 *   ledger.submit(operationFromAPeer);                        // throws LedgerException if bad
 * }
 * }</pre>
 *
 * <h2>Acceptance</h2>
 *
 * An operation is stored only if, in this order: it is no duplicate; its sequence number is the
 * chain's next one (or an earlier one, then it is a conflicting operation and stored as an
 * equivocation proof) and its link names the operation held before it; its account has not
 * equivocated below it; its timestamp does not go back and is not too far ahead of the clock; its
 * signature verifies; and it is valid against its own chain's state (balance, stake, unbonding
 * lock, escrows, claims at face value, mint authority, slash proof). What decides acceptance is a
 * function of the operation, its chain and the operations it names, so every honest node accepts
 * the same operations once it holds their predecessors. A rejected operation throws {@link
 * LedgerException} and changes nothing.
 *
 * <h2>Derived state</h2>
 *
 * The state is a deterministic fold of the set of operations held (docs/economy.md proves it
 * does not depend on arrival order): chains are cut before their first conflict, the remaining
 * operations are applied in a canonical topological order (by timestamp, then id), operations
 * that cannot take effect any more are skipped, and each equivocator loses its equivocation slash
 * right after its last valid operation. Supply is conserved: {@link #circulating()} always equals
 * {@link #minted()} - {@link #burned()}.
 *
 * <h2>Durability</h2>
 *
 * {@link #submit}, {@link #submitAll} and {@link #append} return only after their SQLite
 * transaction committed. If the database fails, the ledger closes itself and every later call
 * throws {@link IllegalStateException}: memory never runs ahead of the disk unnoticed.
 *
 * <p>Thread-safe: every method takes the ledger's one lock.
 */
public final class Ledger implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Ledger.class.getName());

  /** The file a ledger keeps in its storage directory. */
  public static final String FILE_NAME = "ledger.db";

  private static final Comparator<Operation> ORDER =
      Comparator.comparingLong(Operation::timestampMillis).thenComparing(Operation::id);

  /** What {@link #submit} did with an accepted operation. */
  public enum Outcome {
    /** Stored as the chain's next operation. */
    ACCEPTED,
    /** Stored as the second operation of one (account, sequence): the account equivocated. */
    EQUIVOCATION
  }

  /**
   * What happened to one operation of a {@link #submitAll} batch.
   *
   * @param operation the operation
   * @param outcome what was done, or null if it was rejected
   * @param rejection why it was rejected, or null
   */
  public record Result(Operation operation, Outcome outcome, LedgerException rejection) {}

  private static final class Chain {
    final ArrayList<Operation> ops = new ArrayList<>();
    AccountState head = new AccountState();
    long conflictSeq = -1;
    Operation conflicting;

    long effectiveLength() {
      return conflictSeq >= 0 ? conflictSeq : ops.size();
    }
  }

  private final LedgerConfig config;
  private final byte[] fingerprint;
  private final Clock clock;
  private final SqliteStore store;
  private final SignatureVerifier verifier = SignatureVerifier.create(4096);
  private final Map<NodeId, Chain> chains = new HashMap<>();
  private final Map<OperationId, Operation> byId = new HashMap<>();
  private final Map<NodeId, Set<OperationId>> unclaimed = new HashMap<>();
  private Fold fold;
  private boolean dirty;
  private Operation lastApplied;
  private boolean closed;

  private Ledger(LedgerConfig config, Clock clock, SqliteStore store) {
    this.config = config;
    this.fingerprint = config.fingerprint();
    this.clock = clock;
    this.store = store;
    this.fold = new Fold(config);
  }

  /**
   * Opens the ledger kept in {@code directory} (file {@value #FILE_NAME}), creating it if absent,
   * and loads every operation it holds; the state digest is then the one it had when last written.
   *
   * @param config the network's parameters
   * @param directory the node's storage directory
   * @param durability how commits are synced
   * @param clock where "now" comes from (for the future-timestamp check)
   * @return the open ledger
   * @throws StorageException if the file is not a ledger database, is corrupted (it is left as it
   *     is, never replaced), or cannot be read
   */
  public static Ledger open(
      LedgerConfig config, Path directory, Durability durability, Clock clock)
      throws StorageException {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    SqliteStore store =
        SqliteStore.open(directory.resolve(FILE_NAME), Objects.requireNonNull(durability));
    return load(config, clock, store, directory.toString());
  }

  /**
   * A ledger in a private in-memory SQLite database, for simulated nodes and tests.
   *
   * @param config the network's parameters
   * @param clock where "now" comes from
   * @return the empty ledger
   * @throws StorageException if SQLite cannot start
   */
  public static Ledger inMemory(LedgerConfig config, Clock clock) throws StorageException {
    return load(
        Objects.requireNonNull(config, "config"),
        Objects.requireNonNull(clock, "clock"),
        SqliteStore.inMemory(),
        ":memory:");
  }

  private static Ledger load(LedgerConfig config, Clock clock, SqliteStore store, String name)
      throws StorageException {
    Ledger ledger = new Ledger(config, clock, store);
    try {
      for (SqliteStore.Row row : store.loadAll()) {
        Operation op;
        try {
          op = Operation.decode(row.bytes());
        } catch (LedgerException e) {
          throw new StorageException(
              StorageException.Reason.CORRUPT, name + ": a stored operation: " + e.getMessage(), e);
        }
        if (!java.util.Arrays.equals(op.id().toBytes(), row.id())) {
          throw new StorageException(
              StorageException.Reason.CORRUPT, name + ": operation " + op.id() + " stored as "
                  + OperationId.of(row.id()), null);
        }
        try {
          ledger.accept(op, true);
        } catch (LedgerException e) {
          if (e.reason() != Reason.CHAIN_VOID && e.reason() != Reason.DUPLICATE) {
            throw new StorageException(
                StorageException.Reason.CORRUPT,
                name + ": a stored operation no longer validates: " + e.getMessage(),
                e);
          }
        }
      }
    } catch (StorageException | RuntimeException e) {
      store.close();
      throw e;
    }
    LOG.log(System.Logger.Level.DEBUG, () -> "opened ledger " + name + " with "
        + ledger.byId.size() + " operations");
    return ledger;
  }

  /** The network parameters. */
  public LedgerConfig config() {
    return config;
  }

  /**
   * Builds the next operation of {@code identity}'s chain (next sequence, link to its head,
   * timestamp = the clock or the head's timestamp if later), signs, validates and stores it.
   *
   * @param identity the account that signs
   * @param body what it does
   * @return the stored operation
   * @throws LedgerException if it is invalid against the chain's state (nothing changes)
   * @throws IllegalStateException if the ledger is closed or its storage failed
   */
  public synchronized Operation append(NodeIdentity identity, OperationBody body)
      throws LedgerException {
    ensureOpen();
    Chain chain = chains.get(identity.id());
    long seq = chain == null ? 0 : chain.ops.size();
    OperationId prev = seq == 0 ? OperationId.ZERO : chain.ops.get((int) seq - 1).id();
    long ts = Math.max(clock.epochMillis(), chain == null ? 0 : chain.head.lastTimestamp());
    Operation op = Operation.sign(identity, seq, prev, ts, body);
    submit(op);
    return op;
  }

  /**
   * Validates and stores one operation (see the class comment), committing before it returns.
   *
   * @param op the operation, for example decoded from a peer
   * @return ACCEPTED, or EQUIVOCATION if it conflicts with a held one (it is then stored as proof)
   * @throws LedgerException naming why it was rejected; nothing changed
   * @throws IllegalStateException if the ledger is closed or its storage failed
   */
  public synchronized Outcome submit(Operation op) throws LedgerException {
    ensureOpen();
    Outcome outcome = accept(op, false);
    persist(List.of(op));
    return outcome;
  }

  /**
   * Validates every operation in order and stores the accepted ones in one transaction.
   *
   * @param ops the operations
   * @return one result per operation, in order
   * @throws IllegalStateException if the ledger is closed or its storage failed
   */
  public synchronized List<Result> submitAll(List<Operation> ops) {
    ensureOpen();
    List<Result> results = new ArrayList<>(ops.size());
    List<Operation> accepted = new ArrayList<>(ops.size());
    for (Operation op : ops) {
      try {
        results.add(new Result(op, accept(op, false), null));
        accepted.add(op);
      } catch (LedgerException e) {
        results.add(new Result(op, null, e));
      }
    }
    if (!accepted.isEmpty()) {
      persist(accepted);
    }
    return results;
  }

  private void persist(List<Operation> ops) {
    try {
      store.insert(ops);
    } catch (StorageException e) {
      closed = true;
      store.close();
      throw new IllegalStateException("ledger storage failed, the ledger is closed", e);
    }
  }

  private Outcome accept(Operation op, boolean trusted) throws LedgerException {
    if (byId.containsKey(op.id())) {
      throw new LedgerException(Reason.DUPLICATE, op.id() + " is already held");
    }
    Chain chain = chains.get(op.account());
    long size = chain == null ? 0 : chain.ops.size();
    long seq = op.sequence();
    if (chain != null && chain.conflictSeq >= 0 && seq >= chain.conflictSeq) {
      throw new LedgerException(
          Reason.CHAIN_VOID, op.account() + " equivocated at sequence " + chain.conflictSeq);
    }
    if (seq > size) {
      throw new LedgerException(
          Reason.SEQUENCE_GAP, "sequence " + seq + ", the chain's next is " + size);
    }
    if (seq > 0 && !chain.ops.get((int) seq - 1).id().equals(op.previous())) {
      throw new LedgerException(
          Reason.BAD_LINK, "previous " + op.previous() + " is not the operation at " + (seq - 1));
    }
    if (!trusted) {
      long limit = clock.epochMillis() + config.maxFutureSkewMillis();
      if (op.timestampMillis() > limit) {
        throw new LedgerException(
            Reason.FROM_THE_FUTURE, "timestamp " + op.timestampMillis() + " > " + limit);
      }
    }
    // Cheap, state-free checks of what the operation names come before the signature, so that a
    // receive arriving ahead of its send costs no verification; the signature comes before any
    // check that depends on the signer's state.
    long credit = credit(op);
    if (!trusted && !op.verify(verifier)) {
      throw new LedgerException(Reason.BAD_SIGNATURE, "operation " + op.id());
    }
    boolean extends_ = seq == size;
    AccountState state = extends_ ? (chain == null ? new AccountState() : chain.head)
        : refold(chain, seq);
    Rules.applyOwn(state, op, credit, config);
    // Accepted: record it.
    if (chain == null) {
      chain = new Chain();
      chain.head = state;
      chains.put(op.account(), chain);
    }
    byId.put(op.id(), op);
    index(op);
    if (extends_) {
      chain.ops.add(op);
      if (!dirty && (lastApplied == null || ORDER.compare(op, lastApplied) > 0)) {
        fold.apply(op);
        lastApplied = op;
      } else {
        dirty = true;
      }
      return Outcome.ACCEPTED;
    }
    chain.conflictSeq = seq;
    chain.conflicting = op;
    dirty = true;
    LOG.log(System.Logger.Level.INFO, () -> op.account() + " equivocated at sequence " + seq);
    return Outcome.EQUIVOCATION;
  }

  private AccountState refold(Chain chain, long upTo) {
    AccountState s = new AccountState();
    for (int i = 0; i < upTo; i++) {
      Operation o = chain.ops.get(i);
      try {
        Rules.applyOwn(s, o, credit(o), config);
      } catch (LedgerException e) {
        throw new IllegalStateException("a held operation no longer applies: " + o, e);
      }
    }
    return s;
  }

  /** A receive's credit at face value, after checking its source; 0 for other kinds. */
  private long credit(Operation op) throws LedgerException {
    OperationBody body = op.body();
    if (body instanceof Slash s) {
      checkSlash(s);
      return 0;
    }
    if (!(body instanceof Receive r)) {
      return 0;
    }
    Operation source = byId.get(r.source());
    if (source == null) {
      throw new LedgerException(Reason.UNKNOWN_SOURCE, "source " + r.source() + " is not held");
    }
    if (source.body() instanceof Send s && s.to().equals(op.account())) {
      return s.amount();
    }
    if (source.body() instanceof EscrowRelease rel
        && byId.get(rel.escrow()).body() instanceof EscrowLock lock
        && lock.worker().equals(op.account())) {
      return lock.amount();
    }
    throw new LedgerException(
        Reason.NOT_RECIPIENT, source.id() + " does not pay " + op.account());
  }

  private void checkSlash(Slash s) throws LedgerException {
    if (s.offense() == Offense.EQUIVOCATION) {
      throw new LedgerException(
          Reason.INVALID_PROOF, "equivocation is proven by the two operations, not a verdict");
    }
    if (!config.adjudicators().contains(s.adjudicator())) {
      throw new LedgerException(
          Reason.INVALID_PROOF, s.adjudicator() + " is not an adjudicator");
    }
    byte[] statement = Slash.statement(s.offender(), s.offense(), s.evidence());
    if (!verifier.verify(s.adjudicator(), statement, 0, statement.length, s.verdict(), 0)) {
      throw new LedgerException(Reason.INVALID_PROOF, "the verdict's signature does not verify");
    }
    if (!chains.containsKey(s.offender())) {
      throw new LedgerException(Reason.UNKNOWN_ACCOUNT, "no operation of " + s.offender());
    }
    Operation head = byId.get(s.offenderHead());
    if (head == null || !head.account().equals(s.offender())) {
      throw new LedgerException(
          Reason.UNKNOWN_ACCOUNT, "offenderHead " + s.offenderHead() + " is no held operation of "
              + s.offender());
    }
  }

  private void index(Operation op) {
    switch (op.body()) {
      case Send s -> unclaimed.computeIfAbsent(s.to(), k -> new LinkedHashSet<>()).add(op.id());
      case EscrowRelease rel -> {
        NodeId worker = ((EscrowLock) byId.get(rel.escrow()).body()).worker();
        unclaimed.computeIfAbsent(worker, k -> new LinkedHashSet<>()).add(op.id());
      }
      case Receive r -> {
        Set<OperationId> set = unclaimed.get(op.account());
        if (set != null) {
          set.remove(r.source());
        }
      }
      default -> {}
    }
  }

  private void ensureFolded() {
    if (!dirty) {
      return;
    }
    Fold f = new Fold(config);
    Set<OperationId> effective = new HashSet<>();
    for (Chain c : chains.values()) {
      for (int i = 0; i < c.effectiveLength(); i++) {
        effective.add(c.ops.get(i).id());
      }
    }
    Map<OperationId, int[]> indegree = new HashMap<>();
    Map<OperationId, List<Operation>> waiting = new HashMap<>();
    PriorityQueue<Operation> ready = new PriorityQueue<>(ORDER);
    for (Chain c : chains.values()) {
      for (int i = 0; i < c.effectiveLength(); i++) {
        Operation op = c.ops.get(i);
        int deps = i > 0 ? 1 : 0;
        OperationId dependency = crossDependency(op);
        if (dependency != null && effective.contains(dependency)) {
          deps++;
          waiting.computeIfAbsent(dependency, k -> new ArrayList<>()).add(op);
        }
        if (deps == 0) {
          ready.add(op);
        } else {
          indegree.put(op.id(), new int[] {deps});
        }
      }
    }
    Operation last = null;
    while (!ready.isEmpty()) {
      Operation op = ready.poll();
      f.apply(op);
      last = op;
      Chain c = chains.get(op.account());
      if (c.conflictSeq == op.sequence() + 1) {
        f.slashEquivocation(op.account());
      }
      if (op.sequence() + 1 < c.effectiveLength()) {
        release(c.ops.get((int) op.sequence() + 1), indegree, ready);
      }
      for (Operation w : waiting.getOrDefault(op.id(), List.of())) {
        release(w, indegree, ready);
      }
    }
    fold = f;
    lastApplied = last;
    dirty = false;
  }

  /** The operation of another chain that {@code op} must follow in the fold, or null. */
  private static OperationId crossDependency(Operation op) {
    return switch (op.body()) {
      case Receive r -> r.source();
      case Slash s -> s.offenderHead();
      default -> null;
    };
  }

  private static void release(
      Operation op, Map<OperationId, int[]> indegree, PriorityQueue<Operation> ready) {
    int[] d = indegree.get(op.id());
    if (--d[0] == 0) {
      indegree.remove(op.id());
      ready.add(op);
    }
  }

  /**
   * The derived state of {@code account}.
   *
   * @param account the account
   * @return its state; all zero if it has none
   */
  public synchronized AccountView account(NodeId account) {
    ensureOpen();
    ensureFolded();
    AccountState a = fold.account(account);
    Chain c = chains.get(account);
    long length = c == null ? 0 : c.ops.size();
    boolean eq = c != null && c.conflictSeq >= 0;
    if (a == null) {
      return new AccountView(account, 0, 0, 0, 0, 0, length, eq);
    }
    return new AccountView(account, a.balance(), a.stake(), a.unbonding(), a.unlockAtMillis(),
        a.escrowed(), length, eq);
  }

  /** Everything ever minted, micro-units. */
  public synchronized long minted() {
    ensureOpen();
    ensureFolded();
    return fold.minted();
  }

  /** Everything ever burned, slashed stake sent to the burn sink included. */
  public synchronized long burned() {
    ensureOpen();
    ensureFolded();
    return fold.burned();
  }

  /** The supply: {@link #minted()} - {@link #burned()}. */
  public synchronized long supply() {
    ensureOpen();
    ensureFolded();
    return Math.subtractExact(fold.minted(), fold.burned());
  }

  /** Everything slashed so far. */
  public synchronized long slashed() {
    ensureOpen();
    ensureFolded();
    return fold.slashedTotal();
  }

  /**
   * Everything accounts hold (balance, stake, unbonding, open escrows) plus payments in flight,
   * summed independently of the mint and burn counters: equal to {@link #supply()} always.
   */
  public synchronized long circulating() {
    ensureOpen();
    ensureFolded();
    return fold.circulating();
  }

  /** How many held operations took no effect in the fold (their funds were voided). */
  public synchronized long skipped() {
    ensureOpen();
    ensureFolded();
    return fold.skipped();
  }

  /**
   * The state digest: SHA-256 over the configuration, totals, the applied operations in fold order,
   * every account's state, the pending payments and the equivocators. Two nodes holding the same
   * operations have the same digest.
   *
   * @return 32 bytes
   */
  public synchronized byte[] stateDigest() {
    ensureOpen();
    ensureFolded();
    return fold.digest(fingerprint, equivocatorMap());
  }

  private Map<NodeId, Long> equivocatorMap() {
    Map<NodeId, Long> m = new TreeMap<>();
    for (Map.Entry<NodeId, Chain> e : chains.entrySet()) {
      if (e.getValue().conflictSeq >= 0) {
        m.put(e.getKey(), e.getValue().conflictSeq);
      }
    }
    return m;
  }

  /** The accounts that equivocated, in id order. */
  public synchronized List<NodeId> equivocators() {
    ensureOpen();
    return List.copyOf(equivocatorMap().keySet());
  }

  /**
   * The proof that {@code account} equivocated, if this node holds one.
   *
   * @param account the account
   * @return the two conflicting operations, or empty
   */
  public synchronized Optional<EquivocationProof> equivocation(NodeId account) {
    ensureOpen();
    Chain c = chains.get(account);
    if (c == null || c.conflictSeq < 0) {
      return Optional.empty();
    }
    return Optional.of(new EquivocationProof(c.ops.get((int) c.conflictSeq), c.conflicting));
  }

  /** Every chain this node holds, in account order. */
  public synchronized List<ChainHead> heads() {
    ensureOpen();
    List<ChainHead> out = new ArrayList<>(chains.size());
    for (Map.Entry<NodeId, Chain> e : new TreeMap<>(chains).entrySet()) {
      Chain c = e.getValue();
      out.add(new ChainHead(e.getKey(), c.ops.size(), c.ops.getLast().id(), c.conflictSeq));
    }
    return out;
  }

  /**
   * What this node holds of {@code account}'s chain, or null.
   *
   * @param account the account
   * @return its head or null
   */
  public synchronized ChainHead head(NodeId account) {
    ensureOpen();
    Chain c = chains.get(account);
    return c == null ? null
        : new ChainHead(account, c.ops.size(), c.ops.getLast().id(), c.conflictSeq);
  }

  /**
   * Up to {@code max} held operations of {@code account}'s chain from sequence {@code fromSeq} on,
   * in sequence order; a conflicting operation follows the one it conflicts with.
   *
   * @param account the account
   * @param fromSeq the first sequence, {@code >= 0}
   * @param max the most operations returned, {@code >= 0}
   * @return the operations
   */
  public synchronized List<Operation> operations(NodeId account, long fromSeq, int max) {
    ensureOpen();
    if (fromSeq < 0 || max < 0) {
      throw new IllegalArgumentException("fromSeq " + fromSeq + " and max " + max
          + " must be >= 0");
    }
    Chain c = chains.get(account);
    List<Operation> out = new ArrayList<>();
    if (c == null) {
      return out;
    }
    for (long s = fromSeq; s < c.ops.size() && out.size() < max; s++) {
      out.add(c.ops.get((int) s));
      if (s == c.conflictSeq && out.size() < max) {
        out.add(c.conflicting);
      }
    }
    return out;
  }

  /**
   * The held operation with this id.
   *
   * @param id the id
   * @return the operation, or empty
   */
  public synchronized Optional<Operation> operation(OperationId id) {
    ensureOpen();
    return Optional.ofNullable(byId.get(id));
  }

  /** How many operations this node holds (conflicting and void ones included). */
  public synchronized int size() {
    ensureOpen();
    return byId.size();
  }

  /**
   * The sends and escrow releases paying {@code account} that its chain has not received yet, in
   * the order they were accepted: what its owner may claim with {@link OperationBody.Receive}.
   *
   * @param account the recipient
   * @return their ids
   */
  public synchronized List<OperationId> unclaimed(NodeId account) {
    ensureOpen();
    Set<OperationId> s = unclaimed.get(account);
    return s == null ? List.of() : List.copyOf(s);
  }

  /**
   * The operations that took effect, in the canonical fold order every node shares: what a higher
   * layer folds (application operations for votes, bids, outcomes).
   *
   * @return an immutable copy
   */
  public synchronized List<Operation> effectiveOperations() {
    ensureOpen();
    ensureFolded();
    return List.copyOf(fold.applied());
  }

  /**
   * The effective {@link OperationBody.Application} operations of one application kind, in fold
   * order.
   *
   * @param appKind the application's kind number
   * @return the operations
   */
  public synchronized List<Operation> applicationOperations(int appKind) {
    ensureOpen();
    ensureFolded();
    List<Operation> out = new ArrayList<>();
    for (Operation op : fold.applied()) {
      if (op.body() instanceof OperationBody.Application a && a.appKind() == appKind) {
        out.add(op);
      }
    }
    return Collections.unmodifiableList(out);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the ledger is closed");
    }
  }

  /** Closes the database. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      store.close();
    }
  }

  @Override
  public synchronized String toString() {
    return "Ledger[" + chains.size() + " accounts, " + byId.size() + " operations]";
  }
}
