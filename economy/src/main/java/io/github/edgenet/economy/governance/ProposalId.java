package io.github.edgenet.economy.governance;

import java.util.Objects;

/**
 * A proposal's id: the hex SHA-256 of its proposer, changes and description (as OpenZeppelin's
 * {@code hashProposal}), so every node derives the same id from the same signed proposal.
 *
 * @param hex 64 lower-case hex digits
 */
public record ProposalId(String hex) implements Comparable<ProposalId> {
  /**
   * Validates the form.
   *
   * @throws IllegalArgumentException if {@code hex} is not 64 lower-case hex digits
   */
  public ProposalId {
    Objects.requireNonNull(hex, "hex");
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a proposal id is 64 lower-case hex digits, got " + hex);
    }
  }

  @Override
  public int compareTo(ProposalId o) {
    return hex.compareTo(o.hex);
  }

  @Override
  public String toString() {
    return "p:" + hex.substring(0, 16);
  }
}
