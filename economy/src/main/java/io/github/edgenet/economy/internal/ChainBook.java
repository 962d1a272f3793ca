package io.github.edgenet.economy.internal;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.SignatureVerifier;
import io.github.edgenet.economy.ledger.AuctionBody;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.LedgerException.Reason;
import io.github.edgenet.economy.ledger.Offense;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationBody.EscrowLock;
import io.github.edgenet.economy.ledger.OperationBody.EscrowRelease;
import io.github.edgenet.economy.ledger.OperationBody.EscrowVest;
import io.github.edgenet.economy.ledger.OperationBody.Receive;
import io.github.edgenet.economy.ledger.OperationBody.Send;
import io.github.edgenet.economy.ledger.OperationBody.Slash;
import io.github.edgenet.economy.ledger.OperationBody.VestClaim;
import io.github.edgenet.economy.ledger.OperationId;
import io.github.edgenet.economy.store.StorageException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The operations one ledger holds, chain by chain, and their acceptance: every check that decides
 * whether an operation is stored (sequence, link, void chains, skew, what it names, signature, the
 * chain's own state) and the bookkeeping of accepted ones (heads, conflicts, unclaimed payments,
 * grants by recipient), plus the canonical fold of the effective operations, recomputed lazily.
 * The public {@code Ledger} adds storage, locking and queries. Not thread-safe; owned by one
 * ledger.
 */
public final class ChainBook {
  private static final System.Logger LOG = System.getLogger(ChainBook.class.getName());

  /** The canonical order among ready operations: timestamp, then id. */
  public static final Comparator<Operation> ORDER =
      Comparator.comparingLong(Operation::timestampMillis).thenComparing(Operation::id);

  /** How many void operations offered as evidence are kept while nothing names them. */
  public static final int EVIDENCE_POOL = 256;

  /** One account's chain as held. */
  public static final class Chain {
    final ArrayList<Operation> ops = new ArrayList<>();
    AccountState head = new AccountState();
    long conflictSeq = -1;
    Operation conflicting;

    /** The held operations in sequence order (conflicting one aside); do not modify. */
    public List<Operation> ops() {
      return ops;
    }

    /** The lowest conflicting sequence, or -1. */
    public long conflictSeq() {
      return conflictSeq;
    }

    /** The operation conflicting with the one at {@link #conflictSeq()}, or null. */
    public Operation conflicting() {
      return conflicting;
    }

    long effectiveLength() {
      return conflictSeq >= 0 ? conflictSeq : ops.size();
    }
  }

  private final LedgerConfig config;
  private final Clock clock;
  private final SignatureVerifier verifier = SignatureVerifier.create(4096);
  private final Map<NodeId, Chain> chains = new HashMap<>();
  private final Map<OperationId, Operation> byId = new HashMap<>();
  private final Map<NodeId, Set<OperationId>> unclaimed = new HashMap<>();
  private final Map<NodeId, Set<OperationId>> grantsByRecipient = new HashMap<>();
  private final Map<OperationId, Long> revealSeq = new HashMap<>();
  /**
   * Void operations offered as evidence and not yet named by an accepted operation, oldest first,
   * at most {@link #EVIDENCE_POOL} of them (docs/economy.md, "Receives of void operations").
   */
  private final LinkedHashMap<OperationId, Operation> evidencePool = new LinkedHashMap<>();
  /** Evidence promoted into the held set by the last accepts, for the ledger to store. */
  private final List<Operation> promoted = new ArrayList<>();
  private final Named named;
  private Fold fold;
  private boolean dirty;
  private Operation lastApplied;

  /**
   * An empty book.
   *
   * @param config the ledger's parameters
   * @param clock where "now" comes from (the skew check)
   */
  public ChainBook(LedgerConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.named = new Named(config, verifier, this::find, chains, revealSeq);
    this.fold = new Fold(config, byId::get);
  }

  /**
   * Validates {@code op} and records it if it is accepted.
   *
   * @param op the operation
   * @param trusted true if its signature need not be checked (signed here, or verified before it
   *     was stored); the skew check is skipped too
   * @return true if it extends its chain, false if it was stored as a conflict (equivocation)
   * @throws LedgerException naming why it was rejected; nothing changed
   */
  public boolean accept(Operation op, boolean trusted) throws LedgerException {
    if (byId.containsKey(op.id())) {
      throw new LedgerException(Reason.DUPLICATE, op.id() + " is already held");
    }
    Chain chain = chains.get(op.account());
    long size = chain == null ? 0 : chain.ops.size();
    long seq = op.sequence();
    if (chain != null && chain.conflictSeq >= 0 && seq >= chain.conflictSeq) {
      offerEvidence(op, trusted);
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
    long credit = named.credit(op);
    if (!trusted && !op.verify(verifier)) {
      throw new LedgerException(Reason.BAD_SIGNATURE, "operation " + op.id());
    }
    boolean extends_ = seq == size;
    AccountState state = extends_ ? (chain == null ? new AccountState() : chain.head)
        : refold(chain, seq);
    Rules.applyOwn(state, op, credit, config, this::find);
    promote(op, 0);
    if (chain == null) {
      chain = new Chain();
      chain.head = state;
      chains.put(op.account(), chain);
    }
    byId.put(op.id(), op);
    index(op);
    if (extends_) {
      chain.ops.add(op);
      if (op.body() instanceof AuctionBody.Reveal r) {
        revealSeq.put(r.commit(), seq);
      }
      if (!dirty && (lastApplied == null || ORDER.compare(op, lastApplied) > 0)
          && !claimsVoidPayment(op)) {
        fold.apply(op);
        lastApplied = op;
      } else {
        dirty = true;
      }
      return true;
    }
    chain.conflictSeq = seq;
    chain.conflicting = op;
    dirty = true;
    LOG.log(System.Logger.Level.INFO, () -> op.account() + " equivocated at sequence " + seq);
    return false;
  }

  /**
   * Accepts the stored operations of a ledger being opened, in their arrival order, without
   * verifying signatures again (they were verified before they were stored).
   *
   * @param rows the stored rows
   * @param name the database, for messages
   * @throws StorageException {@code CORRUPT} if a row does not decode, does not hash to its id, or
   *     no longer validates
   */
  public void load(List<SqliteStore.Row> rows, String name) throws StorageException {
    for (SqliteStore.Row row : rows) {
      Operation op;
      try {
        op = Operation.decode(row.bytes());
      } catch (LedgerException e) {
        throw new StorageException(
            StorageException.Reason.CORRUPT, name + ": a stored operation: " + e.getMessage(), e);
      }
      if (!java.util.Arrays.equals(op.id().toBytes(), row.id())) {
        throw new StorageException(StorageException.Reason.CORRUPT, name + ": operation "
            + op.id() + " stored as " + OperationId.of(row.id()), null);
      }
      try {
        accept(op, true);
        promoted.clear();
      } catch (LedgerException e) {
        if (e.reason() == Reason.CHAIN_VOID) {
          // evidence stored before the operation that named it (offerEvidence, promote)
          evidencePool.remove(op.id());
          byId.put(op.id(), op);
        } else if (e.reason() != Reason.DUPLICATE) {
          throw new StorageException(StorageException.Reason.CORRUPT,
              name + ": a stored operation no longer validates: " + e.getMessage(), e);
        }
      }
    }
  }

  /** A held operation, or one offered as evidence; null if neither. */
  private Operation find(OperationId id) {
    Operation op = byId.get(id);
    return op != null ? op : evidencePool.get(id);
  }

  /**
   * Keeps {@code op}, an operation of a chain void at its sequence, in the evidence pool if its
   * signature verifies and what it references is held: an honest chain may name it (a receive of
   * a payment or an auction settlement above the conflict), and it is then needed to validate
   * that chain. What it references ({@link Named#refs}) is everything a receive of it reads.
   */
  private void offerEvidence(Operation op, boolean trusted) {
    if (evidencePool.containsKey(op.id())) {
      return;
    }
    try {
      named.checkRefs(op);
    } catch (LedgerException e) {
      return;
    }
    if (!trusted && !op.verify(verifier)) {
      return;
    }
    if (evidencePool.size() >= EVIDENCE_POOL) {
      evidencePool.pollFirstEntry();
    }
    evidencePool.put(op.id(), op);
  }

  /**
   * Moves the pooled evidence that {@code op} references (and what that references) into the held
   * set, references first, and lists it for storage.
   */
  private void promote(Operation op, int depth) {
    if (depth > 64) {
      throw new IllegalStateException("evidence nested deeper than 64: " + op.id());
    }
    for (OperationId id : Named.refs(op.body())) {
      Operation ev = evidencePool.get(id);
      if (ev != null) {
        promote(ev, depth + 1);
        evidencePool.remove(id);
        byId.put(id, ev);
        promoted.add(ev);
      }
    }
  }

  /**
   * The evidence moved into the held set since the last call, references first; the ledger stores
   * it before the operation that named it.
   *
   * @return the promoted operations
   */
  public List<Operation> drainPromoted() {
    List<Operation> out = List.copyOf(promoted);
    promoted.clear();
    return out;
  }

  /**
   * The held operations of void chain segments that {@code op} references, directly or through
   * each other, references first: what a peer that never held them needs to validate {@code op}.
   *
   * @param op a held operation
   * @return the void operations it references, possibly none
   */
  public List<Operation> evidenceFor(Operation op) {
    List<Operation> out = new ArrayList<>();
    collectEvidence(op, out, new java.util.HashSet<>(), 0);
    return out;
  }

  private void collectEvidence(Operation op, List<Operation> out, Set<OperationId> seen,
      int depth) {
    if (depth > 64) {
      return;
    }
    for (OperationId id : Named.refs(op.body())) {
      Operation ref = byId.get(id);
      if (ref == null || !seen.add(id)) {
        continue;
      }
      Chain c = chains.get(ref.account());
      boolean effective = c != null && ref.sequence() < c.effectiveLength()
          && c.ops.get((int) ref.sequence()).equals(ref);
      if (!effective) {
        collectEvidence(ref, out, seen, depth + 1);
        out.add(ref);
      }
    }
  }

  /** Whether {@code op} receives a void payment: a compensation claim, so the fold is redone. */
  private boolean claimsVoidPayment(Operation op) {
    if (!(op.body() instanceof Receive r)) {
      return false;
    }
    Operation source = byId.get(r.source());
    Chain c = chains.get(source.account());
    return c.conflictSeq >= 0 && source.sequence() >= c.conflictSeq;
  }

  private AccountState refold(Chain chain, long upTo) {
    AccountState s = new AccountState();
    for (int i = 0; i < upTo; i++) {
      Operation o = chain.ops.get(i);
      try {
        Rules.applyOwn(s, o, named.credit(o), config, byId::get);
      } catch (LedgerException e) {
        throw new IllegalStateException("a held operation no longer applies: " + o, e);
      }
    }
    return s;
  }

  private void index(Operation op) {
    switch (op.body()) {
      case Send s -> unclaimed.computeIfAbsent(s.to(), k -> new LinkedHashSet<>()).add(op.id());
      case EscrowRelease rel -> {
        NodeId worker = ((EscrowLock) byId.get(rel.escrow()).body()).worker();
        unclaimed.computeIfAbsent(worker, k -> new LinkedHashSet<>()).add(op.id());
      }
      case EscrowVest v -> {
        NodeId worker = ((EscrowLock) byId.get(v.escrow()).body()).worker();
        grantsByRecipient.computeIfAbsent(worker, k -> new LinkedHashSet<>()).add(op.id());
      }
      case AuctionBody.Settle x -> {
        try {
          AuctionRules.outcome(op, byId::get).winner().ifPresent(w ->
              unclaimed.computeIfAbsent(w, k -> new LinkedHashSet<>()).add(op.id()));
        } catch (LedgerException e) {
          throw new IllegalStateException("an accepted settlement no longer settles", e);
        }
      }
      case AuctionBody.Forfeit x ->
          unclaimed.computeIfAbsent(op.account(), k -> new LinkedHashSet<>()).add(op.id());
      case Receive r -> {
        Set<OperationId> set = unclaimed.get(op.account());
        if (set != null) {
          set.remove(r.source());
        }
      }
      default -> {}
    }
  }

  /**
   * The fold of the effective operations, recomputed first if an operation arrived out of
   * canonical order or a conflict was found.
   *
   * @return the current fold
   */
  public Fold folded() {
    if (!dirty) {
      return fold;
    }
    List<List<Operation>> effective = new ArrayList<>(chains.size());
    Map<NodeId, Long> conflicts = new HashMap<>();
    for (Map.Entry<NodeId, Chain> e : chains.entrySet()) {
      Chain c = e.getValue();
      effective.add(c.ops.subList(0, (int) c.effectiveLength()));
      if (c.conflictSeq >= 0) {
        conflicts.put(e.getKey(), c.conflictSeq);
      }
    }
    Map<NodeId, AccountState> atConflict = new HashMap<>();
    CanonicalFold.Result r = CanonicalFold.run(config, effective, conflicts,
        Compensation.claims(effective, conflicts, byId::get, v -> variantPayment(v, atConflict)),
        ORDER, byId::get);
    fold = r.fold();
    lastApplied = r.last();
    dirty = false;
    return fold;
  }

  /**
   * What {@code v}, an operation at its account's conflicting sequence, pays if it is a valid
   * variant there: it links to the chain's effective operation before it and is valid against
   * the chain's state at that point (computed once per equivocator into {@code atConflict}).
   * The same on every node: the effective prefix is held everywhere.
   */
  private long variantPayment(Operation v, Map<NodeId, AccountState> atConflict) {
    Chain c = chains.get(v.account());
    if (c == null || c.conflictSeq != v.sequence()) {
      return 0;
    }
    OperationId prev = c.conflictSeq == 0 ? OperationId.ZERO
        : c.ops.get((int) c.conflictSeq - 1).id();
    if (!v.previous().equals(prev)) {
      return 0;
    }
    return Compensation.payment(
        atConflict.computeIfAbsent(v.account(), k -> refold(c, c.conflictSeq)), v);
  }

  /** The equivocators and the sequence of their first conflict, by account. */
  public Map<NodeId, Long> equivocators() {
    Map<NodeId, Long> m = new TreeMap<>();
    for (Map.Entry<NodeId, Chain> e : chains.entrySet()) {
      if (e.getValue().conflictSeq >= 0) {
        m.put(e.getKey(), e.getValue().conflictSeq);
      }
    }
    return m;
  }

  /**
   * The chain of {@code account}, or null.
   *
   * @param account the account
   * @return its chain or null
   */
  public Chain chain(NodeId account) {
    return chains.get(account);
  }

  /** Every chain by account (live view; do not modify). */
  public Map<NodeId, Chain> chains() {
    return chains;
  }

  /**
   * The held operation with this id, or null.
   *
   * @param id the id
   * @return the operation or null
   */
  public Operation get(OperationId id) {
    return byId.get(id);
  }

  /** How many operations are held. */
  public int size() {
    return byId.size();
  }

  /**
   * Sends and releases paying {@code account} not yet received by its chain, in acceptance order.
   *
   * @param account the recipient
   * @return their ids
   */
  public List<OperationId> unclaimed(NodeId account) {
    Set<OperationId> s = unclaimed.get(account);
    return s == null ? List.of() : List.copyOf(s);
  }

  /**
   * The vesting grants (vest operation ids) paying {@code account}, in acceptance order.
   *
   * @param account the recipient
   * @return their ids
   */
  public List<OperationId> grantsTo(NodeId account) {
    Set<OperationId> s = grantsByRecipient.get(account);
    return s == null ? List.of() : List.copyOf(s);
  }
}
