package io.github.edgenet.economy.market;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.internal.Canonical;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The compute market of a network: one {@link ComputePool} per provider, and the comparison a
 * buyer makes across candidates ({@link #cheapest}).
 *
 * <p>Thread-safe. The registry's monitor guards only the map; it is never held while a pool is
 * called, so no thread ever holds two locks and no lock-ordering deadlock can arise.
 */
public final class ComputeMarket {
  /**
   * A provider's price for an amount of compute.
   *
   * @param provider whose pool
   * @param computeUnits the compute bought
   * @param priceMicros what it costs now, token micro-units (the exact-out input)
   */
  public record Offer(NodeId provider, long computeUnits, long priceMicros) {}

  private final TreeMap<NodeId, ComputePool> pools = new TreeMap<>();

  /** An empty market. */
  public ComputeMarket() {}

  /**
   * Opens {@code provider}'s pool, or returns the one already open (whatever its fee).
   *
   * @param provider the provider
   * @param feeBps the fee of a new pool, basis points
   * @return the provider's pool
   * @throws IllegalArgumentException if {@code feeBps} is out of range
   */
  public synchronized ComputePool open(NodeId provider, int feeBps) {
    Objects.requireNonNull(provider, "provider");
    AmmMath.checkFee(feeBps);
    return pools.computeIfAbsent(provider, p -> ComputePool.create(p, feeBps));
  }

  /**
   * {@code provider}'s pool, if open.
   *
   * @param provider the node whose pool is wanted
   * @return {@code provider}'s pool, if open
   */
  public synchronized Optional<ComputePool> pool(NodeId provider) {
    return Optional.ofNullable(pools.get(provider));
  }

  /**
   * How many pools are open.
   *
   * @return how many pools are open
   */
  public synchronized int size() {
    return pools.size();
  }

  /**
   * The cheapest current offer among {@code candidates} for {@code computeUnits} of compute: the
   * smallest exact-out price, ties to the smaller node id. Candidates without a pool, or whose
   * pool cannot sell that much, are skipped.
   *
   * @param candidates the providers to compare
   * @param computeUnits the compute wanted, > 0
   * @return the best offer, or empty if no candidate can sell it
   * @throws IllegalArgumentException if {@code computeUnits <= 0}
   */
  public Optional<Offer> cheapest(Collection<NodeId> candidates, long computeUnits) {
    if (computeUnits <= 0) {
      throw new IllegalArgumentException("computeUnits must be > 0, got " + computeUnits);
    }
    Offer best = null;
    for (NodeId c : toMap(candidates).keySet()) { // node-id order: ties to the smaller id
      Optional<ComputePool> p = pool(c);
      if (p.isEmpty()) {
        continue;
      }
      long price;
      try {
        price = p.get().quoteExactOut(SwapDirection.BUY_COMPUTE, computeUnits).amountIn();
      } catch (MarketException e) {
        continue;
      }
      if (best == null || price < best.priceMicros()) {
        best = new Offer(c, computeUnits, price);
      }
    }
    return Optional.ofNullable(best);
  }

  private static Map<NodeId, Boolean> toMap(Collection<NodeId> ids) {
    TreeMap<NodeId, Boolean> m = new TreeMap<>();
    for (NodeId id : ids) {
      m.put(Objects.requireNonNull(id, "candidate"), Boolean.TRUE);
    }
    return m;
  }

  /**
   * SHA-256 over every pool's digest in provider order, 64 hex digits.
   *
   * @return SHA-256 over every pool's digest in provider order, 64 hex digits
   */
  public String digest() {
    List<ComputePool> snapshot;
    synchronized (this) {
      snapshot = new ArrayList<>(pools.values());
    }
    Canonical c = Canonical.of("edgenet.market.v1").u64(snapshot.size());
    for (ComputePool p : snapshot) {
      c.text(p.digest());
    }
    return c.finishHex();
  }
}
