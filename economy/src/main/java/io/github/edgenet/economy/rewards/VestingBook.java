package io.github.edgenet.economy.rewards;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.internal.Canonical;
import io.github.edgenet.economy.rewards.RewardException.Reason;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Vesting rewards: every grant vests by its {@link VestingSchedule} (OpenZeppelin VestingWallet
 * semantics), its recipient claims the vested part ({@link #release}), and its funder can claw back
 * only the unvested part of only the named recipient's grant ({@link #clawBack}); what had vested
 * stays claimable. The book moves no money: every method returns the amount the ledger moves
 * (grant: funder to escrow; release: escrow to recipient; claw-back: escrow to funder).
 *
 * <p>Invariants (tested): per grant {@code released <= vested <= total}; over the book
 * {@code granted = released + clawedBack + outstanding}. Times are the signed operations' epoch
 * millis. Refusals are {@link RewardException}s thrown before any change.
 *
 * <p>Thread-safe: one monitor guards all state.
 */
public final class VestingBook {
  private static final class Entry {
    final long id;
    final NodeId recipient;
    final NodeId funder;
    final VestingSchedule schedule;
    long total;
    long released;
    long clawedBack;
    long clawedAt = -1;

    Entry(long id, NodeId recipient, NodeId funder, long total, VestingSchedule schedule) {
      this.id = id;
      this.recipient = recipient;
      this.funder = funder;
      this.total = total;
      this.schedule = schedule;
    }

    Grant snapshot() {
      return new Grant(id, recipient, funder, total, released, clawedBack, schedule, clawedAt);
    }
  }

  private final TreeMap<Long, Entry> grants = new TreeMap<>();
  private long granted;
  private long releasedTotal;
  private long clawedTotal;

  /** An empty book. */
  public VestingBook() {}

  /**
   * Records a new grant; the ledger moves {@code total} from the funder into escrow.
   *
   * @param grantId a unique id (from the signed grant operation)
   * @param recipient who may claim
   * @param funder who may claw back the unvested part (the rewards role or the task submitter)
   * @param total the allocation in micro-units, > 0
   * @param schedule how it vests
   * @return the new grant
   * @throws RewardException {@code INVALID_AMOUNT} or {@code DUPLICATE_GRANT}
   */
  public synchronized Grant grant(
      long grantId, NodeId recipient, NodeId funder, long total, VestingSchedule schedule) {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(funder, "funder");
    Objects.requireNonNull(schedule, "schedule");
    if (total <= 0) {
      throw new RewardException(Reason.INVALID_AMOUNT, "total=" + total);
    }
    if (grants.containsKey(grantId)) {
      throw new RewardException(Reason.DUPLICATE_GRANT, "grant " + grantId + " exists");
    }
    long newGranted;
    try {
      newGranted = Math.addExact(granted, total);
    } catch (ArithmeticException e) {
      throw new RewardException(Reason.INVALID_AMOUNT, "book total " + granted + " + " + total);
    }
    Entry e = new Entry(grantId, recipient, funder, total, schedule);
    grants.put(grantId, e);
    granted = newGranted;
    return e.snapshot();
  }

  /**
   * VestingWallet's {@code release()}: pays the recipient everything vested and not yet claimed.
   *
   * @param grantId which grant
   * @param caller who signed the claim; must be the recipient
   * @param atMillis the claim's time, epoch millis
   * @return the amount the ledger pays from escrow to the recipient (0 if nothing is releasable)
   * @throws RewardException {@code UNKNOWN_GRANT} or {@code NOT_RECIPIENT}
   */
  public synchronized long release(long grantId, NodeId caller, long atMillis) {
    Entry e = find(grantId);
    if (!e.recipient.equals(caller)) {
      throw new RewardException(Reason.NOT_RECIPIENT,
          caller + " claims grant " + grantId + " of " + e.recipient);
    }
    long amount = e.snapshot().releasableAt(atMillis);
    e.released += amount;
    releasedTotal += amount;
    return amount;
  }

  /**
   * Claws back the part of {@code recipient}'s grant not vested at {@code atMillis}: the grant's
   * total becomes what had vested, which the recipient can still claim, and vesting stops.
   *
   * @param grantId which grant
   * @param recipient the recipient the funder means; must be the grant's recipient
   * @param caller who signed the claw-back; must be the grant's funder
   * @param atMillis the claw-back's time, epoch millis
   * @return the unvested amount the ledger returns from escrow to the funder (0 if all had vested)
   * @throws RewardException {@code UNKNOWN_GRANT}, {@code WRONG_RECIPIENT}, {@code NOT_FUNDER} or
   *     {@code ALREADY_CLAWED_BACK}
   */
  public synchronized long clawBack(long grantId, NodeId recipient, NodeId caller, long atMillis) {
    Entry e = find(grantId);
    if (!e.recipient.equals(recipient)) {
      throw new RewardException(Reason.WRONG_RECIPIENT,
          "grant " + grantId + " belongs to " + e.recipient + ", not " + recipient);
    }
    if (!e.funder.equals(caller)) {
      throw new RewardException(Reason.NOT_FUNDER,
          caller + " is not the funder " + e.funder + " of grant " + grantId);
    }
    if (e.clawedAt >= 0) {
      throw new RewardException(Reason.ALREADY_CLAWED_BACK,
          "grant " + grantId + " was clawed back at " + e.clawedAt);
    }
    long vested = e.schedule.vestedAt(e.total, atMillis);
    long unvested = e.total - vested;
    e.total = vested;
    e.clawedBack = unvested;
    e.clawedAt = Math.max(0, atMillis);
    clawedTotal += unvested;
    return unvested;
  }

  /**
   * A snapshot of one grant.
   *
   * @param grantId which grant
   * @return a snapshot of one grant
   * @throws RewardException {@code UNKNOWN_GRANT}
   */
  public synchronized Grant lookup(long grantId) {
    return find(grantId).snapshot();
  }

  /**
   * Sum of every grant's original allocation, micro-units.
   *
   * @return sum of every grant's original allocation, micro-units
   */
  public synchronized long totalGranted() {
    return granted;
  }

  /**
   * Sum of everything released to recipients, micro-units.
   *
   * @return sum of everything released to recipients, micro-units
   */
  public synchronized long totalReleased() {
    return releasedTotal;
  }

  /**
   * Sum of everything clawed back to funders, micro-units.
   *
   * @return sum of everything clawed back to funders, micro-units
   */
  public synchronized long totalClawedBack() {
    return clawedTotal;
  }

  /**
   * What is still in escrow: {@code granted - released - clawedBack}.
   *
   * @return what is still in escrow: {@code granted - released - clawedBack}
   */
  public synchronized long outstanding() {
    return granted - releasedTotal - clawedTotal;
  }

  /**
   * SHA-256 over the canonical encoding of every grant in id order, as 64 hex digits.
   *
   * @return SHA-256 over the canonical encoding of every grant in id order, as 64 hex digits
   */
  public synchronized String digest() {
    Canonical c = Canonical.of("edgenet.rewards.vesting.v1").u64(grants.size());
    for (Map.Entry<Long, Entry> me : grants.entrySet()) {
      Entry e = me.getValue();
      c.u64(e.id).id(e.recipient).id(e.funder).u64(e.total).u64(e.released).u64(e.clawedBack)
          .u64(e.clawedAt).u64(e.schedule.startMillis()).u64(e.schedule.cliffMillis())
          .u64(e.schedule.durationMillis());
    }
    return c.finishHex();
  }

  private Entry find(long grantId) {
    Entry e = grants.get(grantId);
    if (e == null) {
      throw new RewardException(Reason.UNKNOWN_GRANT, "no grant " + grantId);
    }
    return e;
  }
}
