package io.github.edgenet.economy.governance;

import java.util.Objects;

/**
 * A governance operation that was refused; {@link #reason()} says why. A refused operation changes
 * nothing: the governor's {@link Governor#digest() digest} is the same before and after.
 */
public final class GovernanceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a governance operation was refused. */
  public enum Reason {
    /** No proposal has this id. */
    UNKNOWN_PROPOSAL,
    /** The same proposal (proposer, changes, description) exists already. */
    PROPOSAL_EXISTS,
    /** A proposal changes nothing, or more parameters than allowed. */
    MALFORMED_PROPOSAL,
    /** A proposed value lies outside its parameter's bounds. */
    PARAMETER_OUT_OF_BOUNDS,
    /** The proposer's stake is below the proposal threshold. */
    BELOW_PROPOSAL_THRESHOLD,
    /** The proposal is not in the state the operation needs (OpenZeppelin's
     * {@code GovernorUnexpectedProposalState}); e.g. a vote before the start or after the deadline. */
    UNEXPECTED_STATE,
    /** The tally is closed: this node has seen time pass the deadline, so a vote dated earlier
     * (back-dated or late-arriving) can no longer change the outcome. */
    VOTING_CLOSED,
    /** The voter has voted on this proposal already. */
    ALREADY_VOTED,
    /** The voter had no stake at the proposal's snapshot. */
    NO_VOTING_POWER,
    /** The timelock has not expired yet. */
    TIMELOCK_NOT_READY,
    /** Only the proposer may cancel a pending proposal. */
    NOT_PROPOSER,
    /** The signer of a guardian cancel is not a configured guardian. */
    NOT_GUARDIAN,
    /** A guardian cancel's signature does not verify. */
    BAD_SIGNATURE,
    /**
     * On the ledger: the outcome is not closed yet (some account that has not sealed could still
     * change it; docs/economy.md), or a guardian has not sealed past the eta, so queueing or
     * executing now could be undone by operations that arrive later.
     */
    NOT_CLOSED
  }

  private final Reason reason;

  /**
   * A refusal.
   *
   * @param reason why, for code
   * @param message the values involved, for people
   */
  public GovernanceException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Why the operation was refused.
   *
   * @return why the operation was refused
   */
  public Reason reason() {
    return reason;
  }
}
