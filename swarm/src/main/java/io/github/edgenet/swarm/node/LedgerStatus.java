package io.github.edgenet.swarm.node;

import java.util.HexFormat;

/**
 * A read-only summary of a node's copy of the replicated ledger, as returned by {@link
 * EdgeNode#ledgerStatus()}: enough for a host (or the demo) to see what moved and whether its copy
 * agrees with its peers', without handing out the ledger itself. Amounts are micro-units.
 *
 * <p>Immutable and thread-safe.
 *
 * @param stateDigest the ledger's state digest (SHA-256, 32 bytes): two nodes holding the same
 *     operations have equal digests
 * @param headsDigest SHA-256 of the chain heads this node holds (account, length, head operation,
 *     conflict sequence, in account order): equal on two nodes that hold the same chains, so two
 *     nodes with equal heads digests and different state digests would have diverged
 * @param operations operations held (every node's chains)
 * @param supplyMicros minted minus burned minus slashed
 * @param circulatingMicros sum of balances and escrows (equals the supply on a consistent ledger)
 * @param balanceMicros this node's own spendable balance
 * @param escrowedMicros this node's own funds locked in open escrows
 * @param refusals operations this node's settlement tried to append and the ledger refused
 *     (insufficient balance, for example), since the node object was built
 */
public record LedgerStatus(byte[] stateDigest, byte[] headsDigest, long operations, long supplyMicros,
    long circulatingMicros, long balanceMicros, long escrowedMicros, long refusals) {

  /** Copies the digest. */
  public LedgerStatus {
    stateDigest = stateDigest.clone();
    headsDigest = headsDigest.clone();
  }

  /**
   * A copy of the heads digest.
   *
   * @return a copy of the 32-byte heads digest (changing it changes nothing here)
   */
  @Override
  public byte[] headsDigest() {
    return headsDigest.clone();
  }

  /**
   * The heads digest in lower-case hex.
   *
   * @return the heads digest as 64 lower-case hex characters
   */
  public String headsDigestHex() {
    return HexFormat.of().formatHex(headsDigest);
  }

  /**
   * A copy of the state digest.
   *
   * @return a copy of the 32-byte state digest (changing it changes nothing here)
   */
  @Override
  public byte[] stateDigest() {
    return stateDigest.clone();
  }

  /**
   * The state digest in lower-case hex.
   *
   * @return the state digest as 64 lower-case hex characters
   */
  public String stateDigestHex() {
    return HexFormat.of().formatHex(stateDigest);
  }
}
