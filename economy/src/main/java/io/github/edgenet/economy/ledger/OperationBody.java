package io.github.edgenet.economy.ledger;

import io.github.edgenet.core.identity.NodeId;
import java.util.Arrays;
import java.util.Objects;

/**
 * What an {@link Operation} does: one of a closed set of kinds, each a small immutable record with
 * a fixed, canonical encoding. Amounts are {@code long} micro-units and always positive.
 *
 * <p>Constructors check their arguments and throw {@link IllegalArgumentException} naming the
 * parameter and value (a local caller's mistake); bytes from a peer are checked by {@link
 * Operation#decode} instead, which throws {@link LedgerException}.
 */
public sealed interface OperationBody
    permits OperationBody.Send, OperationBody.Receive, OperationBody.Mint, OperationBody.Burn,
        OperationBody.EscrowLock, OperationBody.EscrowRelease, OperationBody.EscrowRefund,
        OperationBody.Stake, OperationBody.Unstake, OperationBody.Withdraw, OperationBody.Slash,
        OperationBody.EscrowVest, OperationBody.VestClaim, OperationBody.VestClawBack,
        OperationBody.TaskFailed, OperationBody.Application, OperationBody.Seal, GovernanceBody,
        AuctionBody {

  /** The largest {@link Application#data()}, in bytes. */
  int MAX_APPLICATION_DATA = 1024;

  /**
   * This body's kind.
   *
   * @return this body's kind
   */
  OperationKind kind();

  private static long positive(String name, long amount) {
    if (amount <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, was " + amount);
    }
    return amount;
  }

  /**
   * Sends {@code amount} from the signing account to {@code to}; {@code to} owns it once it signs
   * a {@link Receive} naming this operation.
   *
   * @param to the recipient
   * @param amount micro-units, {@code > 0}
   */
  record Send(NodeId to, long amount) implements OperationBody {
    /** Checks the arguments. */
    public Send {
      Objects.requireNonNull(to, "to");
      positive("amount", amount);
    }

    @Override
    public OperationKind kind() {
      return OperationKind.SEND;
    }
  }

  /**
   * Claims a {@link Send} or an {@link EscrowRelease} addressed to the signing account.
   *
   * @param source the id of the send or release claimed
   */
  record Receive(OperationId source) implements OperationBody {
    /** Checks the arguments. */
    public Receive {
      Objects.requireNonNull(source, "source");
    }

    @Override
    public OperationKind kind() {
      return OperationKind.RECEIVE;
    }
  }

  /**
   * Creates {@code amount} new micro-units in the signing account; only accounts {@link
   * LedgerConfig#mintAuthorities()} names may mint.
   *
   * @param amount micro-units, {@code > 0}
   */
  record Mint(long amount) implements OperationBody {
    /** Checks the arguments. */
    public Mint {
      positive("amount", amount);
    }

    @Override
    public OperationKind kind() {
      return OperationKind.MINT;
    }
  }

  /**
   * Destroys {@code amount} of the signing account's balance.
   *
   * @param amount micro-units, {@code > 0}
   */
  record Burn(long amount) implements OperationBody {
    /** Checks the arguments. */
    public Burn {
      positive("amount", amount);
    }

    @Override
    public OperationKind kind() {
      return OperationKind.BURN;
    }
  }

  /**
   * Locks {@code amount} of the signing account's balance for a task; the escrow's id is this
   * operation's id. The payer later signs an {@link EscrowRelease} (to {@code worker}) or, from
   * {@code deadlineMillis} on, an {@link EscrowRefund}.
   *
   * @param worker who is paid on release
   * @param amount micro-units, {@code > 0}
   * @param deadlineMillis epoch milliseconds from which a refund is allowed
   * @param task a 32-byte task reference chosen by the caller (copied)
   */
  record EscrowLock(NodeId worker, long amount, long deadlineMillis, byte[] task)
      implements OperationBody {
    /** Checks the arguments and copies {@code task}. */
    public EscrowLock {
      Objects.requireNonNull(worker, "worker");
      positive("amount", amount);
      if (task.length != 32) {
        throw new IllegalArgumentException("task must be 32 bytes, was " + task.length);
      }
      task = task.clone();
    }

    /**
     * A copy of the task reference.
     *
     * @return a copy of the task reference
     */
    @Override
    public byte[] task() {
      return task.clone();
    }

    @Override
    public OperationKind kind() {
      return OperationKind.ESCROW_LOCK;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof EscrowLock e
          && worker.equals(e.worker)
          && amount == e.amount
          && deadlineMillis == e.deadlineMillis
          && Arrays.equals(task, e.task);
    }

    @Override
    public int hashCode() {
      return Objects.hash(worker, amount, deadlineMillis, Arrays.hashCode(task));
    }

    @Override
    public String toString() {
      return "EscrowLock[worker=" + worker + ", amount=" + amount + ", deadline=" + deadlineMillis
          + "]";
    }
  }

  /**
   * Releases an open escrow of the signing account to its worker, who claims it with a {@link
   * Receive} naming this operation.
   *
   * @param escrow the id of the {@link EscrowLock}
   */
  record EscrowRelease(OperationId escrow) implements OperationBody {
    /** Checks the arguments. */
    public EscrowRelease {
      Objects.requireNonNull(escrow, "escrow");
    }

    @Override
    public OperationKind kind() {
      return OperationKind.ESCROW_RELEASE;
    }
  }

  /**
   * Returns an open escrow to the signing account; valid only if this operation's timestamp is at
   * or after the escrow's deadline.
   *
   * @param escrow the id of the {@link EscrowLock}
   */
  record EscrowRefund(OperationId escrow) implements OperationBody {
    /** Checks the arguments. */
    public EscrowRefund {
      Objects.requireNonNull(escrow, "escrow");
    }

    @Override
    public OperationKind kind() {
      return OperationKind.ESCROW_REFUND;
    }
  }

  /**
   * Moves {@code amount} from balance to stake.
   *
   * @param amount micro-units, {@code > 0}
   */
  record Stake(long amount) implements OperationBody {
    /** Checks the arguments. */
    public Stake {
      positive("amount", amount);
    }

    @Override
    public OperationKind kind() {
      return OperationKind.STAKE;
    }
  }

  /**
   * Requests that {@code amount} of stake be unbonded: it stays slashable and becomes withdrawable
   * {@link LedgerConfig#unbondingPeriodMillis()} after this operation; a later request never brings the
   * unlock time forward.
   *
   * @param amount micro-units, {@code > 0}
   */
  record Unstake(long amount) implements OperationBody {
    /** Checks the arguments. */
    public Unstake {
      positive("amount", amount);
    }

    @Override
    public OperationKind kind() {
      return OperationKind.UNSTAKE;
    }
  }

  /**
   * Moves {@code amount} of unbonded stake back to balance; valid only once the unlock time passed.
   *
   * @param amount micro-units, {@code > 0}
   */
  record Withdraw(long amount) implements OperationBody {
    /** Checks the arguments. */
    public Withdraw {
      positive("amount", amount);
    }

    @Override
    public OperationKind kind() {
      return OperationKind.WITHDRAW;
    }
  }

  /**
   * Slashes {@code offender} for {@code offense}, proven by an adjudicator's signature (one of
   * {@link LedgerConfig#adjudicators()}) over {@link #statement(NodeId, Offense, byte[])}. Each
   * (offender, offense, evidence) is slashed at most once. Equivocation is not slashed this way.
   * The slash takes its rate of the stake the offender has right after {@code offenderHead}, an
   * operation of the offender's chain the reporter holds (in the fold the slash comes after it).
   * Only an adjudicator's chain may carry a slash ({@code NOT_AUTHORIZED} otherwise), so that a
   * governance outcome can close once every adjudicator is sealed past its snapshot.
   *
   * @param offender the slashed account
   * @param offenderHead the id of an operation of the offender's chain
   * @param offense what it did, not {@link Offense#EQUIVOCATION}
   * @param adjudicator the key that signed the verdict
   * @param evidence a 32-byte digest of the evidence (copied)
   * @param verdict the adjudicator's 64-byte signature (copied)
   */
  record Slash(
      NodeId offender,
      OperationId offenderHead,
      Offense offense,
      NodeId adjudicator,
      byte[] evidence,
      byte[] verdict)
      implements OperationBody {
    /** Checks the arguments and copies the arrays. */
    public Slash {
      Objects.requireNonNull(offender, "offender");
      Objects.requireNonNull(offenderHead, "offenderHead");
      Objects.requireNonNull(offense, "offense");
      Objects.requireNonNull(adjudicator, "adjudicator");
      if (evidence.length != 32) {
        throw new IllegalArgumentException("evidence must be 32 bytes, was " + evidence.length);
      }
      if (verdict.length != 64) {
        throw new IllegalArgumentException("verdict must be 64 bytes, was " + verdict.length);
      }
      evidence = evidence.clone();
      verdict = verdict.clone();
    }

    /**
     * The bytes an adjudicator signs to find {@code offender} guilty of {@code offense}.
     *
     * @param offender the offender
     * @param offense the offense
     * @param evidence the 32-byte evidence digest
     * @return {@code "edgenet-slash-v1" || offender || offense code || evidence}
     */
    public static byte[] statement(NodeId offender, Offense offense, byte[] evidence) {
      byte[] tag = "edgenet-slash-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] out = new byte[tag.length + 32 + 1 + 32];
      System.arraycopy(tag, 0, out, 0, tag.length);
      offender.writeTo(out, tag.length);
      out[tag.length + 32] = (byte) offense.code();
      System.arraycopy(evidence, 0, out, tag.length + 33, 32);
      return out;
    }

    /**
     * A copy of the evidence digest.
     *
     * @return a copy of the evidence digest
     */
    @Override
    public byte[] evidence() {
      return evidence.clone();
    }

    /**
     * A copy of the verdict signature.
     *
     * @return a copy of the verdict signature
     */
    @Override
    public byte[] verdict() {
      return verdict.clone();
    }

    @Override
    public OperationKind kind() {
      return OperationKind.SLASH;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Slash s
          && offender.equals(s.offender)
          && offenderHead.equals(s.offenderHead)
          && offense == s.offense
          && adjudicator.equals(s.adjudicator)
          && Arrays.equals(evidence, s.evidence)
          && Arrays.equals(verdict, s.verdict);
    }

    @Override
    public int hashCode() {
      return Objects.hash(offender, offense, adjudicator, Arrays.hashCode(evidence));
    }

    @Override
    public String toString() {
      return "Slash[offender=" + offender + ", offense=" + offense + "]";
    }
  }

  /**
   * Releases an open escrow of the signing account to its worker as a vesting grant (OpenZeppelin
   * VestingWalletCliff semantics): the grant's id is this operation's id, its start is this
   * operation's timestamp, nothing vests before {@code start + cliffMillis}, then {@code
   * amount * (t - start) / durationMillis} (floored, 128-bit) until everything has vested at {@code
   * start + durationMillis}. The worker claims what has vested with {@link VestClaim}; the signing
   * account (the funder) may take back the unvested part with {@link VestClawBack}.
   *
   * @param escrow the id of the {@link EscrowLock}
   * @param cliffMillis how long after the start nothing vests, in {@code [0, durationMillis]}
   * @param durationMillis how long linear vesting takes, {@code >= 0} (0 vests all at once)
   */
  record EscrowVest(OperationId escrow, long cliffMillis, long durationMillis)
      implements OperationBody {
    /** Checks the arguments. */
    public EscrowVest {
      Objects.requireNonNull(escrow, "escrow");
      if (cliffMillis < 0 || durationMillis < 0 || cliffMillis > durationMillis) {
        throw new IllegalArgumentException("need 0 <= cliffMillis <= durationMillis, was "
            + cliffMillis + " and " + durationMillis);
      }
    }

    @Override
    public OperationKind kind() {
      return OperationKind.ESCROW_VEST;
    }
  }

  /**
   * Claims what has vested, at this operation's timestamp, of a vesting grant paying the signing
   * account (VestingWallet's {@code release()}): the vested amount less what earlier claims took.
   * A claim that would take nothing is refused ({@link LedgerException.Reason#NOTHING_VESTED}).
   *
   * @param grant the id of the {@link EscrowVest} that created the grant
   */
  record VestClaim(OperationId grant) implements OperationBody {
    /** Checks the arguments. */
    public VestClaim {
      Objects.requireNonNull(grant, "grant");
    }

    @Override
    public OperationKind kind() {
      return OperationKind.VEST_CLAIM;
    }
  }

  /**
   * The funder (the signing account, which signed the {@link EscrowVest}) takes back the part of
   * {@code recipient}'s grant that has not vested at this operation's timestamp; what had vested
   * stays claimable by the recipient and vesting stops. The recipient must be named, and must be
   * the grant's, so a claw-back can never hit another account's reward. Once per grant.
   *
   * @param grant the id of the {@link EscrowVest} that created the grant
   * @param recipient the grant's recipient (the escrow's worker)
   */
  record VestClawBack(OperationId grant, NodeId recipient) implements OperationBody {
    /** Checks the arguments. */
    public VestClawBack {
      Objects.requireNonNull(grant, "grant");
      Objects.requireNonNull(recipient, "recipient");
    }

    @Override
    public OperationKind kind() {
      return OperationKind.VEST_CLAWBACK;
    }
  }

  /**
   * The payer of an escrow (the task's submitter) reports that its worker failed the task: the
   * signed failure outcome that lowers the worker's reputation by the escrow's amount. Once per
   * escrow; allowed whether the escrow is open, released, vested or refunded (misbehaviour may be
   * proven after payment). Successes need no report: a release or vest of an escrow is one.
   *
   * @param escrow the id of the signing account's {@link EscrowLock}
   * @param worker the escrow's worker, named so the report cannot be misread
   */
  record TaskFailed(OperationId escrow, NodeId worker) implements OperationBody {
    /** Checks the arguments. */
    public TaskFailed {
      Objects.requireNonNull(escrow, "escrow");
      Objects.requireNonNull(worker, "worker");
    }

    @Override
    public OperationKind kind() {
      return OperationKind.TASK_FAILED;
    }
  }

  /**
   * No effect: it only dates the signing account's chain. An account whose chain holds an
   * operation dated after {@code t} can never again sign one dated at or before {@code t} without
   * equivocating (the sealing lemma, docs/economy.md), so its votes, stake and reveals up to
   * {@code t} are final. Replicators append one after a governance deadline when their account
   * has been idle since ({@code LedgerReplicator.Builder#autoSeal}), which is what lets outcomes
   * close.
   */
  record Seal() implements OperationBody {
    @Override
    public OperationKind kind() {
      return OperationKind.SEAL;
    }
  }

  /**
   * An operation whose meaning belongs to a higher layer (task outcomes, evidence, anything a
   * host adds): the ledger checks its signature and chain position, stores, orders
   * and replicates it, and gives it no effect on balances.
   *
   * @param appKind the higher layer's type number, in [0, 65535]
   * @param data at most {@link #MAX_APPLICATION_DATA} opaque bytes (copied)
   */
  record Application(int appKind, byte[] data) implements OperationBody {
    /** Checks the arguments and copies {@code data}. */
    public Application {
      if (appKind < 0 || appKind > 0xFFFF) {
        throw new IllegalArgumentException("appKind must be in [0, 65535], was " + appKind);
      }
      if (data.length > MAX_APPLICATION_DATA) {
        throw new IllegalArgumentException(
            "data must be at most " + MAX_APPLICATION_DATA + " bytes, was " + data.length);
      }
      data = data.clone();
    }

    /**
     * A copy of the data.
     *
     * @return a copy of the data
     */
    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public OperationKind kind() {
      return OperationKind.APPLICATION;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Application a && appKind == a.appKind && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
      return 31 * appKind + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Application[appKind=" + appKind + ", " + data.length + " bytes]";
    }
  }
}
