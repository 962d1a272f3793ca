package io.github.edgenet.economy.governance;

/** A vote's direction, as OpenZeppelin's {@code GovernorCountingSimple} (0, 1, 2). */
public enum Support {
  /** Against the proposal. */
  AGAINST,
  /** For the proposal. */
  FOR,
  /** Counted towards quorum only. */
  ABSTAIN
}
