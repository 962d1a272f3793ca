package io.github.edgenet.economy.internal;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.SignatureVerifier;
import io.github.edgenet.economy.auction.AuctionException;
import io.github.edgenet.economy.auction.AuctionOutcome;
import io.github.edgenet.economy.ledger.AuctionBody;
import io.github.edgenet.economy.ledger.GovernanceBody;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.LedgerException;
import io.github.edgenet.economy.ledger.LedgerException.Reason;
import io.github.edgenet.economy.ledger.Offense;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import io.github.edgenet.economy.ledger.OperationBody.EscrowLock;
import io.github.edgenet.economy.ledger.OperationBody.EscrowRelease;
import io.github.edgenet.economy.ledger.OperationBody.EscrowVest;
import io.github.edgenet.economy.ledger.OperationBody.Receive;
import io.github.edgenet.economy.ledger.OperationBody.Send;
import io.github.edgenet.economy.ledger.OperationBody.Slash;
import io.github.edgenet.economy.ledger.OperationBody.VestClaim;
import io.github.edgenet.economy.ledger.OperationId;
import io.github.edgenet.economy.rewards.VestingSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The acceptance checks of what an operation names on other chains, judged from immutable held
 * operations only (never from other chains' state), so that whether an operation is acceptable
 * does not depend on when a node saw what: each named operation is held ({@code UNKNOWN_SOURCE}
 * otherwise) and <b>dated at or before the operation</b> ({@code TIMESTAMP_REGRESSION}); what a
 * receive or a vesting claim credits; a slash's proof; a forfeit's witness. The time rule makes
 * the canonical fold a time order (docs/economy.md, "Time order"). Not thread-safe; owned by one
 * {@link ChainBook}.
 */
final class Named {
  private final LedgerConfig config;
  private final SignatureVerifier verifier;
  private final Function<OperationId, Operation> find;
  private final Map<NodeId, ChainBook.Chain> chains;
  private final Map<OperationId, Long> revealSeq;

  Named(LedgerConfig config, SignatureVerifier verifier, Function<OperationId, Operation> find,
      Map<NodeId, ChainBook.Chain> chains, Map<OperationId, Long> revealSeq) {
    this.config = config;
    this.verifier = verifier;
    this.find = find;
    this.chains = chains;
    this.revealSeq = revealSeq;
  }

  /**
   * Checks what {@code op} names and returns what it credits its own chain: a receive's face
   * value, a vesting claim's cumulative vested amount at its time; 0 for other kinds.
   */
  long credit(Operation op) throws LedgerException {
    OperationBody body = op.body();
    if (body instanceof Slash s) {
      checkSlash(s, op);
      return 0;
    }
    for (OperationId id : names(body)) {
      held(id, op);
    }
    if (body instanceof AuctionBody.Forfeit f) {
      checkWitness(f);
      return 0;
    }
    if (body instanceof VestClaim c) {
      Operation source = find.apply(c.grant());
      if (source.body() instanceof EscrowVest v
          && find.apply(v.escrow()).body() instanceof EscrowLock lock
          && lock.worker().equals(op.account())) {
        return new VestingSchedule(source.timestampMillis(), v.cliffMillis(), v.durationMillis())
            .vestedAt(lock.amount(), op.timestampMillis());
      }
      throw new LedgerException(
          Reason.NOT_RECIPIENT, source.id() + " is no grant to " + op.account());
    }
    if (!(body instanceof Receive r)) {
      return 0;
    }
    Operation source = find.apply(r.source());
    long amount = switch (source.body()) {
      case Send s -> s.to().equals(op.account()) ? s.amount() : 0;
      case EscrowRelease rel -> find.apply(rel.escrow()).body() instanceof EscrowLock lock
          && lock.worker().equals(op.account()) ? lock.amount() : 0;
      case AuctionBody.Settle s -> {
        AuctionOutcome o = AuctionRules.outcome(source, find);
        yield o.winner().isPresent() && o.winner().get().equals(op.account())
            ? o.paymentMicros() : 0;
      }
      case AuctionBody.Forfeit f -> {
        AuctionBody.Commit c = (AuctionBody.Commit) find.apply(f.commit()).body();
        yield find.apply(c.auction()).account().equals(op.account()) ? c.depositMicros() : 0;
      }
      default -> 0;
    };
    if (amount <= 0) {
      throw new LedgerException(
          Reason.NOT_RECIPIENT, source.id() + " does not pay " + op.account());
    }
    return amount;
  }

  /**
   * The operations of (possibly) other chains that {@code body} names and that must be held and
   * dated no later than it; a slash's offender head is checked with its proof.
   */
  static List<OperationId> names(OperationBody body) {
    return switch (body) {
      case Receive r -> List.of(r.source());
      case VestClaim c -> List.of(c.grant());
      case GovernanceBody g when g.target() != null -> List.of(g.target());
      case AuctionBody.Commit c -> List.of(c.auction());
      case AuctionBody.Settle s -> s.reveals();
      case AuctionBody.Forfeit f -> List.of(f.commit(), f.witness());
      default -> List.of();
    };
  }

  /**
   * Everything {@code body} names whose contents acceptance or the fold reads: {@link #names},
   * a slash's offender head, the escrow that a release or a vesting grant pays out of (what a
   * receive or a vesting claim of it credits), the auction a settlement settles and the
   * commitment a reveal opens (a settlement's outcome reads the open, the reveals and their
   * commitments; a forfeit's credit reads the commitment and, through it, the open). A void
   * operation kept as evidence must have all of these held, recursively through the void ones
   * among them (docs/economy.md, "Receives of void operations").
   */
  static List<OperationId> refs(OperationBody body) {
    List<OperationId> out = new ArrayList<>(names(body));
    switch (body) {
      case Slash s -> out.add(s.offenderHead());
      case EscrowRelease rel -> out.add(rel.escrow());
      case EscrowVest v -> out.add(v.escrow());
      case AuctionBody.Settle s -> out.add(s.auction());
      case AuctionBody.Reveal r -> out.add(r.commit());
      default -> {}
    }
    return out;
  }

  /**
   * Checks that everything {@code op} references ({@link #refs}) is held and dated no later than
   * it; what a void operation kept as evidence must satisfy.
   */
  void checkRefs(Operation op) throws LedgerException {
    for (OperationId id : refs(op.body())) {
      held(id, op);
    }
  }

  private void held(OperationId id, Operation op) throws LedgerException {
    Operation named = find.apply(id);
    if (named == null) {
      throw new LedgerException(Reason.UNKNOWN_SOURCE, id + " is not held");
    }
    if (named.timestampMillis() > op.timestampMillis()) {
      throw new LedgerException(Reason.TIMESTAMP_REGRESSION, "dated " + op.timestampMillis()
          + ", before " + id + " it names (dated " + named.timestampMillis() + ")");
    }
  }

  /**
   * A forfeit's witness: an operation of the bidder dated after the reveal deadline, at a higher
   * sequence than the commitment, with the commitment and no reveal of it in the bidder's
   * <b>settled prefix</b> below the witness: the held chain below {@code m = min(witness
   * sequence, the bidder's first conflict)}. That prefix is the witness's own history (a held
   * witness has its chain below it held, or the conflict known and the chain held through it),
   * and it is the same on every node that knows the same first conflict, whichever branch it
   * holds above it; so a witness above the conflict is judged alike whether a node holds it on
   * its branch, as the conflicting operation or as evidence, and a reveal that only a void branch
   * holds never counts. A commitment at or above {@code m} is not checked: it is void, and the
   * fold skips the forfeit. Monotone: learning a lower conflict only shrinks the prefix, so a
   * forfeit once acceptable stays so (docs/economy.md, "Forfeits of an equivocating bidder").
   */
  private void checkWitness(AuctionBody.Forfeit f) throws LedgerException {
    Operation commit = find.apply(f.commit());
    Operation witness = find.apply(f.witness());
    if (!(commit.body() instanceof AuctionBody.Commit c)) {
      throw AuctionRules.refused(AuctionException.Reason.UNKNOWN_BIDDER, f.commit()
          + " is no commitment");
    }
    Operation open = AuctionRules.open(find, c.auction());
    long deadline = ((AuctionBody.Open) open.body()).revealDeadlineMillis();
    if (!witness.account().equals(commit.account())
        || witness.sequence() <= commit.sequence() || witness.timestampMillis() <= deadline) {
      throw AuctionRules.refused(AuctionException.Reason.NOT_FORFEITABLE, f.witness()
          + " is no operation of the bidder after its commitment dated after " + deadline);
    }
    ChainBook.Chain chain = chains.get(commit.account());
    long settled = chain.conflictSeq() >= 0
        ? Math.min(witness.sequence(), chain.conflictSeq()) : witness.sequence();
    if (commit.sequence() < settled
        && !chain.ops().get((int) commit.sequence()).equals(commit)) {
      throw AuctionRules.refused(AuctionException.Reason.NOT_FORFEITABLE, f.commit()
          + " is not on the witness's branch");
    }
    Long revealed = revealSeq.get(f.commit());
    if (revealed != null && revealed < settled) {
      throw AuctionRules.refused(AuctionException.Reason.NOT_FORFEITABLE, f.commit()
          + " was revealed at sequence " + revealed);
    }
  }

  private void checkSlash(Slash s, Operation op) throws LedgerException {
    if (s.offense() == Offense.EQUIVOCATION) {
      throw new LedgerException(
          Reason.INVALID_PROOF, "equivocation is proven by the two operations, not a verdict");
    }
    if (!config.adjudicators().contains(s.adjudicator())) {
      throw new LedgerException(
          Reason.INVALID_PROOF, s.adjudicator() + " is not an adjudicator");
    }
    byte[] statement = Slash.statement(s.offender(), s.offense(), s.evidence());
    if (!verifier.verify(s.adjudicator(), statement, 0, statement.length, s.verdict(), 0)) {
      throw new LedgerException(Reason.INVALID_PROOF, "the verdict's signature does not verify");
    }
    if (!chains.containsKey(s.offender())) {
      throw new LedgerException(Reason.UNKNOWN_ACCOUNT, "no operation of " + s.offender());
    }
    Operation head = find.apply(s.offenderHead());
    if (head == null || !head.account().equals(s.offender())) {
      throw new LedgerException(
          Reason.UNKNOWN_ACCOUNT, "offenderHead " + s.offenderHead() + " is no held operation of "
              + s.offender());
    }
    if (head.timestampMillis() > op.timestampMillis()) {
      throw new LedgerException(Reason.TIMESTAMP_REGRESSION, "slash dated "
          + op.timestampMillis() + ", before the offender head it names ("
          + head.timestampMillis() + ")");
    }
    // Only an adjudicator's chain dates a slash: a closed governance outcome waits until every
    // adjudicator is sealed past the snapshot, so none can be back-dated into it (docs/economy.md).
    if (!config.adjudicators().contains(op.account())) {
      throw new LedgerException(Reason.NOT_AUTHORIZED, op.account()
          + " is no adjudicator: only an adjudicator appends a verdict slash");
    }
  }
}
