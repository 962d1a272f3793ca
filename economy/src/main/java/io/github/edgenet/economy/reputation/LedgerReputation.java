package io.github.edgenet.economy.reputation;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.governance.NetworkConfig;
import io.github.edgenet.economy.governance.NetworkParameter;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.WorkRecord;
import java.util.List;
import java.util.Objects;

/**
 * Reputation folded from the ledger's signed operations, the same bits on every node that holds
 * the same operations: the {@link ReputationBook} fed with {@link Ledger#workRecords()} in the
 * ledger's canonical fold order.
 *
 * <ul>
 *   <li><b>Success</b>: an escrow released to its worker ({@code EscrowRelease}) or released as a
 *       vesting grant ({@code EscrowVest}); value = the escrow's amount, time = that operation's
 *       timestamp.
 *   <li><b>Failure</b>: a {@code TaskFailed} report signed by the escrow's payer naming the
 *       worker; value = the escrow's amount.
 *   <li>Counted only if the worker's bonded stake in the fold at that point is at least {@link
 *       ReputationConfig#minStakeMicros()}: evidence about an unstaked node is dropped.
 *   <li><b>Slash</b> (by verdict or for equivocation): the worker's success evidence is forfeited
 *       ({@link ReputationBook#forfeitSuccesses}), so its score drops to 0; failures stay.
 * </ul>
 *
 * <pre>{@code
 * LedgerReputation rep = new LedgerReputation(ledger, ReputationConfig.defaults());
 * double score = rep.scoreAt(worker, clock.epochMillis());         // [0, 1)
 * long price = rep.discountedPrice(quoteMicros, worker, clock.epochMillis());
 * }</pre>
 *
 * <p>The book is rebuilt lazily: a query first reads the ledger's records and, when the fold only
 * grew, records just the new ones; when the fold was recomputed (an operation arrived out of
 * order) it starts again from the beginning. Scores use the worker's current stake in the ledger.
 *
 * <p>Thread-safe: one monitor; it calls the ledger (which has its own lock) while holding it, and
 * the ledger never calls back, so no lock cycle is possible.
 */
public final class LedgerReputation {
  private final Ledger ledger;
  private final long governedConfidence; // > 0: follow the ledger's live network configuration
  private ReputationConfig config;
  private ReputationBook book;
  private List<WorkRecord> seen = List.of();
  private long counted;

  /**
   * A view of {@code ledger}'s reputation.
   *
   * @param ledger the node's ledger
   * @param config half-life, confidence, maximum discount and minimum stake (every node of a
   *     network must use the same, or scores differ; governance makes them network parameters)
   */
  public LedgerReputation(Ledger ledger, ReputationConfig config) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.config = Objects.requireNonNull(config, "config");
    this.governedConfidence = 0;
    this.book = new ReputationBook(config);
  }

  private LedgerReputation(Ledger ledger, long confidenceMicros) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.governedConfidence = confidenceMicros;
    this.config = live();
    this.book = new ReputationBook(config);
  }

  /**
   * A view whose half-life, maximum discount and minimum stake follow the ledger's live network
   * configuration ({@link Ledger#networkConfig()}: {@code REPUTATION_HALF_LIFE_MILLIS}, {@code
   * MAX_REPUTATION_DISCOUNT_BPS}, {@code MIN_STAKE_MICROS}), so an executed governance proposal
   * changes them on every node at once. When the configuration changes, the book is rebuilt from
   * all evidence with the new values (the same on every node that holds the same operations).
   *
   * @param ledger the node's ledger
   * @param confidenceMicros {@link ReputationConfig#confidenceMicros()} (not governable), > 0
   * @return the view
   * @throws IllegalArgumentException if {@code confidenceMicros <= 0}
   */
  public static LedgerReputation governed(Ledger ledger, long confidenceMicros) {
    if (confidenceMicros <= 0) {
      throw new IllegalArgumentException("confidenceMicros must be > 0, got " + confidenceMicros);
    }
    return new LedgerReputation(ledger, confidenceMicros);
  }

  private ReputationConfig live() {
    NetworkConfig c = ledger.networkConfig();
    return new ReputationConfig(c.get(NetworkParameter.REPUTATION_HALF_LIFE_MILLIS),
        governedConfidence, (int) c.get(NetworkParameter.MAX_REPUTATION_DISCOUNT_BPS),
        c.get(NetworkParameter.MIN_STAKE_MICROS));
  }

  /**
   * The configuration scores are computed with.
   *
   * @return the configuration scores are computed with
   */
  public synchronized ReputationConfig config() {
    return governedConfidence > 0 ? refreshConfig() : config;
  }

  /**
   * The node's score at {@code atMillis}, in [0, 1): 0 for a node without counted evidence or
   * whose current stake is below the minimum.
   *
   * @param node the worker
   * @param atMillis epoch milliseconds
   * @return the score
   */
  public synchronized double scoreAt(NodeId node, long atMillis) {
    return refresh().scoreAt(node, atMillis, ledger.account(node).stake());
  }

  /**
   * The discount the node's score earns at {@code atMillis}, whole basis points, floored.
   *
   * @param node the provider
   * @param atMillis epoch milliseconds
   * @return in [0, maxDiscountBps]
   */
  public synchronized int discountBps(NodeId node, long atMillis) {
    ReputationBook b = refresh();
    return b.discountBps(b.scoreAt(node, atMillis, ledger.account(node).stake()));
  }

  /**
   * {@code priceMicros} less the node's reputation discount, rounded in the provider's favour.
   *
   * @param priceMicros the undiscounted price, {@code >= 0}
   * @param node the provider
   * @param atMillis epoch milliseconds
   * @return the discounted price in micro-units
   * @throws IllegalArgumentException if {@code priceMicros < 0}
   */
  public synchronized long discountedPrice(long priceMicros, NodeId node, long atMillis) {
    return refresh().discountedPrice(priceMicros, node, atMillis, ledger.account(node).stake());
  }

  /**
   * How many work records were counted (the others were about unstaked workers).
   *
   * @return how many work records were counted (the others were about unstaked workers)
   */
  public synchronized long counted() {
    refresh();
    return counted;
  }

  /**
   * The book's digest: equal on two nodes exactly when their evidence is bit for bit equal.
   *
   * @return the book's digest: equal on two nodes exactly when their evidence is bit for bit equal
   */
  public synchronized String digest() {
    return refresh().digest();
  }

  private ReputationConfig refreshConfig() {
    ReputationConfig next = live();
    if (!next.equals(config)) {
      config = next;
      book = new ReputationBook(config);
      seen = List.of();
      counted = 0;
    }
    return config;
  }

  private ReputationBook refresh() {
    if (governedConfidence > 0) {
      refreshConfig();
    }
    List<WorkRecord> now = ledger.workRecords();
    boolean grew = now.size() >= seen.size() && now.subList(0, seen.size()).equals(seen);
    if (!grew) {
      book = new ReputationBook(config);
      counted = 0;
    }
    for (WorkRecord r : now.subList(grew ? seen.size() : 0, now.size())) {
      apply(r);
    }
    seen = now;
    return book;
  }

  private void apply(WorkRecord r) {
    switch (r.kind()) {
      case SLASHED -> book.forfeitSuccesses(r.worker(), r.atMillis());
      case SUCCESS, FAILURE -> {
        if (r.workerStakeMicros() >= config.minStakeMicros() && r.valueMicros() > 0) {
          book.record(new TaskOutcome(r.worker(), r.valueMicros(),
              r.kind() == WorkRecord.Kind.SUCCESS, r.atMillis()), r.workerStakeMicros());
          counted++;
        }
      }
    }
  }
}
