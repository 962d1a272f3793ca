package io.github.edgenet.economy.governance;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.internal.Canonical;
import java.util.EnumMap;
import java.util.Map;
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

  /**
   * The id of a proposal: SHA-256 over a domain tag, the proposer, the changes in declaration
   * order and the description. {@link Governor#propose} and the ledger's proposals use it.
   *
   * @param proposer who proposes
   * @param changes the parameter values it sets
   * @param description what it is for
   * @return the id
   */
  public static ProposalId of(NodeId proposer, Map<NetworkParameter, Long> changes,
      String description) {
    EnumMap<NetworkParameter, Long> ch = new EnumMap<>(NetworkParameter.class);
    ch.putAll(changes);
    Canonical c = Canonical.of("edgenet.governance.proposal.v1").id(proposer).u64(ch.size());
    ch.forEach((p, v) -> c.text(p.name()).u64(v));
    return new ProposalId(c.text(description).finishHex());
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
