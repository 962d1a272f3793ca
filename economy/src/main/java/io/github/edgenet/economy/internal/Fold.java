package io.github.edgenet.economy.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.internal.AccountState.Escrow;
import io.github.edgenet.economy.ledger.AuctionBody;
import io.github.edgenet.economy.ledger.GovernanceBody;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.Offense;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationBody.Burn;
import io.github.edgenet.economy.ledger.OperationBody.EscrowRelease;
import io.github.edgenet.economy.ledger.OperationBody.EscrowVest;
import io.github.edgenet.economy.ledger.OperationBody.TaskFailed;
import io.github.edgenet.economy.ledger.OperationBody.VestClaim;
import io.github.edgenet.economy.ledger.WorkRecord;
import io.github.edgenet.economy.ledger.OperationBody.Mint;
import io.github.edgenet.economy.ledger.OperationBody.Receive;
import io.github.edgenet.economy.ledger.OperationBody.Send;
import io.github.edgenet.economy.ledger.OperationBody.Slash;
import io.github.edgenet.economy.ledger.OperationId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The network-wide derived state: every account's state, payments sent and not yet received, mint
 * and burn totals, and a running hash of the operations applied in fold order. Operations are
 * applied in the canonical order the ledger computes; one that cannot take effect any more (its
 * source was voided, its account's balance is short because of that) is skipped, and the skip is
 * itself deterministic. Not thread-safe; owned by one ledger.
 */
public final class Fold {
  /** A payment waiting for its recipient's receive. */
  public record Pending(NodeId to, long amount) {}

  private record SlashKey(NodeId offender, Offense offense, String evidence) {}

  private final LedgerConfig config;
  private final java.util.function.Function<OperationId, Operation> lookup;
  private final GovernanceFold governance;
  private final AuctionFold auctions;
  private final Map<NodeId, Long> lastSeen = new HashMap<>();
  private final Map<NodeId, AccountState> accounts = new HashMap<>();
  private final Map<OperationId, Pending> pending = new HashMap<>();
  private final Map<OperationId, NodeId> grantFunders = new HashMap<>();
  private final List<WorkRecord> work = new ArrayList<>();
  private final Map<NodeId, Long> compensation = new HashMap<>();
  private final Map<NodeId, List<long[]>> stakeHistory = new HashMap<>();
  private long compensated;
  private final Set<SlashKey> slashes = new HashSet<>();
  private final Set<NodeId> equivocationSlashed = new HashSet<>();
  private final List<Operation> applied = new ArrayList<>();
  private final Set<OperationId> appliedIds = new HashSet<>();
  private final MessageDigest log;
  private long minted;
  private long burned;
  private long slashedTotal;
  private long skipped;

  /**
   * An empty state.
   *
   * @param config the ledger's parameters
   * @param lookup every held operation by id (what governance and auction operations name)
   */
  public Fold(LedgerConfig config,
      java.util.function.Function<OperationId, Operation> lookup) {
    this.config = config;
    this.lookup = lookup;
    this.governance = new GovernanceFold(this, config, lookup);
    this.auctions = new AuctionFold(this, lookup);
    try {
      this.log = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Applies one operation whose dependencies were applied (or are void).
   *
   * @param op the operation
   * @return true if it took effect, false if it was skipped
   */
  public boolean apply(Operation op) {
    lastSeen.merge(op.account(), op.timestampMillis(), Math::max);
    AccountState a = accounts.computeIfAbsent(op.account(), k -> new AccountState());
    OperationBody body = op.body();
    if (body instanceof GovernanceBody g) {
      if (!governance.apply(op, g)) {
        skipped++;
        return false;
      }
      a.lastTimestamp = op.timestampMillis();
      return applied(op);
    }
    if (body instanceof AuctionBody.Forfeit f && !auctions.forfeitable(f)
        || body instanceof AuctionBody.Commit c && !auctions.opened(c.auction())) {
      skipped++;
      return false;
    }
    long credit = 0;
    if (body instanceof Receive r) {
      Pending p = pending.get(r.source());
      if (p == null || !p.to().equals(op.account())) {
        skipped++;
        return false;
      }
      credit = p.amount();
    } else if (body instanceof Mint m) {
      if (Long.MAX_VALUE - minted < m.amount()) {
        skipped++;
        return false;
      }
    }
    AccountState.VestGrant grant = null;
    AccountState funder = null;
    if (body instanceof VestClaim c) {
      NodeId f = grantFunders.get(c.grant());
      funder = f == null ? null : accounts.get(f);
      grant = funder == null ? null : funder.grants.get(c.grant());
      if (grant == null || !grant.recipient.equals(op.account())) {
        skipped++;
        return false;
      }
      credit = grant.vestedAt(op.timestampMillis());
    }
    long claimedBefore = grant == null ? 0 : a.vestClaimed(((VestClaim) body).grant());
    long stakeBefore = a.stake;
    try {
      Rules.applyOwn(a, op, credit, config, lookup);
    } catch (LedgerException e) {
      skipped++;
      return false;
    }
    if (a.stake != stakeBefore) {
      recordStake(op.account(), op.timestampMillis(), a.stake);
    }
    switch (body) {
      case Receive r -> pending.remove(r.source());
      case Send s -> pending.put(op.id(), new Pending(s.to(), s.amount()));
      case EscrowRelease e -> {
        Escrow escrow = a.escrows.get(e.escrow());
        pending.put(op.id(), new Pending(escrow.worker, escrow.amount));
        work(WorkRecord.Kind.SUCCESS, escrow.worker, escrow.amount, op);
      }
      case EscrowVest v -> {
        grantFunders.put(op.id(), op.account());
        Escrow escrow = a.escrows.get(v.escrow());
        work(WorkRecord.Kind.SUCCESS, escrow.worker, escrow.amount, op);
      }
      case VestClaim c -> {
        long paid = credit - claimedBefore;
        grant.released += paid;
        funder.vesting -= paid;
      }
      case TaskFailed t -> work(WorkRecord.Kind.FAILURE, t.worker(),
          a.escrows.get(t.escrow()).amount, op);
      case Mint m -> minted += m.amount();
      case Burn b -> burned += b.amount();
      case Slash s -> slash(s, op);
      case AuctionBody x -> auctions.applied(op, x);
      default -> {}
    }
    return applied(op);
  }

  private boolean applied(Operation op) {
    applied.add(op);
    appliedIds.add(op.id());
    log.update(idBytes(op.id()));
    return true;
  }

  private void work(WorkRecord.Kind kind, NodeId worker, long value, Operation op) {
    AccountState w = accounts.get(worker);
    work.add(new WorkRecord(kind, worker, value, op.timestampMillis(),
        w == null ? 0 : w.stake, op.id()));
  }

  private void slash(Slash s, Operation op) {
    SlashKey key = new SlashKey(s.offender(), s.offense(), Arrays.toString(s.evidence()));
    if (slashes.add(key)) {
      long amount = take(s.offender(), governance.slashRateBps(s.offense()), Map.of());
      work.add(new WorkRecord(WorkRecord.Kind.SLASHED, s.offender(), amount,
          op.timestampMillis(), stakeOf(s.offender()), op.id()));
      recordStake(s.offender(), op.timestampMillis(), stakeOf(s.offender()));
    }
  }

  private void recordStake(NodeId account, long atMillis, long stake) {
    stakeHistory.computeIfAbsent(account, k -> new ArrayList<>()).add(new long[] {atMillis, stake});
  }

  /**
   * {@code account}'s bonded stake as of {@code atMillis}: its stake after the last change, in
   * fold order, made by an operation dated at or before {@code atMillis} (0 if none).
   *
   * @param account the account
   * @param atMillis epoch ms
   * @return micro-units
   */
  public long stakeAt(NodeId account, long atMillis) {
    long stake = 0;
    for (long[] e : stakeHistory.getOrDefault(account, List.of())) {
      if (e[0] <= atMillis) {
        stake = e[1];
      }
    }
    return stake;
  }

  /** The accounts whose stake ever changed. */
  public java.util.Set<NodeId> stakers() {
    return stakeHistory.keySet();
  }

  /**
   * The sum of every account's {@link #stakeAt} at {@code atMillis}.
   *
   * @param atMillis epoch ms
   * @return micro-units
   */
  public long totalStakeAt(long atMillis) {
    long total = 0;
    for (NodeId id : stakeHistory.keySet()) {
      total = Math.addExact(total, stakeAt(id, atMillis));
    }
    return total;
  }

  /**
   * The timestamp of {@code account}'s latest effective operation folded so far (taken effect or
   * skipped: either seals its chain up to that time), or {@code Long.MIN_VALUE}.
   *
   * @param account the account
   * @return epoch ms
   */
  public long lastSeen(NodeId account) {
    return lastSeen.getOrDefault(account, Long.MIN_VALUE);
  }

  /** The live network configuration at this point of the fold. */
  public io.github.edgenet.economy.governance.NetworkConfig networkConfig() {
    return governance.live();
  }

  /**
   * The governance snapshot at this point of the fold.
   *
   * @param nowMillis the time proposal states are read at
   * @return the view
   */
  public io.github.edgenet.economy.governance.GovernanceView governance(long nowMillis) {
    return governance.view(nowMillis);
  }

  /**
   * Throws what the fold would refuse a governance operation for (no effect).
   *
   * @param signer who would sign it
   * @param body what it does
   * @param ts when
   * @throws LedgerException the typed reason
   */
  public void checkGovernance(NodeId signer, GovernanceBody body, long ts)
      throws LedgerException {
    governance.check(signer, body, ts);
  }

  /**
   * The auction opened by {@code open}, as folded so far.
   *
   * @param open the open operation's id
   * @return its snapshot, or empty
   */
  public java.util.Optional<io.github.edgenet.economy.auction.LedgerAuction> auction(
      OperationId open) {
    return auctions.view(open);
  }

  /**
   * Whether a forfeit of this commitment could take effect now.
   *
   * @param f the forfeit
   * @return true if the bidder's commitment took effect and is neither revealed nor forfeited
   */
  public boolean forfeitable(AuctionBody.Forfeit f) {
    return auctions.forfeitable(f);
  }

  private long stakeOf(NodeId id) {
    AccountState a = accounts.get(id);
    return a == null ? 0 : a.stake;
  }

  /**
   * Slashes {@code equivocator} once for equivocation (called right after the last operation of
   * its chain that is still valid).
   *
   * The slash first compensates the receivers of the equivocator's void payments ({@code claims},
   * see {@link Compensation}): all of them in full if it covers them, else each {@code
   * floor(slash * claim / totalClaims)}; only the rest goes to the burn or the treasury.
   *
   * @param equivocator the account
   * @param last its last effective operation
   * @param claims receiver to claimed amount, in receiver order (may be empty)
   * @return the amount slashed (0 if it was slashed before)
   */
  public long slashEquivocation(NodeId equivocator, Operation last, Map<NodeId, Long> claims) {
    if (equivocationSlashed.add(equivocator)) {
      long amount = take(equivocator, governance.slashRateBps(Offense.EQUIVOCATION), claims);
      work.add(new WorkRecord(WorkRecord.Kind.SLASHED, equivocator, amount,
          last.timestampMillis(), stakeOf(equivocator), last.id()));
      recordStake(equivocator, last.timestampMillis(), stakeOf(equivocator));
      return amount;
    }
    return 0;
  }

  private long take(NodeId offender, int bps, Map<NodeId, Long> claims) {
    AccountState o = accounts.get(offender);
    if (o == null) {
      return 0;
    }
    long bonded = Math.addExact(o.stake, o.unbonding);
    long amount = Rules.basisPoints(bonded, bps);
    long fromStake = Math.min(amount, o.stake);
    o.stake -= fromStake;
    o.unbonding -= amount - fromStake;
    slashedTotal = Math.addExact(slashedTotal, amount);
    long total = 0;
    for (long c : claims.values()) {
      total = Math.min(Long.MAX_VALUE, total + c); // claims are positive: no wrap below MAX
    }
    long paid = 0;
    for (Map.Entry<NodeId, Long> c : claims.entrySet()) {
      long pay = total <= amount ? c.getValue() : Int128.mulDiv(amount, c.getValue(), total);
      if (pay > 0) {
        AccountState r = accounts.computeIfAbsent(c.getKey(), k -> new AccountState());
        r.balance = Math.addExact(r.balance, pay);
        compensation.merge(c.getKey(), pay, Math::addExact);
        paid += pay;
      }
    }
    compensated = Math.addExact(compensated, paid);
    long rest = amount - paid;
    if (config.treasury() == null) {
      burned = Math.addExact(burned, rest);
    } else {
      AccountState t = accounts.computeIfAbsent(config.treasury(), k -> new AccountState());
      t.balance = Math.addExact(t.balance, rest);
    }
    return amount;
  }

  /** Everything paid to receivers of void payments from equivocators' slashes. */
  public long compensated() {
    return compensated;
  }

  /**
   * What {@code account} was paid in compensation for void payments it had received.
   *
   * @param account the receiver
   * @return micro-units
   */
  public long compensation(NodeId account) {
    return compensation.getOrDefault(account, 0L);
  }

  private static byte[] idBytes(OperationId id) {
    return id.toBytes();
  }

  /**
   * The state of {@code account}, or null if no operation of it was applied.
   *
   * @param account the account
   * @return its state or null
   */
  public AccountState account(NodeId account) {
    return accounts.get(account);
  }

  /**
   * Whether {@code id} took effect.
   *
   * @param id an operation id
   * @return true if it was applied (not skipped, not void)
   */
  public boolean hasApplied(OperationId id) {
    return appliedIds.contains(id);
  }

  /**
   * The funder of a grant that took effect.
   *
   * @param grant the id of the {@code EscrowVest}
   * @return the funder or null
   */
  public NodeId grantFunder(OperationId grant) {
    return grantFunders.get(grant);
  }

  /** Work outcomes and slashes in fold order, with the worker's stake at that point. */
  public List<WorkRecord> work() {
    return work;
  }

  /** Every account with state, unordered (live view; do not modify). */
  public Map<NodeId, AccountState> accounts() {
    return accounts;
  }

  /** Payments waiting to be received, by the id of the send or release. */
  public Map<OperationId, Pending> pending() {
    return pending;
  }

  /** The operations that took effect, in fold order. */
  public List<Operation> applied() {
    return applied;
  }

  /** Total minted. */
  public long minted() {
    return minted;
  }

  /** Total burned, slashed stake included when it is burned. */
  public long burned() {
    return burned;
  }

  /** Total slashed. */
  public long slashedTotal() {
    return slashedTotal;
  }

  /** How many operations were skipped. */
  public long skipped() {
    return skipped;
  }

  /** Everything held by all accounts plus everything in flight: equals minted - burned. */
  public long circulating() {
    long sum = 0;
    for (AccountState a : accounts.values()) {
      sum = Math.addExact(sum, a.holdings());
    }
    for (Pending p : pending.values()) {
      sum = Math.addExact(sum, p.amount());
    }
    return sum;
  }

  /**
   * The state digest: SHA-256 over the configuration, the totals, the hash of the applied
   * operations in order, every account's state (by account id), every pending payment (by id) and
   * the equivocators with their conflict sequence numbers.
   *
   * @param configFingerprint the configuration's fingerprint
   * @param equivocators the equivocating accounts and the sequence of their first conflict
   * @return 32 bytes
   */
  public byte[] digest(byte[] configFingerprint, Map<NodeId, Long> equivocators) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(configFingerprint);
      byte[] b = new byte[8];
      for (long v : new long[] {minted, burned, applied.size(), skipped, compensated}) {
        putLong(b, v);
        md.update(b);
      }
      md.update(((MessageDigest) log.clone()).digest());
      for (Map.Entry<NodeId, AccountState> e : new TreeMap<>(accounts).entrySet()) {
        AccountState a = e.getValue();
        md.update(e.getKey().toBytes());
        for (long v : new long[] {a.balance, a.stake, a.unbonding, a.unlockAtMillis,
            a.openEscrowTotal, a.vesting, a.auctionLocked, a.deposits}) {
          putLong(b, v);
          md.update(b);
        }
      }
      for (Map.Entry<OperationId, Pending> e : new TreeMap<>(pending).entrySet()) {
        md.update(e.getKey().toBytes());
        md.update(e.getValue().to().toBytes());
        putLong(b, e.getValue().amount());
        md.update(b);
      }
      for (Map.Entry<NodeId, Long> e : new TreeMap<>(equivocators).entrySet()) {
        md.update(e.getKey().toBytes());
        putLong(b, e.getValue());
        md.update(b);
      }
      md.update(governance.digest().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return md.digest();
    } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void putLong(byte[] b, long v) {
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
  }
}
