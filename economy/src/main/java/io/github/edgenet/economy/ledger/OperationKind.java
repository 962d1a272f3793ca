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
  TASK_FAILED(16, 64),
  /** {@link OperationBody.Seal}: no body; it only dates the chain (docs/economy.md, "sealed"). */
  SEAL(17, 0),
  /** {@link GovernanceBody.Propose}: changes and description. */
  PROPOSE(18, -1, 1 + 9 + 2),
  /** {@link GovernanceBody.Vote}: proposal id, support. */
  VOTE(19, 33),
  /** {@link GovernanceBody.Queue}: proposal id. */
  QUEUE(20, 32),
  /** {@link GovernanceBody.Execute}: queue operation id. */
  EXECUTE(21, 32),
  /** {@link GovernanceBody.CancelProposal}: proposal id. */
  CANCEL_PROPOSAL(22, 32),
  /** {@link GovernanceBody.Veto}: proposal id, signature, reason. */
  VETO(23, -1, 32 + 64 + 2),
  /** {@link AuctionBody.Open}: the auction's terms and a task reference. */
  AUCTION_OPEN(24, 88),
  /** {@link AuctionBody.Commit}: auction id, deposit, commitment. */
  BID_COMMIT(25, 72),
  /** {@link AuctionBody.Reveal}: commit id, price, latency, quality, salt. */
  BID_REVEAL(26, 84),
  /** {@link AuctionBody.Settle}: auction id and the ids of the reveals counted. */
  AUCTION_SETTLE(27, -1, 32),
  /** {@link AuctionBody.Forfeit}: commit id, witness id. */
  AUCTION_FORFEIT(28, 64);

  private static final OperationKind[] BY_CODE = new OperationKind[29];

  static {
    for (OperationKind k : values()) {
      BY_CODE[k.code] = k;
    }
  }

  private final int code;
  private final int bodyLength;
  private final int minBodyLength;

  OperationKind(int code, int bodyLength) {
    this(code, bodyLength, bodyLength >= 0 ? bodyLength : 2);
  }

  OperationKind(int code, int bodyLength, int minBodyLength) {
    this.code = code;
    this.bodyLength = bodyLength;
    this.minBodyLength = minBodyLength;
  }

  /**
   * The byte that encodes this kind.
   *
   * @return the byte that encodes this kind
   */
  public int code() {
    return code;
  }

  /** The exact encoded body length in bytes, or -1 if it varies ({@link #APPLICATION}). */
  int bodyLength() {
    return bodyLength;
  }

  /** The least encoded body length in bytes (the exact one for fixed-size kinds). */
  int minBodyLength() {
    return minBodyLength;
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
