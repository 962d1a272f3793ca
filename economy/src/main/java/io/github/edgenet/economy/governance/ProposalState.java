package io.github.edgenet.economy.governance;

/** OpenZeppelin Governor's {@code ProposalState}, same names and meaning. */
public enum ProposalState {
  /** Created; voting has not started (including at the snapshot instant itself). */
  PENDING,
  /** Voting is open (including at the deadline instant itself). */
  ACTIVE,
  /** Canceled by its proposer (while pending) or by a guardian. */
  CANCELED,
  /** Voting ended without quorum or without more For than Against. */
  DEFEATED,
  /** Voting ended with quorum and more For than Against; may be queued. */
  SUCCEEDED,
  /** Queued in the timelock; executable from its eta. */
  QUEUED,
  /** Queued but not executed within the grace period. */
  EXPIRED,
  /** Executed: its changes are live. */
  EXECUTED
}
