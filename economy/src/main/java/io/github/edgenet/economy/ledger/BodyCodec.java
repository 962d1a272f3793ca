package io.github.edgenet.economy.ledger;

import io.github.edgenet.economy.auction.Bid;
import io.github.edgenet.economy.governance.NetworkParameter;
import io.github.edgenet.economy.governance.Support;
import io.github.edgenet.economy.ledger.LedgerException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/**
 * The canonical body encodings of the governance, auction and seal kinds (the older kinds are
 * in {@link Operation}). Every encoding decodes to one body and every body has one encoding:
 * codes known, lengths exact, text valid UTF-8, lists strictly ordered. Stateless.
 */
final class BodyCodec {
  private BodyCodec() {}

  static byte[] encode(OperationBody body) {
    return switch (body) {
      case OperationBody.Seal s -> new byte[0];
      case GovernanceBody.Propose p -> {
        byte[] text = p.description().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 9 * p.changes().size() + 2 + text.length);
        b.put((byte) p.changes().size());
        p.changes().forEach((k, v) -> b.put((byte) k.code()).putLong(v));
        yield b.putShort((short) text.length).put(text).array();
      }
      case GovernanceBody.Vote v -> ByteBuffer.allocate(33).put(v.proposal().toBytes())
          .put((byte) v.support().ordinal()).array();
      case GovernanceBody.Queue q -> q.proposal().toBytes();
      case GovernanceBody.Execute e -> e.queue().toBytes();
      case GovernanceBody.CancelProposal c -> c.proposal().toBytes();
      case GovernanceBody.Veto v -> {
        byte[] text = v.reason().getBytes(StandardCharsets.UTF_8);
        yield ByteBuffer.allocate(32 + 64 + 2 + text.length).put(v.proposal().toBytes())
            .put(v.signature()).putShort((short) text.length).put(text).array();
      }
      case AuctionBody.Open o -> ByteBuffer.allocate(88).putLong(o.commitDeadlineMillis())
          .putLong(o.revealDeadlineMillis()).putLong(o.depositMicros())
          .putLong(o.reservePriceMicros()).putLong(o.minBidMicros()).putLong(o.maxLatencyMillis())
          .putInt(o.minQualityBps()).putInt(o.maxBidders()).put(o.task()).array();
      case AuctionBody.Commit c -> ByteBuffer.allocate(72).put(c.auction().toBytes())
          .putLong(c.depositMicros()).put(c.commitment()).array();
      case AuctionBody.Reveal r -> ByteBuffer.allocate(84).put(r.commit().toBytes())
          .putLong(r.bid().priceMicros()).putLong(r.bid().latencyMillis())
          .putInt(r.bid().qualityBps()).put(r.salt()).array();
      case AuctionBody.Settle s -> {
        ByteBuffer b = ByteBuffer.allocate(32 + 32 * s.reveals().size()).put(s.auction().toBytes());
        s.reveals().forEach(id -> b.put(id.toBytes()));
        yield b.array();
      }
      case AuctionBody.Forfeit f -> ByteBuffer.allocate(64).put(f.commit().toBytes())
          .put(f.witness().toBytes()).array();
      default -> throw new IllegalArgumentException("not a body of this codec: " + body);
    };
  }

  /** Decodes a body whose length {@code n} already passed the kind's fixed or least length. */
  static OperationBody decode(OperationKind kind, byte[] b, int o, int n) throws LedgerException {
    ByteBuffer in = ByteBuffer.wrap(b, o, n);
    try {
      OperationBody body = switch (kind) {
        case SEAL -> new OperationBody.Seal();
        case PROPOSE -> {
          int count = in.get() & 0xFF;
          if (count == 0 || n < 1 + 9 * count + 2) {
            throw malformed(kind + " of " + count + " changes in " + n + " bytes");
          }
          EnumMap<NetworkParameter, Long> changes = new EnumMap<>(NetworkParameter.class);
          int previous = 0;
          for (int i = 0; i < count; i++) {
            int code = in.get() & 0xFF;
            NetworkParameter p = NetworkParameter.ofCode(code);
            if (p == null || code <= previous) {
              throw malformed("parameter code " + code + " unknown or out of order");
            }
            previous = code;
            changes.put(p, in.getLong());
          }
          yield new GovernanceBody.Propose(changes, text(in, n - (1 + 9 * count)));
        }
        case VOTE -> {
          OperationId proposal = id(in);
          int s = in.get() & 0xFF;
          if (s >= Support.values().length) {
            throw malformed("support " + s);
          }
          yield new GovernanceBody.Vote(proposal, Support.values()[s]);
        }
        case QUEUE -> new GovernanceBody.Queue(id(in));
        case EXECUTE -> new GovernanceBody.Execute(id(in));
        case CANCEL_PROPOSAL -> new GovernanceBody.CancelProposal(id(in));
        case VETO -> {
          OperationId proposal = id(in);
          byte[] sig = new byte[64];
          in.get(sig);
          yield new GovernanceBody.Veto(proposal, text(in, n - 96), sig);
        }
        case AUCTION_OPEN -> new AuctionBody.Open(in.getLong(), in.getLong(), in.getLong(),
            in.getLong(), in.getLong(), in.getLong(), in.getInt(), in.getInt(), bytes32(in));
        case BID_COMMIT -> new AuctionBody.Commit(id(in), in.getLong(), bytes32(in));
        case BID_REVEAL -> new AuctionBody.Reveal(id(in),
            new Bid(in.getLong(), in.getLong(), in.getInt()), bytes32(in));
        case AUCTION_SETTLE -> {
          if ((n - 32) % 32 != 0 || (n - 32) / 32 > AuctionBody.MAX_BIDDERS) {
            throw malformed(kind + " body of " + n + " bytes");
          }
          OperationId auction = id(in);
          List<OperationId> reveals = new ArrayList<>((n - 32) / 32);
          for (int i = 0; i < (n - 32) / 32; i++) {
            reveals.add(id(in));
          }
          yield new AuctionBody.Settle(auction, reveals);
        }
        case AUCTION_FORFEIT -> new AuctionBody.Forfeit(id(in), id(in));
        default -> throw new IllegalArgumentException("not a kind of this codec: " + kind);
      };
      if (in.hasRemaining()) {
        throw malformed(kind + " body has " + in.remaining() + " trailing bytes");
      }
      return body;
    } catch (IllegalArgumentException e) {
      throw malformed(kind + ": " + e.getMessage());
    }
  }

  private static byte[] bytes32(ByteBuffer in) {
    byte[] b = new byte[32];
    in.get(b);
    return b;
  }

  private static OperationId id(ByteBuffer in) {
    OperationId id = OperationId.read(in.array(), in.position());
    in.position(in.position() + 32);
    return id;
  }

  /** A u16-length-prefixed UTF-8 string that must fill exactly {@code room} bytes. */
  private static String text(ByteBuffer in, int room) throws LedgerException {
    int len = in.getShort() & 0xFFFF;
    if (len != room - 2) {
      throw malformed("text of " + len + " bytes in " + (room - 2));
    }
    ByteBuffer slice = in.slice(in.position(), len);
    in.position(in.position() + len);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
    } catch (CharacterCodingException e) {
      throw malformed("text is not valid UTF-8");
    }
  }

  private static LedgerException malformed(String message) {
    return new LedgerException(Reason.MALFORMED, message);
  }
}
