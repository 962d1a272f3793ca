package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.Clock;
import io.github.edgenet.optimize.allocate.FairShare;
import io.github.edgenet.optimize.allocate.HoltForecaster;
import io.github.edgenet.swarm.node.TaskId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * optimize's allocator as the node's {@link ResourceGate}: the node has {@code k} execution slots,
 * and each task type may hold at most its fair share of them.
 *
 * <p><b>Slots.</b> An admitted offer reserves a slot for its task until the award arrives (the
 * reservation then becomes the run) or until {@code holdMillis} pass without one (an offer is a
 * commitment: a node must not promise more than it can run). A run holds its slot until {@link
 * #finished}. An award without a live reservation needs a free slot within its type's share like
 * an offer. A type at its share, or a node with every slot held, is declined: no offer, or no run.
 *
 * <p><b>Shares.</b> Every {@code periodMillis} of the node's clock each type's demand of the
 * period is measured in slots, by Little's law: the slot-time its admitted tasks held plus {@code
 * holdMillis} for each declined one, divided by the period. optimize's {@link HoltForecaster}
 * (alpha 0.5, beta 0.2) forecasts the next period's mean demand {@code R}; a type claims {@code
 * R + sqrt(R)} slots, rounded up (square-root staffing, Halfin and Whitt 1981: arrivals are
 * bursty, and a share of exactly the mean would decline a burst even while the type is within its
 * fair share; a claim under a tenth of a slot counts as none). optimize's {@link FairShare} splits
 * the {@code k} slots by weighted max-min fairness in whole slots: every type gets up to its
 * claim, the most-constrained first; what is left goes, again max-min, to the
 * types with a positive forecast, so a busy type may burst into idle slots while a type with no
 * demand holds none. Before the first period ends every type gets an equal split. Declined tasks
 * count as demand, so a type that was refused gets a share in the next period.
 *
 * <p>Lazy: every call first brings the state to the clock's present (expired reservations, ended
 * periods in time order); no timer. Never more than {@code k} slots are held, and a type never
 * takes a slot while it holds its share (a lowered share is reached as its tasks finish). Not
 * thread-safe: called under the engine's lock.
 */
public final class AllocationGate implements ResourceGate {
  /** Holt's level smoothing. */
  static final double HOLT_ALPHA = 0.5;
  /** Holt's trend smoothing. */
  static final double HOLT_BETA = 0.2;
  /** A forecast below this many slots counts as no demand (Holt's level only decays to 0). */
  static final double NEGLIGIBLE = 0.1;
  /** Periods caught up one by one at most; after a longer silence the gate starts afresh. */
  static final int MAX_CATCH_UP = 256;

  private record Reservation(int type, long expiresNanos) {}

  private final Clock clock;
  private final int slots;
  private final long periodNanos;
  private final long holdNanos;
  private final String[] types;
  private final Map<String, Integer> index = new HashMap<>();
  private final HoltForecaster[] forecasts;
  private final long[] share;
  private final long[] inUse;
  private final long[] admitted;
  private final long[] declined;
  private final double[] occupied;
  private final double[] wanted;
  private final LinkedHashMap<TaskId, Reservation> reservations = new LinkedHashMap<>();
  private final Map<TaskId, Integer> running = new HashMap<>();
  private long held;
  private long lastChange;
  private long periodStart;
  private boolean observed;

  /**
   * A gate for the node's task types.
   *
   * @param clock the node's clock
   * @param types the task types this node runs
   * @param slots execution slots, {@code >= 1}
   * @param periodMillis re-allocation period, {@code >= 1}
   * @param holdMillis how long an admitted offer holds its slot without an award, {@code >= 1}
   */
  public AllocationGate(Clock clock, Collection<String> types, int slots, long periodMillis,
      long holdMillis) {
    if (slots < 1 || periodMillis < 1 || holdMillis < 1) {
      throw new IllegalArgumentException("slots, periodMillis and holdMillis must be >= 1, were "
          + slots + ", " + periodMillis + ", " + holdMillis);
    }
    this.clock = clock;
    this.slots = slots;
    this.periodNanos = periodMillis * 1_000_000L;
    this.holdNanos = holdMillis * 1_000_000L;
    this.types = new java.util.TreeSet<>(types).toArray(new String[0]);
    int n = this.types.length;
    for (int i = 0; i < n; i++) {
      index.put(this.types[i], i);
    }
    this.forecasts = new HoltForecaster[n];
    for (int i = 0; i < n; i++) {
      forecasts[i] = new HoltForecaster(HOLT_ALPHA, HOLT_BETA);
    }
    this.share = new long[n];
    this.inUse = new long[n];
    this.admitted = new long[n];
    this.declined = new long[n];
    this.occupied = new double[n];
    this.wanted = new double[n];
    this.lastChange = clock.nanos();
    this.periodStart = lastChange;
    reallocate();
  }

  @Override
  public boolean admit(String type) {
    Integer i = index.get(type);
    if (i == null) {
      return false;
    }
    tick();
    return free(i);
  }

  @Override
  public boolean offer(TaskId id, String type) {
    Integer i = index.get(type);
    if (i == null) {
      return false;
    }
    tick();
    if (reservations.containsKey(id) || running.containsKey(id)) {
      return true; // a repeated request for a task already offered for
    }
    if (!take(i)) {
      return false;
    }
    reservations.put(id, new Reservation(i, clock.nanos() + holdNanos));
    return true;
  }

  @Override
  public boolean award(TaskId id, String type) {
    Integer i = index.get(type);
    if (i == null) {
      return false;
    }
    tick();
    if (running.containsKey(id)) {
      return true;
    }
    Reservation r = reservations.remove(id);
    if (r != null) {
      running.put(id, r.type()); // the offer's slot becomes the run's
      return true;
    }
    if (!take(i)) {
      return false;
    }
    running.put(id, i);
    return true;
  }

  @Override
  public void finished(TaskId id, String type) {
    tick();
    Integer i = running.remove(id);
    if (i != null) {
      release(i);
    }
  }

  /**
   * A held offer frees its slot within {@code offerHoldMillis}, and the shares are re-split at the
   * next period: whichever comes first.
   */
  @Override
  public long retryAfterMillis(String type) {
    long untilPeriod = Math.max(0, periodStart + periodNanos - clock.nanos());
    return Math.max(1, Math.min(holdNanos, untilPeriod) / 1_000_000);
  }

  @Override
  public Map<String, Long> admitted() {
    return counts(admitted);
  }

  @Override
  public Map<String, Long> declined() {
    return counts(declined);
  }

  /** Each type's share of the slots now. */
  public Map<String, Long> shares() {
    tick();
    return counts(share);
  }

  /** Slots held now, by type (reservations and runs). */
  public Map<String, Long> inUse() {
    tick();
    return counts(inUse);
  }

  /** Slots held now in total. */
  public long held() {
    tick();
    return held;
  }

  /** The node's slots. */
  public int slots() {
    return slots;
  }

  // --- slots ----------------------------------------------------------------------------------

  private boolean free(int i) {
    return inUse[i] < share[i] && held < slots;
  }

  private boolean take(int i) {
    if (!free(i)) {
      declined[i]++;
      wanted[i] += holdNanos;
      return false;
    }
    advance(clock.nanos());
    inUse[i]++;
    held++;
    admitted[i]++;
    return true;
  }

  private void release(int i) {
    advance(clock.nanos());
    inUse[i]--;
    held--;
  }

  /** Integrates the slots held up to {@code t}. */
  private void advance(long t) {
    long dt = t - lastChange;
    if (dt > 0) {
      for (int i = 0; i < inUse.length; i++) {
        occupied[i] += (double) inUse[i] * dt;
      }
      lastChange = t;
    }
  }

  /** Expires reservations and ends periods, in time order, up to now. */
  private void tick() {
    long now = clock.nanos();
    if (now - periodStart > (long) MAX_CATCH_UP * periodNanos) {
      expireUntil(now); // a long silence: one period of what is held now, then start afresh
      for (int i = 0; i < types.length; i++) {
        occupied[i] = (double) inUse[i] * periodNanos;
        wanted[i] = 0;
      }
      lastChange = now;
      endPeriod();
      periodStart = now;
      return;
    }
    while (true) {
      long nextRoll = periodStart + periodNanos;
      Iterator<Map.Entry<TaskId, Reservation>> it = reservations.entrySet().iterator();
      long nextExpiry = it.hasNext() ? it.next().getValue().expiresNanos() : Long.MAX_VALUE;
      long t = Math.min(nextRoll, nextExpiry);
      if (t > now) {
        break;
      }
      if (nextExpiry <= nextRoll) {
        expireUntil(nextExpiry);
      } else {
        advance(nextRoll);
        endPeriod();
        periodStart = nextRoll;
      }
    }
    advance(now);
  }

  private void expireUntil(long t) {
    Iterator<Map.Entry<TaskId, Reservation>> it = reservations.entrySet().iterator();
    while (it.hasNext()) {
      Reservation r = it.next().getValue();
      if (r.expiresNanos() > t) {
        break;
      }
      advance(r.expiresNanos());
      it.remove();
      inUse[r.type()]--;
      held--;
    }
  }

  /** Records each type's demand of the ended period and re-allocates. */
  private void endPeriod() {
    for (int i = 0; i < types.length; i++) {
      forecasts[i].observe((occupied[i] + wanted[i]) / periodNanos);
      occupied[i] = 0;
      wanted[i] = 0;
    }
    observed = true;
    reallocate();
  }

  private void reallocate() {
    int n = types.length;
    if (n == 0) {
      return;
    }
    long[] demand = new long[n];
    boolean anyDemand = false;
    for (int i = 0; i < n; i++) {
      double f = observed ? Math.max(0, forecasts[i].forecast(1)) : slots;
      // square-root staffing: the mean concurrency plus its Poisson spread, in whole slots
      demand[i] = Math.min(slots, Math.max(0, (long) Math.ceil(f + Math.sqrt(f) - NEGLIGIBLE)));
      anyDemand |= demand[i] > 0;
    }
    List<FairShare.Claim> claims = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      claims.add(new FairShare.Claim(demand[i], 1, 0, 0));
    }
    long[] first = FairShare.allocate(slots, claims);
    long left = slots;
    for (long s : first) {
      left -= s;
    }
    if (left > 0) {
      // idle slots: to the types with demand (burst room), or to all when none has any
      claims.clear();
      for (int i = 0; i < n; i++) {
        claims.add(new FairShare.Claim(!anyDemand || demand[i] > 0 ? slots - first[i] : 0, 1, 0,
            0));
      }
      long[] extra = FairShare.allocate(left, claims);
      for (int i = 0; i < n; i++) {
        first[i] += extra[i];
      }
    }
    System.arraycopy(first, 0, share, 0, n);
  }

  private Map<String, Long> counts(long[] values) {
    Map<String, Long> m = new TreeMap<>();
    for (int i = 0; i < types.length; i++) {
      m.put(types[i], values[i]);
    }
    return m;
  }

  @Override
  public String toString() {
    return "AllocationGate[" + slots + " slots, held " + held + ", shares " + counts(share) + "]";
  }
}
