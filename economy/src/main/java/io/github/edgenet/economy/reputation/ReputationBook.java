package io.github.edgenet.economy.reputation;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.internal.Canonical;
import io.github.edgenet.economy.internal.Int128;
import io.github.edgenet.economy.reputation.ReputationException.Reason;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reputation scores in [0, 1) from task outcomes, decaying continuously with time.
 *
 * <p><b>Model.</b> A node's evidence is two exponentially decayed sums of task value, successes
 * {@code S(t) = sum v_i 2^(-(t - t_i)/H)} and failures {@code F(t)} alike, with half-life
 * {@code H}. Its score is {@code S / (S + F + C)} with the confidence weight {@code C}: 0 for a
 * newcomer, falling towards 0 again when the node stops working, lowered by every failure in
 * proportion to the failed task's value. The decay is the closed form over the elapsed
 * milliseconds, so there is no per-interval step that frequent actors could keep resetting, and the
 * score at a time does not depend on how often the book was updated.
 *
 * <p><b>Determinism.</b> The sums are doubles computed only with IEEE-754 operations and
 * {@link StrictMath}, which Java specifies bit for bit, so nodes folding the same outcomes in the
 * same (the ledger's canonical) order reach bit-identical state ({@link #digest()}); in another
 * order the scores agree to rounding (about 1e-15 relative), since the model is commutative.
 *
 * <p><b>Money stays exact.</b> The score is a dimensionless weight, not an amount: task values
 * enter it only as weights of evidence, and no balance, price or payment is ever a double. Where a
 * score touches money ({@link #discountedPrice}) it first becomes whole basis points ({@link
 * #discountBps}, floored), and the discount is then taken in exact 128-bit integer arithmetic.
 *
 * <p><b>Stake.</b> Only staked nodes have reputation: an outcome for a worker whose stake (as the
 * ledger reports it at the outcome) is below {@link ReputationConfig#minStakeMicros()} is refused,
 * and an unstaked node scores 0.
 *
 * <p>Thread-safe: one monitor guards all state.
 */
public final class ReputationBook {
  private static final class Evidence {
    double success;
    double failure;
    long anchorMillis;
  }

  private final ReputationConfig config;
  private final HashMap<NodeId, Evidence> evidence = new HashMap<>();

  /**
   * An empty book.
   *
   * @param config the half-life, confidence weight, discount and minimum stake
   */
  public ReputationBook(ReputationConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The configuration this book computes with. */
  public ReputationConfig config() {
    return config;
  }

  /**
   * Folds in one verified outcome.
   *
   * @param outcome the outcome
   * @param workerStakeMicros the worker's stake at the outcome, as the ledger computes it
   * @throws ReputationException {@code INVALID_VALUE} or {@code NOT_STAKED}
   */
  public synchronized void record(TaskOutcome outcome, long workerStakeMicros) {
    Objects.requireNonNull(outcome, "outcome");
    if (outcome.valueMicros() <= 0) {
      throw new ReputationException(Reason.INVALID_VALUE, "valueMicros=" + outcome.valueMicros());
    }
    if (workerStakeMicros < config.minStakeMicros()) {
      throw new ReputationException(Reason.NOT_STAKED, outcome.worker() + " stakes "
          + workerStakeMicros + " < minimum " + config.minStakeMicros());
    }
    Evidence e = evidence.get(outcome.worker());
    double v = outcome.valueMicros();
    if (e == null) {
      e = new Evidence();
      e.anchorMillis = outcome.atMillis();
      evidence.put(outcome.worker(), e);
    }
    if (outcome.atMillis() >= e.anchorMillis) {
      double d = decay(outcome.atMillis() - e.anchorMillis);
      e.success *= d;
      e.failure *= d;
      e.anchorMillis = outcome.atMillis();
    } else {
      v *= decay(e.anchorMillis - outcome.atMillis()); // an older outcome, aged to the anchor
    }
    if (outcome.success()) {
      e.success += v;
    } else {
      e.failure += v;
    }
  }

  /**
   * A slash: the node's success evidence is forfeited (set to zero) as of {@code atMillis}; its
   * failure evidence stays and keeps decaying, so its score is 0 until it succeeds again, and then
   * rises more slowly than a newcomer's while the old failures weigh. A node with no evidence is
   * unchanged. Used by {@link LedgerReputation} for every slash the ledger folds.
   *
   * @param node the slashed node
   * @param atMillis the slash's time, epoch millis
   */
  public synchronized void forfeitSuccesses(NodeId node, long atMillis) {
    Objects.requireNonNull(node, "node");
    Evidence e = evidence.get(node);
    if (e == null) {
      return;
    }
    if (atMillis > e.anchorMillis) {
      e.failure *= decay(atMillis - e.anchorMillis);
      e.anchorMillis = atMillis;
    }
    e.success = 0.0;
  }

  /**
   * The node's score at {@code atMillis}, in [0, 1): 0 if it is unstaked or has no evidence.
   * Queries do not change the book. A time before the node's latest outcome reads the score as of
   * that outcome (the sums never grow backwards).
   *
   * @param node whose score
   * @param atMillis when, epoch millis
   * @param stakeMicros the node's current stake
   * @return the score
   */
  public synchronized double scoreAt(NodeId node, long atMillis, long stakeMicros) {
    Evidence e = evidence.get(node);
    if (e == null || stakeMicros < config.minStakeMicros()) {
      return 0.0;
    }
    double d = decay(Math.max(0, atMillis - e.anchorMillis));
    double s = e.success * d;
    return s / (s + e.failure * d + config.confidenceMicros());
  }

  /**
   * The discount a score earns, in basis points: {@code floor(maxDiscountBps * score)}, rising
   * linearly from 0 to the configured maximum.
   *
   * @param score a score in [0, 1]
   * @return the discount in [0, maxDiscountBps]
   * @throws IllegalArgumentException if {@code score} is outside [0, 1] or NaN
   */
  public int discountBps(double score) {
    if (!(score >= 0.0 && score <= 1.0)) {
      throw new IllegalArgumentException("score must be in [0, 1], got " + score);
    }
    return (int) StrictMath.floor(config.maxDiscountBps() * score);
  }

  /**
   * {@code priceMicros} less the node's reputation discount, rounded in the provider's favour
   * (the discount is floored).
   *
   * @param priceMicros the undiscounted price, >= 0
   * @param node the provider
   * @param atMillis when, epoch millis
   * @param stakeMicros the provider's stake
   * @return the discounted price in micro-units
   * @throws IllegalArgumentException if {@code priceMicros < 0}
   */
  public long discountedPrice(long priceMicros, NodeId node, long atMillis, long stakeMicros) {
    if (priceMicros < 0) {
      throw new IllegalArgumentException("priceMicros must be >= 0, got " + priceMicros);
    }
    int bps = discountBps(scoreAt(node, atMillis, stakeMicros));
    return priceMicros - Int128.mulDiv(priceMicros, bps, 10_000); // bps <= 5000: fits
  }

  /** How many nodes have evidence. */
  public synchronized int size() {
    return evidence.size();
  }

  /** SHA-256 over every node's evidence in node-id order (doubles by their bit patterns). */
  public synchronized String digest() {
    TreeMap<NodeId, Evidence> sorted = new TreeMap<>(evidence);
    Canonical c = Canonical.of("edgenet.reputation.v1").u64(config.halfLifeMillis())
        .u64(config.confidenceMicros()).u64(sorted.size());
    for (Map.Entry<NodeId, Evidence> me : sorted.entrySet()) {
      Evidence e = me.getValue();
      c.id(me.getKey()).f64(e.success).f64(e.failure).u64(e.anchorMillis);
    }
    return c.finishHex();
  }

  private double decay(long elapsedMillis) {
    return StrictMath.pow(0.5, (double) elapsedMillis / config.halfLifeMillis());
  }
}
