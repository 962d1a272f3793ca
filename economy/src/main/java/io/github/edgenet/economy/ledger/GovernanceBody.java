package io.github.edgenet.economy.ledger;

import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.governance.GovernorSettings;
import io.github.edgenet.economy.governance.GuardianCancel;
import io.github.edgenet.economy.governance.NetworkParameter;
import io.github.edgenet.economy.governance.ProposalId;
import io.github.edgenet.economy.governance.Support;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Governance as signed ledger operations, folded in the canonical order into a {@link
 * io.github.edgenet.economy.governance.Governor} whose rules the ledger's {@link
 * LedgerConfig#governance()} fixes (OpenZeppelin Governor 5.x semantics; docs/economy.md). A
 * proposal's id on the ledger is the id of its {@link Propose} operation; votes, queueing,
 * cancels and vetoes name it, and an {@link Execute} names the {@link Queue} it follows.
 *
 * <p>What each operation's own chain can check is checked at acceptance, with {@link
 * LedgerException.Reason#GOVERNANCE} and a {@link LedgerException#detail()} from {@link
 * io.github.edgenet.economy.governance.GovernanceException.Reason}: parameter bounds, the
 * voting window (a vote at the snapshot or after the deadline), a second vote, the voter's own
 * stake at the snapshot, the timelock, who may cancel or veto. What needs the whole network's
 * state (the tally, whether the outcome is closed) is decided by the fold, which gives an
 * operation that cannot take effect no effect; {@link Ledger#append} refuses to sign such an
 * operation with the same typed reasons.
 */
public sealed interface GovernanceBody extends OperationBody {

  /** The longest proposal description, in UTF-8 bytes (it must fit one operation). */
  int MAX_DESCRIPTION_BYTES = 900;

  /** The longest veto reason, in UTF-8 bytes. */
  int MAX_REASON_BYTES = 800;

  /**
   * The id of the operation this one names: the proposal, or for an {@link Execute} the queue
   * operation; null for a {@link Propose}.
   *
   * @return the named operation's id or null
   */
  OperationId target();

  /**
   * The id of the proposal a held {@link Propose} operation creates, as the {@link
   * io.github.edgenet.economy.governance.Governor} computes it (what a guardian's {@link Veto}
   * signs).
   *
   * @param propose the proposal operation
   * @return its proposal id
   * @throws IllegalArgumentException if {@code propose} is not a {@link Propose}
   */
  static ProposalId proposalId(Operation propose) {
    if (!(propose.body() instanceof Propose p)) {
      throw new IllegalArgumentException(propose + " is no proposal");
    }
    return ProposalId.of(propose.account(), p.changes(), p.description());
  }

  /**
   * Proposes new values for typed network parameters (Governor's {@code propose}). The proposer
   * needs {@link GovernorSettings#proposalThresholdMicros()} of stake; the snapshot is this
   * operation's timestamp plus the voting delay, the deadline the snapshot plus the voting
   * period. Values outside a parameter's bounds are refused when proposed.
   *
   * @param changes 1 to {@link GovernorSettings#MAX_CHANGES} parameter values (copied)
   * @param description what it is for, at most {@link #MAX_DESCRIPTION_BYTES} UTF-8 bytes
   */
  record Propose(Map<NetworkParameter, Long> changes, String description)
      implements GovernanceBody {
    /** Checks the shape (bounds are checked at acceptance, with a typed reason) and copies. */
    public Propose {
      Objects.requireNonNull(description, "description");
      if (changes.isEmpty() || changes.size() > GovernorSettings.MAX_CHANGES) {
        throw new IllegalArgumentException("changes must hold 1 to " + GovernorSettings.MAX_CHANGES
            + " parameters, held " + changes.size());
      }
      EnumMap<NetworkParameter, Long> copy = new EnumMap<>(NetworkParameter.class);
      for (Map.Entry<NetworkParameter, Long> e : changes.entrySet()) {
        copy.put(Objects.requireNonNull(e.getKey(), "parameter"),
            Objects.requireNonNull(e.getValue(), "value"));
      }
      int bytes = description.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_DESCRIPTION_BYTES) {
        throw new IllegalArgumentException("description must be at most " + MAX_DESCRIPTION_BYTES
            + " UTF-8 bytes, was " + bytes);
      }
      changes = Collections.unmodifiableMap(copy);
    }

    @Override
    public OperationId target() {
      return null;
    }

    @Override
    public OperationKind kind() {
      return OperationKind.PROPOSE;
    }
  }

  /**
   * Casts the signing account's vote (Governor's {@code castVote}), weighted by its stake at the
   * proposal's snapshot; valid only dated after the snapshot and at or before the deadline, once.
   *
   * @param proposal the id of the {@link Propose} operation
   * @param support For, Against or Abstain
   */
  record Vote(OperationId proposal, Support support) implements GovernanceBody {
    /** Checks the arguments. */
    public Vote {
      Objects.requireNonNull(proposal, "proposal");
      Objects.requireNonNull(support, "support");
    }

    @Override
    public OperationId target() {
      return proposal;
    }

    @Override
    public OperationKind kind() {
      return OperationKind.VOTE;
    }
  }

  /**
   * Queues a proposal whose success is closed (docs/economy.md) in the timelock: executable from
   * this operation's timestamp plus the timelock delay. Anyone may sign it, dated after the
   * deadline; the first that takes effect in the fold sets the eta.
   *
   * @param proposal the id of the {@link Propose} operation
   */
  record Queue(OperationId proposal) implements GovernanceBody {
    /** Checks the arguments. */
    public Queue {
      Objects.requireNonNull(proposal, "proposal");
    }

    @Override
    public OperationId target() {
      return proposal;
    }

    @Override
    public OperationKind kind() {
      return OperationKind.QUEUE;
    }
  }

  /**
   * Executes a queued proposal: from its eta, before the grace period ends, once every guardian
   * has sealed past the eta; the live {@link io.github.edgenet.economy.governance.NetworkConfig}
   * becomes the next version with all its changes at this operation's place in the fold.
   *
   * @param queue the id of the {@link Queue} operation it follows
   */
  record Execute(OperationId queue) implements GovernanceBody {
    /** Checks the arguments. */
    public Execute {
      Objects.requireNonNull(queue, "queue");
    }

    @Override
    public OperationId target() {
      return queue;
    }

    @Override
    public OperationKind kind() {
      return OperationKind.EXECUTE;
    }
  }

  /**
   * The proposer's cancel (Governor 5.x: only while Pending, i.e. dated at or before the
   * snapshot).
   *
   * @param proposal the id of the {@link Propose} operation
   */
  record CancelProposal(OperationId proposal) implements GovernanceBody {
    /** Checks the arguments. */
    public CancelProposal {
      Objects.requireNonNull(proposal, "proposal");
    }

    @Override
    public OperationId target() {
      return proposal;
    }

    @Override
    public OperationKind kind() {
      return OperationKind.CANCEL_PROPOSAL;
    }
  }

  /**
   * A guardian's cancel of a Succeeded or Queued proposal (the human-in-the-loop veto), signed
   * twice: by the operation (the guardian's chain) and by the {@link GuardianCancel} signature
   * it carries, so the cancel log stays re-verifiable without the ledger. Valid only from a
   * guardian's account, dated after the deadline and, once queued, before the eta (the timelock
   * is the guardian's window). Build it with {@link #sign} inside {@link
   * Ledger#append(NodeIdentity, java.util.function.LongFunction)}, which supplies the time.
   *
   * @param proposal the id of the {@link Propose} operation
   * @param reason why, for the log, at most {@link #MAX_REASON_BYTES} UTF-8 bytes
   * @param signature the guardian's 64-byte signature over {@link GuardianCancel#signedBytes}
   *     with this operation's timestamp (copied)
   */
  record Veto(OperationId proposal, String reason, byte[] signature) implements GovernanceBody {
    /** Checks the arguments and copies the signature. */
    public Veto {
      Objects.requireNonNull(proposal, "proposal");
      Objects.requireNonNull(reason, "reason");
      if (signature.length != 64) {
        throw new IllegalArgumentException("signature must be 64 bytes, was " + signature.length);
      }
      int bytes = reason.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_REASON_BYTES || reason.length() > GuardianCancel.MAX_REASON_CHARS) {
        throw new IllegalArgumentException("reason must be at most " + MAX_REASON_BYTES
            + " UTF-8 bytes and " + GuardianCancel.MAX_REASON_CHARS + " chars, was " + bytes);
      }
      signature = signature.clone();
    }

    /**
     * The veto of {@code propose} by {@code guardian} at {@code atMillis}, signed.
     *
     * @param guardian the guardian's identity
     * @param propose the held proposal operation
     * @param reason why
     * @param atMillis the veto operation's timestamp
     * @return the body
     */
    public static Veto sign(NodeIdentity guardian, Operation propose, String reason,
        long atMillis) {
      GuardianCancel c = GuardianCancel.sign(guardian, proposalId(propose), reason, atMillis);
      return new Veto(propose.id(), reason, c.signature());
    }

    /**
     * A copy of the signature.
     *
     * @return a copy of the signature
     */
    @Override
    public byte[] signature() {
      return signature.clone();
    }

    @Override
    public OperationId target() {
      return proposal;
    }

    @Override
    public OperationKind kind() {
      return OperationKind.VETO;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Veto v && proposal.equals(v.proposal) && reason.equals(v.reason)
          && Arrays.equals(signature, v.signature);
    }

    @Override
    public int hashCode() {
      return Objects.hash(proposal, reason) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
      return "Veto[proposal=" + proposal + ", reason=" + reason + "]";
    }
  }
}
