package io.github.edgenet.economy.ledger;

/**
 * Two different signed operations of one account for one sequence number: a self-contained proof
 * that anyone can check with the account's public key alone.
 *
 * @param first one operation
 * @param second the other, with the same account and sequence and a different id
 */
public record EquivocationProof(Operation first, Operation second) {
  /**
   * Checks the shape (not the signatures).
   *
   * @throws IllegalArgumentException if the two are not of one (account, sequence) or are equal
   */
  public EquivocationProof {
    if (!first.account().equals(second.account())
        || first.sequence() != second.sequence()
        || first.id().equals(second.id())) {
      throw new IllegalArgumentException(
          "not an equivocation: " + first + " and " + second);
    }
  }
}
