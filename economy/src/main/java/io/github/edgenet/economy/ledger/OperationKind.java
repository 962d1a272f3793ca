package io.github.edgenet.economy.ledger;

/** The kinds of {@link OperationBody}, with the byte that encodes each. */
public enum OperationKind {
  /** {@link OperationBody.Send}. */
  SEND(1, 40),
  /** {@link OperationBody.Receive}. */
  RECEIVE(2, 32),
  /** {@link OperationBody.Mint}. */
  MINT(3, 8),
  /** {@link OperationBody.Burn}. */
  BURN(4, 8),
  /** {@link OperationBody.EscrowLock}. */
  ESCROW_LOCK(5, 80),
  /** {@link OperationBody.EscrowRelease}. */
  ESCROW_RELEASE(6, 32),
  /** {@link OperationBody.EscrowRefund}. */
  ESCROW_REFUND(7, 32),
  /** {@link OperationBody.Stake}. */
  STAKE(8, 8),
  /** {@link OperationBody.Unstake}. */
  UNSTAKE(9, 8),
  /** {@link OperationBody.Withdraw}. */
  WITHDRAW(10, 8),
  /** {@link OperationBody.Slash}. */
  SLASH(11, 193),
  /** {@link OperationBody.Application}: 2 bytes of kind plus up to 1024 bytes of data. */
  APPLICATION(12, -1),
  /** {@link OperationBody.EscrowVest}: escrow id, cliff, duration. */
  ESCROW_VEST(13, 48),
  /** {@link OperationBody.VestClaim}: grant id. */
  VEST_CLAIM(14, 32),
  /** {@link OperationBody.VestClawBack}: grant id, recipient. */
  VEST_CLAWBACK(15, 64),
  /** {@link OperationBody.TaskFailed}: escrow id, worker. */
  TASK_FAILED(16, 64);

  private static final OperationKind[] BY_CODE = new OperationKind[17];

  static {
    for (OperationKind k : values()) {
      BY_CODE[k.code] = k;
    }
  }

  private final int code;
  private final int bodyLength;

  OperationKind(int code, int bodyLength) {
    this.code = code;
    this.bodyLength = bodyLength;
  }

  /** The byte that encodes this kind. */
  public int code() {
    return code;
  }

  /** The exact encoded body length in bytes, or -1 if it varies ({@link #APPLICATION}). */
  int bodyLength() {
    return bodyLength;
  }

  /**
   * The kind encoded as {@code code}, or null.
   *
   * @param code the encoded byte
   * @return the kind or null
   */
  public static OperationKind ofCode(int code) {
    return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
