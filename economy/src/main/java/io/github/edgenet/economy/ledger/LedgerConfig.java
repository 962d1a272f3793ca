package io.github.edgenet.economy.ledger;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.governance.GovernorSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The network parameters every node of one ledger must share: who may mint, who may adjudicate
 * slashes, how long unbonding takes, slash rates and where slashed stake goes. Two nodes with
 * different configurations compute different states from the same operations; the {@link
 * #fingerprint()} is part of the state digest so that the difference shows.
 *
 * @param mintAuthorities the accounts that may sign {@link OperationBody.Mint} (genesis, rewards)
 * @param adjudicators the keys whose verdicts prove non-equivocation offenses
 * @param unbondingPeriodMillis how long unbonded stake stays slashable before it can be withdrawn,
 *     {@code >= 0}
 * @param slashRatesBps the slash rate of every offense, basis points in [0, 10000]
 * @param treasury where slashed stake goes; null burns it (supply shrinks by the slashed amount)
 * @param maxFutureSkewMillis how far ahead of this node's clock a new operation's timestamp may
 *     be, {@code >= 0}; a further one is rejected until the clock catches up
 * @param governance the rules of on-ledger governance ({@link GovernanceBody}): voting delay and
 *     period, quorum, proposal threshold, timelock, grace period and the guardian accounts
 */
public record LedgerConfig(
    Set<NodeId> mintAuthorities,
    Set<NodeId> adjudicators,
    long unbondingPeriodMillis,
    Map<Offense, Integer> slashRatesBps,
    NodeId treasury,
    long maxFutureSkewMillis,
    GovernorSettings governance) {

  /**
   * The governance rules a ledger has unless its builder sets others: a one-hour voting delay, a
   * one-day voting period, a 40 % quorum, no proposal threshold, a one-day timelock, a 14-day
   * grace period and no guardians.
   */
  public static final GovernorSettings DEFAULT_GOVERNANCE = new GovernorSettings(
      Duration.ofHours(1).toMillis(), Duration.ofDays(1).toMillis(), 4_000, 0,
      Duration.ofDays(1).toMillis(), Duration.ofDays(14).toMillis(), Set.of());

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException naming the first component out of range and its value
   */
  public LedgerConfig {
    mintAuthorities = Set.copyOf(new TreeSet<>(mintAuthorities));
    adjudicators = Set.copyOf(new TreeSet<>(adjudicators));
    if (unbondingPeriodMillis < 0) {
      throw new IllegalArgumentException(
          "unbondingPeriodMillis must be >= 0, was " + unbondingPeriodMillis);
    }
    if (maxFutureSkewMillis < 0) {
      throw new IllegalArgumentException(
          "maxFutureSkewMillis must be >= 0, was " + maxFutureSkewMillis);
    }
    EnumMap<Offense, Integer> rates = new EnumMap<>(Offense.class);
    for (Offense o : Offense.values()) {
      Integer r = slashRatesBps.get(o);
      int rate = r == null ? o.defaultRateBps() : r;
      if (rate < 0 || rate > 10_000) {
        throw new IllegalArgumentException(
            "slash rate of " + o + " must be in [0, 10000] bps, was " + rate);
      }
      rates.put(o, rate);
    }
    slashRatesBps = Map.copyOf(rates);
    Objects.requireNonNull(governance, "governance");
  }

  /**
   * A builder: genesis (and rewards) mint authorities are required, everything else has a default
   * (no adjudicators, 7 days of unbonding, the default slash rates, slashed stake burned, 30
   * seconds of clock skew).
   *
   * @param mintAuthorities accounts allowed to mint
   * @return a builder
   */
  public static Builder builder(Set<NodeId> mintAuthorities) {
    return new Builder(mintAuthorities);
  }

  /**
   * The slash rate of {@code offense} in basis points.
   *
   * @param offense the offense
   * @return the rate in [0, 10000]
   */
  public int slashRateBps(Offense offense) {
    return slashRatesBps.get(offense);
  }

  /**
   * SHA-256 over every parameter in a canonical order.
   *
   * @return SHA-256 over every parameter in a canonical order
   */
  public byte[] fingerprint() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update("edgenet-ledger-config-v1".getBytes(StandardCharsets.US_ASCII));
      for (NodeId id : new TreeSet<>(mintAuthorities)) {
        md.update((byte) 1);
        md.update(id.toBytes());
      }
      for (NodeId id : new TreeSet<>(adjudicators)) {
        md.update((byte) 2);
        md.update(id.toBytes());
      }
      byte[] b = new byte[8];
      Operation.putLong(b, 0, unbondingPeriodMillis);
      md.update(b);
      for (Offense o : Offense.values()) {
        Operation.putLong(b, 0, slashRatesBps.get(o));
        md.update(b);
      }
      md.update(treasury == null ? new byte[NodeId.LENGTH] : treasury.toBytes());
      for (long v : new long[] {governance.votingDelayMillis(), governance.votingPeriodMillis(),
          governance.quorumBps(), governance.proposalThresholdMicros(),
          governance.timelockDelayMillis(), governance.gracePeriodMillis()}) {
        Operation.putLong(b, 0, v);
        md.update(b);
      }
      for (NodeId id : new TreeSet<>(governance.guardians())) {
        md.update((byte) 3);
        md.update(id.toBytes());
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Builds a {@link LedgerConfig}. Not thread-safe. */
  public static final class Builder {
    private final Set<NodeId> mintAuthorities;
    private Set<NodeId> adjudicators = Set.of();
    private long unbondingMillis = Duration.ofDays(7).toMillis();
    private final EnumMap<Offense, Integer> rates = new EnumMap<>(Offense.class);
    private NodeId treasury;
    private long skewMillis = 30_000;
    private GovernorSettings governance = DEFAULT_GOVERNANCE;

    private Builder(Set<NodeId> mintAuthorities) {
      this.mintAuthorities = Objects.requireNonNull(mintAuthorities, "mintAuthorities");
    }

    /**
     * The adjudicator keys.
     *
     * @param keys the keys
     * @return this
     */
    public Builder adjudicators(Set<NodeId> keys) {
      this.adjudicators = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * The unbonding period.
     *
     * @param period non-negative
     * @return this
     */
    public Builder unbondingPeriod(Duration period) {
      this.unbondingMillis = period.toMillis();
      return this;
    }

    /**
     * One offense's slash rate.
     *
     * @param offense the offense
     * @param bps basis points in [0, 10000]
     * @return this
     */
    public Builder slashRate(Offense offense, int bps) {
      rates.put(Objects.requireNonNull(offense, "offense"), bps);
      return this;
    }

    /**
     * Send slashed stake to {@code account} instead of burning it.
     *
     * @param account the treasury account, or null to burn
     * @return this
     */
    public Builder treasury(NodeId account) {
      this.treasury = account;
      return this;
    }

    /**
     * The largest accepted clock skew of new operations.
     *
     * @param skew non-negative
     * @return this
     */
    public Builder maxFutureSkew(Duration skew) {
      this.skewMillis = skew.toMillis();
      return this;
    }

    /**
     * The rules of on-ledger governance (default {@link LedgerConfig#DEFAULT_GOVERNANCE}).
     *
     * @param settings delays, quorum, threshold, timelock, grace period and guardian accounts
     * @return this
     */
    public Builder governance(GovernorSettings settings) {
      this.governance = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * The configuration.
     *
     * @return a validated configuration
     * @throws IllegalArgumentException if a value is out of range, naming it
     */
    public LedgerConfig build() {
      return new LedgerConfig(mintAuthorities, adjudicators, unbondingMillis, rates, treasury,
          skewMillis, governance);
    }
  }
}
