package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.economy.auction.Bid;
import io.github.edgenet.economy.ledger.Offense;
import io.github.edgenet.swarm.node.EconomyConfig;
import io.github.edgenet.swarm.node.EdgeNodeConfig;
import io.github.edgenet.swarm.node.RejectionReason;
import io.github.edgenet.swarm.node.TaskEvent;
import io.github.edgenet.swarm.node.TaskId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The adjudicator's part of a node (one whose id is in {@link EconomyConfig#adjudicators()}): it
 * receives misbehaviour evidence as EVIDENCE messages, checks the signed frames itself and decides.
 *
 * <ul>
 *   <li><b>A bad result</b> (failed verification, cross-check mismatch, or an audit of an accepted
 *       one): the submitter's signed
 *       AWARD carries the inputs, the accused's signed RESULT names the digest of the inputs it
 *       answers ({@link Messages#inputDigest}) and its result. The adjudicator re-executes the
 *       award with its own executor for the type (executors must be deterministic functions of
 *       the task) and, if its result differs, signs an {@code INCORRECT_RESULT} verdict. A result
 *       that equals its own slashes nobody, whatever the accuser says; a RESULT for other inputs
 *       than the AWARD's is invalid evidence, so a submitter cannot pair an honest result with
 *       inputs it made up. Without an executor for the type it cannot judge and does nothing.
 *   <li><b>A mismatching reveal</b>: the accused's signed COMMIT and REVEAL; if the reveal does not
 *       open the commitment, {@code PROTOCOL_VIOLATION}.
 *   <li><b>No reveal</b>: the accused's signed COMMIT and the submitter's signed SHORTLIST naming
 *       it with that commitment. The adjudicator challenges the accused (CHALLENGE, re-sent every
 *       quarter of {@link EconomyConfig#challengeTimeoutMillis()}); a REVEAL that opens the
 *       commitment ends it with no slash, silence until the timeout is {@code CHALLENGE_TIMEOUT}.
 * </ul>
 *
 * <p>Each proven offense has a 32-byte evidence digest computed from what was proven, not from the
 * frames (a re-sent frame differs in its envelope header), so every adjudicator slashes the same
 * (offender, offense, evidence) and the ledger applies it once. Decisions are remembered (at most
 * {@value #MAX_REMEMBERED}) so repeated evidence is not re-executed. Confined to the engine's lock.
 */
final class Adjudicator {
  private static final System.Logger LOG = System.getLogger(Adjudicator.class.getName());
  /** Decisions and open challenges remembered at most. */
  static final int MAX_REMEMBERED = 4096;

  private record Challenge(byte[] commitment, byte[] digest, long deadlineMillis) {}

  private record Accused(TaskId task, NodeId accused) {}

  private final Clock clock;
  private final PeerNetwork net;
  private final EdgeNodeConfig config;
  private final EconomyConfig economy;
  private final Provider provider;
  private final MisbehaviourSink verdicts;
  private final MetricsRecorder metrics;
  private final Provider.Outbox out;
  private final LinkedHashMap<String, Boolean> decided = bounded();
  private final LinkedHashMap<Accused, Challenge> challenges = bounded();
  long guilty;
  long dismissed;
  long unjudged;

  Adjudicator(Clock clock, PeerNetwork net, EdgeNodeConfig config, EconomyConfig economy,
      Provider provider, MisbehaviourSink verdicts, MetricsRecorder metrics, Provider.Outbox out) {
    this.clock = clock;
    this.net = net;
    this.config = config;
    this.economy = economy;
    this.provider = provider;
    this.verdicts = verdicts;
    this.metrics = metrics;
    this.out = out;
  }

  private static <K, V> LinkedHashMap<K, V> bounded() {
    return new LinkedHashMap<>(16, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > MAX_REMEMBERED;
      }
    };
  }

  /** Evidence from the network (or from this node itself, as a submitter). */
  void onEvidence(Envelope e) throws Wire.MalformedException {
    judge(Messages.decodeEvidence(e.payload(), Evidence.Kind.values().length,
        config.envelopeLimits().maxPayloadBytes()));
  }

  /** Judges one piece of evidence; invalid evidence is counted and changes nothing. */
  void judge(Messages.EvidenceMessage m) {
    Evidence.Kind kind = Evidence.Kind.values()[m.kind()];
    try {
      Frames.Opened context = Frames.open(m.first());
      Frames.Opened accused = Frames.open(m.second());
      switch (kind) {
        case FAILED_VERIFICATION, CROSS_CHECK_MISMATCH, AUDIT -> judgeResult(m, context, accused);
        case REVEAL_MISMATCH -> judgeReveal(m, context, accused);
        case NO_REVEAL -> challenge(m, context, accused);
      }
    } catch (Wire.MalformedException ex) {
      metrics.reject(RejectionReason.INVALID_EVIDENCE);
      LOG.log(System.Logger.Level.DEBUG, () -> "invalid " + kind + " evidence against "
          + m.accused() + ": " + ex.getMessage());
    }
  }

  private static void require(boolean ok, String what) throws Wire.MalformedException {
    if (!ok) {
      throw new Wire.MalformedException(what);
    }
  }

  private void judgeResult(Messages.EvidenceMessage m, Frames.Opened awardFrame,
      Frames.Opened resultFrame) throws Wire.MalformedException {
    require(awardFrame.type() == Messages.AWARD && awardFrame.sender().equals(m.id().submitter()),
        "the context is not the submitter's AWARD");
    require(resultFrame.type() == Messages.RESULT && resultFrame.sender().equals(m.accused()),
        "the accused frame is not the accused's RESULT");
    Messages.Award award = Messages.decodeAward(awardFrame.buffer(), config.maxTaskPayloadBytes(),
        config.embeddingDimension());
    Messages.Result result = Messages.decodeResult(resultFrame.buffer(), config.maxResultBytes());
    require(award.id().equals(m.id()) && result.id().equals(m.id()), "frames of another task");
    require(result.role() == award.role(), "the result answers another role");
    require(result.status() == Messages.OK, "the accused reported a failure, not a result");
    require(Arrays.equals(result.inputs(), Messages.inputDigest(award)),
        "the result was signed for other inputs than the award's");
    byte[] digest = resultEvidence(m.id(), award.role(), m.accused(), result.inputs(),
        result.result());
    if (alreadyDecided(digest)) {
      return;
    }
    byte[] mine = provider.reexecute(award);
    if (mine == null) {
      unjudged++;
      out.emit(TaskEvent.Step.ADJUDICATED, m.id(), m.accused(), "cannot judge " + award.type());
      return;
    }
    if (Arrays.equals(mine, result.result())) {
      dismiss(m, "the accused result is right");
    } else {
      convict(m, Offense.INCORRECT_RESULT, digest);
    }
  }

  private void judgeReveal(Messages.EvidenceMessage m, Frames.Opened commitFrame,
      Frames.Opened revealFrame) throws Wire.MalformedException {
    require(commitFrame.type() == Messages.COMMIT && commitFrame.sender().equals(m.accused()),
        "the context is not the accused's COMMIT");
    require(revealFrame.type() == Messages.REVEAL && revealFrame.sender().equals(m.accused()),
        "the accused frame is not the accused's REVEAL");
    Messages.Commit commit = Messages.decodeCommit(commitFrame.buffer());
    Messages.Reveal reveal = Messages.decodeReveal(revealFrame.buffer());
    require(commit.id().equals(m.id()) && reveal.id().equals(m.id()), "frames of another task");
    byte[] digest = Wire.sha256(tag("edgenet.slash.reveal.v1"), taskBytes(m.id()),
        m.accused().toBytes(), commit.commitment());
    if (alreadyDecided(digest)) {
      return;
    }
    if (opens(m.id(), m.accused(), reveal, commit.commitment())) {
      dismiss(m, "the reveal opens the commitment");
    } else {
      convict(m, Offense.PROTOCOL_VIOLATION, digest);
    }
  }

  private static boolean opens(TaskId id, NodeId bidder, Messages.Reveal r, byte[] commitment) {
    Bid bid = new Bid(r.priceMicros(), r.latencyMillis(), r.qualityBps());
    return Arrays.equals(bid.commitment(SealedBids.auctionId(id), bidder, r.salt()), commitment);
  }

  private void challenge(Messages.EvidenceMessage m, Frames.Opened listFrame,
      Frames.Opened commitFrame) throws Wire.MalformedException {
    require(commitFrame.type() == Messages.COMMIT && commitFrame.sender().equals(m.accused()),
        "the accused frame is not the accused's COMMIT");
    require(listFrame.type() == Messages.SHORTLIST
        && listFrame.sender().equals(m.id().submitter()),
        "the context is not the submitter's SHORTLIST");
    Messages.Commit commit = Messages.decodeCommit(commitFrame.buffer());
    Messages.Shortlist list = Messages.decodeShortlist(listFrame.buffer());
    require(commit.id().equals(m.id()) && list.id().equals(m.id()), "frames of another task");
    boolean listed = false;
    for (Messages.Listed l : list.bidders()) {
      listed |= l.bidder().equals(m.accused())
          && Arrays.equals(l.commitment(), commit.commitment());
    }
    require(listed, "the shortlist does not name the accused with its commitment");
    byte[] digest = Wire.sha256(tag("edgenet.slash.silence.v1"), taskBytes(m.id()),
        m.accused().toBytes(), commit.commitment());
    Accused key = new Accused(m.id(), m.accused());
    if (challenges.containsKey(key) || alreadyDecided(digest)) {
      return;
    }
    challenges.put(key, new Challenge(commit.commitment(),  digest,
        clock.epochMillis() + economy.challengeTimeoutMillis()));
    sendChallenge(key);
  }

  private void sendChallenge(Accused key) {
    Challenge c = challenges.get(key);
    if (c == null) {
      return; // answered, or forgotten
    }
    long now = clock.epochMillis();
    if (now >= c.deadlineMillis()) {
      challenges.remove(key);
      Messages.EvidenceMessage m = new Messages.EvidenceMessage(
          Evidence.Kind.NO_REVEAL.ordinal(), key.task(), key.accused(), new byte[0], new byte[0]);
      convict(m, Offense.CHALLENGE_TIMEOUT, c.digest());
      return;
    }
    out.send(key.accused(), Messages.CHALLENGE,
        Messages.challenge(new Messages.Commit(key.task(), c.commitment())));
    long step = Math.max(1, economy.challengeTimeoutMillis() / 4);
    net.schedule(Duration.ofMillis(Math.min(step, c.deadlineMillis() - now)),
        () -> out.locked(() -> sendChallenge(key)));
  }

  /** A REVEAL for another node's task: the answer to one of this node's challenges. */
  void onReveal(Envelope e, Messages.Reveal r) {
    Accused key = new Accused(r.id(), e.sender());
    Challenge c = challenges.remove(key);
    if (c == null) {
      metrics.reject(RejectionReason.UNEXPECTED);
      return;
    }
    Messages.EvidenceMessage m = new Messages.EvidenceMessage(Evidence.Kind.NO_REVEAL.ordinal(),
        r.id(), e.sender(), new byte[0], new byte[0]);
    decided.put(HexFormat.of().formatHex(c.digest()), Boolean.TRUE);
    if (opens(r.id(), e.sender(), r, c.commitment())) {
      dismiss(m, "revealed when challenged");
    } else {
      convict(m, Offense.PROTOCOL_VIOLATION, Wire.sha256(tag("edgenet.slash.reveal.v1"),
          taskBytes(r.id()), e.sender().toBytes(), c.commitment()));
    }
  }

  private boolean alreadyDecided(byte[] digest) {
    return decided.putIfAbsent(HexFormat.of().formatHex(digest), Boolean.TRUE) != null;
  }

  private void dismiss(Messages.EvidenceMessage m, String why) {
    dismissed++;
    out.emit(TaskEvent.Step.ADJUDICATED, m.id(), m.accused(), "dismissed: " + why);
  }

  private void convict(Messages.EvidenceMessage m, Offense offense, byte[] digest) {
    guilty++;
    boolean slashed = verdicts.slash(m.accused(), offense, digest);
    out.emit(TaskEvent.Step.ADJUDICATED, m.id(), m.accused(),
        "guilty: " + offense + (slashed ? ", slashed" : ", nothing to slash"));
  }

  /**
   * The evidence digest of a wrong result (what an {@code INCORRECT_RESULT} slash carries): from
   * what was proven, so a submitter that audits a result can recognise the slash.
   */
  static byte[] resultEvidence(TaskId id, int role, NodeId accused, byte[] inputs,
      byte[] result) {
    return Wire.sha256(tag("edgenet.slash.result.v1"), taskBytes(id), new byte[] {(byte) role},
        accused.toBytes(), inputs, Wire.sha256(result));
  }

  private static byte[] tag(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] taskBytes(TaskId id) {
    return ByteBuffer.allocate(40).put(id.submitter().toBytes()).putLong(id.number()).array();
  }
}
