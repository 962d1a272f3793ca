package io.github.edgenet.economy.ledger;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.auction.LedgerAuction;
import io.github.edgenet.economy.governance.GovernanceView;
import io.github.edgenet.economy.governance.NetworkConfig;
import io.github.edgenet.economy.internal.Affordability;
import io.github.edgenet.economy.internal.ChainBook;
import io.github.edgenet.economy.internal.ChainViews;
import io.github.edgenet.economy.internal.Fold;
import io.github.edgenet.economy.internal.Journal;
import io.github.edgenet.economy.internal.SqliteStore;
import io.github.edgenet.economy.internal.Vesting;
import io.github.edgenet.economy.store.Durability;
import io.github.edgenet.economy.store.StorageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * <h2>Acceptance and derived state</h2>
 *
 * An operation is stored only if it is valid against its own chain (sequence, link, no conflict
 * below it, timestamp, signature, the chain's own state) and the immutable operations it names;
 * a rejected one throws {@link LedgerException} and changes nothing. The state is a deterministic
 * fold of the set of operations held, whatever order they arrived in: chains are cut at their
 * first conflict, the rest is applied in a canonical topological order (timestamp, then id),
 * operations that cannot take effect any more are skipped, and each equivocator is slashed.
 * {@link #circulating()} always equals {@link #minted()} - {@link #burned()}. docs/economy.md
 * states the rules and proves them.
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
  /** The file a ledger keeps in its storage directory. */
  public static final String FILE_NAME = "ledger.db";

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

  private final LedgerConfig config;
  private final byte[] fingerprint;
  private final Clock clock;
  private final ChainBook book;
  private final Journal journal;

  private Ledger(LedgerConfig config, Clock clock, ChainBook book, Journal journal) {
    this.config = config;
    this.fingerprint = config.fingerprint();
    this.clock = clock;
    this.book = book;
    this.journal = journal;
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
    ChainBook book = new ChainBook(config, clock);
    return new Ledger(config, clock, book, Journal.load(store, book, name));
  }

  /**
   * The network parameters.
   *
   * @return the network parameters
   */
  public LedgerConfig config() {
    return config;
  }

  /**
   * Builds the next operation of {@code identity}'s chain (next sequence, link to its head,
   * timestamp = the clock, or later if its head or an operation it names is dated later), signs,
   * validates and stores it. It also refuses to sign what the network-wide state could not carry
   * out (stake slashed since, a vote without power in the fold, a queue of an outcome that is not
   * closed, a forfeit of a revealed deposit), so a node's own operations take effect.
   *
   * @param identity the account that signs
   * @param body what it does
   * @return the stored operation
   * @throws LedgerException if it is invalid against the chain's or the fold's state (nothing
   *     changes)
   * @throws IllegalStateException if the ledger is closed or its storage failed
   */
  public Operation append(NodeIdentity identity, OperationBody body) throws LedgerException {
    return append(identity, ts -> body);
  }

  /**
   * {@link #append(NodeIdentity, OperationBody)} for a body that signs its own timestamp (a
   * guardian's {@link GovernanceBody.Veto}): {@code body} is called with the timestamp the
   * operation will carry (the clock, or its head's time if later).
   *
   * @param identity the account that signs
   * @param body builds the body for the operation's timestamp
   * @return the stored operation
   * @throws LedgerException if it is invalid (nothing changes)
   * @throws IllegalStateException if the ledger is closed or its storage failed
   */
  public synchronized Operation append(NodeIdentity identity,
      java.util.function.LongFunction<OperationBody> body) throws LedgerException {
    ensureOpen();
    Operation op = Affordability.signNext(book, clock.epochMillis(), identity, body);
    book.accept(op, true); // signed here a moment ago by the account's own key: no need to verify
    journal.persist(journal.withEvidence(op));
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
    Outcome outcome = accept(op);
    journal.persist(journal.withEvidence(op));
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
        results.add(new Result(op, accept(op), null));
        accepted.addAll(journal.withEvidence(op));
      } catch (LedgerException e) {
        results.add(new Result(op, null, e));
      }
    }
    if (!accepted.isEmpty()) {
      journal.persist(accepted);
    }
    return results;
  }

  /**
   * The held operations of void chain segments (an equivocator's operations from its conflict on)
   * that {@code op} names, directly or through each other, in the order a peer must submit them:
   * a peer that never held them needs them to validate {@code op}, for example a receive of a
   * payment above the conflict (docs/economy.md, "Receives of void operations"). The replicator
   * sends them ahead of {@code op}.
   *
   * @param op a held operation
   * @return the void operations it depends on, possibly none
   */
  public synchronized List<Operation> evidenceFor(Operation op) {
    ensureOpen();
    return book.evidenceFor(op);
  }

  private Outcome accept(Operation op) throws LedgerException {
    return book.accept(op, false) ? Outcome.ACCEPTED : Outcome.EQUIVOCATION;
  }

  /**
   * The derived state of {@code account}.
   *
   * @param account the account
   * @return its state; all zero if it has none
   */
  public synchronized AccountView account(NodeId account) {
    ensureOpen();
    return ChainViews.account(book, account);
  }

  /**
   * Everything ever minted, micro-units.
   *
   * @return everything ever minted, micro-units
   */
  public synchronized long minted() {
    ensureOpen();
    return book.folded().minted();
  }

  /**
   * Everything ever burned, slashed stake sent to the burn sink included.
   *
   * @return everything ever burned, slashed stake sent to the burn sink included
   */
  public synchronized long burned() {
    ensureOpen();
    return book.folded().burned();
  }

  /**
   * The supply: {@link #minted()} - {@link #burned()}.
   *
   * @return the supply: {@link #minted()} - {@link #burned()}
   */
  public synchronized long supply() {
    ensureOpen();
    Fold fold = book.folded();
    return Math.subtractExact(fold.minted(), fold.burned());
  }

  /**
   * What {@code account} was paid from equivocators' slashes for void payments it had received
   * (docs/economy.md, "Compensation").
   *
   * @param account the receiver
   * @return micro-units, 0 if none
   */
  public synchronized long compensation(NodeId account) {
    ensureOpen();
    return book.folded().compensation(account);
  }

  /**
   * {@code account}'s bonded stake as of {@code atMillis}: after the last stake change (stake,
   * unstake, slash) in fold order made by an operation dated at or before that time. What {@code
   * governance.LedgerStakeHistory} reads; see docs/economy.md for what a late or back-dated
   * operation can still change.
   *
   * @param account the account
   * @param atMillis epoch milliseconds
   * @return micro-units, 0 if it never staked
   */
  public synchronized long stakeAt(NodeId account, long atMillis) {
    ensureOpen();
    return book.folded().stakeAt(account, atMillis);
  }

  /**
   * The sum of every account's {@link #stakeAt} at {@code atMillis}.
   *
   * @param atMillis epoch milliseconds
   * @return micro-units
   */
  public synchronized long totalStakeAt(long atMillis) {
    ensureOpen();
    return book.folded().totalStakeAt(atMillis);
  }

  /**
   * The live network configuration: the genesis values (with this ledger's slash rates) changed
   * by every executed proposal, in fold order. The fold's slashes use its slash rates from each
   * execution on.
   *
   * @return the configuration at the end of the fold
   */
  public synchronized NetworkConfig networkConfig() {
    ensureOpen();
    return book.folded().networkConfig();
  }

  /**
   * Governance as folded from this ledger's {@link GovernanceBody} operations: proposals, tallies,
   * states (read at this node's clock), closure, executions and the guardian cancel log.
   *
   * @return a snapshot
   */
  public synchronized GovernanceView governance() {
    ensureOpen();
    return book.folded().governance(clock.epochMillis());
  }

  /**
   * A sealed auction as folded from this ledger's {@link AuctionBody} operations.
   *
   * @param open the id of its {@link AuctionBody.Open} operation
   * @return a snapshot, or empty if no such auction took effect
   */
  public synchronized Optional<LedgerAuction> auction(OperationId open) {
    ensureOpen();
    return book.folded().auction(open);
  }

  /**
   * Whether {@code account}'s effective chain holds an operation dated after {@code atMillis}:
   * then, by the chain's monotone timestamps, nothing it could still sign is dated at or before
   * that time without equivocating (docs/economy.md, "sealed").
   *
   * @param account the account
   * @param atMillis epoch milliseconds
   * @return true if sealed after that time
   */
  public synchronized boolean sealedAfter(NodeId account, long atMillis) {
    ensureOpen();
    return ChainViews.sealedAfter(book, account, atMillis);
  }

  /**
   * Everything slashed so far.
   *
   * @return everything slashed so far
   */
  public synchronized long slashed() {
    ensureOpen();
    return book.folded().slashedTotal();
  }

  /**
   * Everything accounts hold (balance, stake, unbonding, open escrows, vesting grants, auction
   * reserves and deposits) plus payments in flight, summed independently of the mint and burn
   * counters.
   *
   * @return micro-units, equal to {@link #supply()} always
   */
  public synchronized long circulating() {
    ensureOpen();
    return book.folded().circulating();
  }

  /**
   * How many held operations took no effect in the fold (their funds were voided).
   *
   * @return how many held operations took no effect in the fold (their funds were voided)
   */
  public synchronized long skipped() {
    ensureOpen();
    return book.folded().skipped();
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
    return book.folded().digest(fingerprint, book.equivocators());
  }

  /**
   * The accounts that equivocated, in id order.
   *
   * @return the accounts that equivocated, in id order
   */
  public synchronized List<NodeId> equivocators() {
    ensureOpen();
    return List.copyOf(book.equivocators().keySet());
  }

  /**
   * The proof that {@code account} equivocated, if this node holds one.
   *
   * @param account the account
   * @return the two conflicting operations, or empty
   */
  public synchronized Optional<EquivocationProof> equivocation(NodeId account) {
    ensureOpen();
    return ChainViews.equivocation(book, account);
  }

  /**
   * Every chain this node holds, in account order.
   *
   * @return every chain this node holds, in account order
   */
  public synchronized List<ChainHead> heads() {
    ensureOpen();
    return ChainViews.heads(book);
  }

  /**
   * What this node holds of {@code account}'s chain, or null.
   *
   * @param account the account
   * @return its head or null
   */
  public synchronized ChainHead head(NodeId account) {
    ensureOpen();
    return ChainViews.head(book, account);
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
    return ChainViews.operations(book, account, fromSeq, max);
  }

  /**
   * The held operation with this id.
   *
   * @param id the id
   * @return the operation, or empty
   */
  public synchronized Optional<Operation> operation(OperationId id) {
    ensureOpen();
    return Optional.ofNullable(book.get(id));
  }

  /**
   * Whether a held payment (or any operation) may be treated as final by a receiver that waits
   * {@code confirmation} (see docs/economy.md): it is held, its account has no known conflict at
   * or below its sequence, it took effect in the fold, and its timestamp is at least {@code
   * confirmation} older than this node's clock. Choose {@code confirmation} above the network's
   * convergence time; finality is then the assumption that a conflicting operation would have
   * reached this node by now.
   *
   * @param id the operation
   * @param confirmation the confirmation window, {@code >= 0}
   * @return true if final by that rule
   */
  public synchronized boolean isFinal(OperationId id, java.time.Duration confirmation) {
    ensureOpen();
    if (confirmation.isNegative()) {
      throw new IllegalArgumentException("confirmation must be >= 0, was " + confirmation);
    }
    return ChainViews.isFinal(book, id, confirmation.toMillis(), clock.epochMillis());
  }

  /**
   * How many operations this node holds (conflicting and void ones included).
   *
   * @return how many operations this node holds (conflicting and void ones included)
   */
  public synchronized int size() {
    ensureOpen();
    return book.size();
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
    return book.unclaimed(account);
  }

  /**
   * The operations that took effect, in the canonical fold order every node shares: what a higher
   * layer folds (application operations for votes, bids, outcomes).
   *
   * @return an immutable copy
   */
  public synchronized List<Operation> effectiveOperations() {
    ensureOpen();
    return List.copyOf(book.folded().applied());
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
    return ChainViews.applicationOperations(book, appKind);
  }

  /**
   * A vesting grant as the fold sees it (claims and claw-backs applied).
   *
   * @param grant the id of its {@link OperationBody.EscrowVest}
   * @return the grant, or empty if no such grant took effect
   */
  public synchronized Optional<VestingGrant> vestingGrant(OperationId grant) {
    ensureOpen();
    return Optional.ofNullable(Vesting.view(book, grant));
  }

  /**
   * The vesting grants paying {@code recipient} that took effect, in the order this node accepted
   * them: what its owner claims with {@link OperationBody.VestClaim}.
   *
   * @param recipient the worker
   * @return snapshots of its grants
   */
  public synchronized List<VestingGrant> vestingGrants(NodeId recipient) {
    ensureOpen();
    return Vesting.grantsTo(book, recipient);
  }

  /**
   * Every success, failure and slash the fold met, in canonical order, each with the worker's
   * stake at that point: the signed evidence reputation is computed from (see {@code
   * reputation.LedgerReputation}). The same list on every node holding the same operations.
   *
   * @return an immutable copy
   */
  public synchronized List<WorkRecord> workRecords() {
    ensureOpen();
    return List.copyOf(book.folded().work());
  }

  private void ensureOpen() {
    journal.ensureOpen();
  }

  /** Closes the database. Idempotent. */
  @Override
  public synchronized void close() {
    journal.close();
  }

  @Override
  public synchronized String toString() {
    return "Ledger[" + book.chains().size() + " accounts, " + book.size() + " operations]";
  }
}
