package io.github.edgenet.economy.governance;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A guardian's signed cancellation of a proposal: the human-in-the-loop veto. Every node verifies
 * the Ed25519 signature against the guardian's key before it applies the cancel, and keeps the
 * record in the governor's {@link Governor#cancelLog() cancel log}. Immutable (arrays are copied).
 *
 * @param proposal the proposal canceled
 * @param guardian who signed
 * @param reason why, for the log (at most 500 characters)
 * @param atMillis when, epoch millis
 * @param signature the guardian's 64-byte signature over {@link #signedBytes}
 */
public record GuardianCancel(
    ProposalId proposal, NodeId guardian, String reason, long atMillis, byte[] signature) {

  /** The longest reason, in characters. */
  public static final int MAX_REASON_CHARS = 500;

  /** Validates and copies. */
  public GuardianCancel {
    Objects.requireNonNull(proposal, "proposal");
    Objects.requireNonNull(guardian, "guardian");
    Objects.requireNonNull(reason, "reason");
    if (reason.length() > MAX_REASON_CHARS) {
      throw new IllegalArgumentException(
          "reason has " + reason.length() + " chars, at most " + MAX_REASON_CHARS);
    }
    signature = signature.clone();
  }

  /**
   * A copy of the 64-byte signature.
   *
   * @return a copy of the 64-byte signature
   */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** Equal when every field is, comparing the signature by content. */
  @Override
  public boolean equals(Object o) {
    return o instanceof GuardianCancel g && proposal.equals(g.proposal)
        && guardian.equals(g.guardian) && reason.equals(g.reason) && atMillis == g.atMillis
        && java.util.Arrays.equals(signature, g.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(proposal, guardian, reason, atMillis) * 31
        + java.util.Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "GuardianCancel[" + proposal + " by " + guardian + " at " + atMillis + ": " + reason
        + "]";
  }

  /**
   * The bytes a guardian signs: a domain tag, the proposal id, the guardian, the time, the reason.
   *
   * @param proposal the proposal
   * @param guardian the guardian
   * @param reason why
   * @param atMillis when
   * @return the message to sign
   */
  public static byte[] signedBytes(ProposalId proposal, NodeId guardian, String reason,
      long atMillis) {
    byte[] tag = "edgenet.governance.cancel.v1".getBytes(StandardCharsets.UTF_8);
    byte[] id = proposal.hex().getBytes(StandardCharsets.US_ASCII);
    byte[] why = reason.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(tag.length + id.length + NodeId.LENGTH + 8 + 4 + why.length);
    b.put(tag).put(id).put(guardian.toBytes()).putLong(atMillis).putInt(why.length).put(why);
    return b.array();
  }

  /**
   * Signs a cancel with a guardian's identity.
   *
   * @param guardian the guardian's identity
   * @param proposal the proposal to cancel
   * @param reason why
   * @param atMillis when
   * @return the signed cancel
   */
  public static GuardianCancel sign(NodeIdentity guardian, ProposalId proposal, String reason,
      long atMillis) {
    byte[] sig = guardian.sign(signedBytes(proposal, guardian.id(), reason, atMillis));
    return new GuardianCancel(proposal, guardian.id(), reason, atMillis, sig);
  }

  /**
   * Whether the signature is the guardian's valid signature of this cancel.
   *
   * @return true if the signature is the guardian's valid signature of this cancel
   */
  public boolean verifies() {
    byte[] msg = signedBytes(proposal, guardian, reason, atMillis);
    return signature.length == NodeIdentity.SIGNATURE_LENGTH
        && NodeIdentity.verify(guardian, msg, 0, msg.length, signature, 0);
  }
}
