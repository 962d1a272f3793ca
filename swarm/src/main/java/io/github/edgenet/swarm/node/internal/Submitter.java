package io.github.edgenet.swarm.node.internal;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.net.PeerNetwork;
import io.github.edgenet.economy.auction.Bid;
import io.github.edgenet.swarm.node.EconomyConfig;
import io.github.edgenet.swarm.node.EdgeNodeConfig;
import io.github.edgenet.swarm.node.RejectionReason;
import io.github.edgenet.swarm.node.ResultVerifier;
import io.github.edgenet.swarm.node.Task;
import io.github.edgenet.swarm.node.TaskEvent;
import io.github.edgenet.swarm.node.TaskFailedException;
import io.github.edgenet.swarm.node.TaskFailedException.Reason;
import io.github.edgenet.swarm.node.TaskId;
import io.github.edgenet.swarm.node.TaskState;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The submitter side of the task protocol, one {@link Pending} per task: request sealed bids,
 * shortlist the committers ({@link CandidateSelector}), ask them to reveal, settle the sealed
 * auction ({@link TaskAuction}), award, re-send, fail over, verify, cross-check, complete or fail,
 * with the stored state updated before each outcome. Confined to its {@link NodeEngine}'s
 * monitor: the engine calls it holding the monitor, and its timers take it.
 */
final class Submitter {
  private static final System.Logger LOG = System.getLogger(Submitter.class.getName());

  private final NodeEngine engine;
  private final NodeId self;
  private final PeerNetwork net;
  private final Clock clock;
  private final RandomSource random;
  private final EdgeNodeConfig config;
  private final NodeStore store;
  private final Seams seams;
  private final MetricsRecorder metrics;
  private final Map<String, ResultVerifier> verifiers;
  private final EconomyConfig economy;
  /** The auction and payment counters ({@code metrics()}). */
  final EconomyStats economyStats = new EconomyStats();
  /** Unfinished tasks by number. */
  final TreeMap<Long, Pending> pending = new TreeMap<>();

  Submitter(NodeEngine engine, NodeId self, PeerNetwork net, Clock clock, RandomSource random,
      EdgeNodeConfig config, NodeStore store, Seams seams, MetricsRecorder metrics,
      Map<String, ResultVerifier> verifiers, EconomyConfig economy) {
    this.engine = engine;
    this.self = self;
    this.net = net;
    this.clock = clock;
    this.random = random;
    this.config = config;
    this.store = store;
    this.seams = seams;
    this.metrics = metrics;
    this.verifiers = verifiers;
    this.economy = economy;
  }

  private void locked(Runnable r) {
    synchronized (engine) {
      r.run();
    }
  }

  /** Starts a task that was just stored (or resumed from storage). */
  void begin(Pending p) {
    if (armDeadline(p)) {
      requestRound(p);
    }
  }

  boolean armDeadline(Pending p) {
    long remaining = p.deadlineMillis - clock.epochMillis();
    if (remaining <= 0) {
      fail(p, Reason.DEADLINE_EXCEEDED, "the deadline passed");
      return false;
    }
    p.deadlineTimer =
        net.schedule(Duration.ofMillis(remaining), () -> locked(() -> onDeadline(p)));
    return true;
  }

  private void onDeadline(Pending p) {
    if (!p.state.isTerminal() && !engine.closedUnlocked()) {
      fail(p, Reason.DEADLINE_EXCEEDED, "no accepted result within " + p.task.deadline());
    }
  }

  void requestRound(Pending p) {
    p.rounds++;
    p.auction.forgetSilent();
    setState(p, TaskState.REQUESTING);
    byte[] payload = Messages.request(new Messages.Request(p.id, p.task.type(),
        p.task.maxPriceMicros(), p.deadlineMillis));
    Set<NodeId> targets = new HashSet<>(engine.knownProviders(p.task.type(), config.requestFanout()));
    // Too few announced providers for a shortlist (a rare type): add workers others saw succeed
    // at the type. Only then: successes are what submitters could check, and a cheap liar's
    // accepted wrong answers count as successes too.
    int wanted = Math.min(config.requestFanout(), economy.shortlistSize());
    if (targets.size() < wanted) {
      for (NodeId w : seams.candidates().knownWorkers(p.task.type(), wanted)) {
        if (targets.size() < wanted && !w.equals(self)) {
          targets.add(w);
        }
      }
    }
    if (engine.runsType(p.task.type())) {
      targets.add(self); // this node can run it too: it bids through the network like any peer
    }
    int missing = config.requestFanout() - targets.size();
    if (missing > 0) {
      targets.addAll(engine.randomPeers(missing, targets));
    }
    p.requestNanos = clock.nanos();
    for (NodeId t : sorted(targets)) {
      engine.send(t, Messages.REQUEST, payload);
    }
    engine.emit(TaskEvent.Step.REQUESTED, p.id, self, targets.size() + " peers, round " + p.rounds);
    p.cancelPhase();
    p.phaseTimer = net.schedule(Duration.ofMillis(config.offerWindowMillis()),
        () -> locked(() -> commitWindowClosed(p)));
  }

  private static List<NodeId> sorted(Set<NodeId> ids) {
    List<NodeId> list = new ArrayList<>(ids);
    list.sort(Comparator.naturalOrder());
    return list;
  }

  /** The sealed bids of this request round are in: shortlist and ask for reveals. */
  private void commitWindowClosed(Pending p) {
    if (p.state.isTerminal() || engine.closedUnlocked()) {
      return;
    }
    p.phaseTimer = null;
    if (p.auction.isOpen()) {
      return; // a reveal round of an earlier request round is still running; it goes on
    }
    if (!openRound(p, p.results.isEmpty() ? Messages.PRIMARY : Messages.CROSS_CHECK)) {
      noCandidateLeft(p, p.results.isEmpty() ? Messages.PRIMARY : Messages.CROSS_CHECK);
    }
  }

  /**
   * Opens a reveal round among committers not shortlisted yet: the swarm shortlists them before
   * any price is known, each is sent the signed SHORTLIST (re-sent half-way through the window).
   *
   * @param role what the round's winner will be awarded as
   * @return false if no committer is left to ask
   */
  private boolean openRound(Pending p, int role) {
    List<NodeId> fresh = p.auction.unlisted(p.failed);
    if (fresh.isEmpty()) {
      return false;
    }
    if (p.task.maxPriceMicros() < 1) { // economy's auction has no zero price: every ask is >= 1
      p.overLimit += fresh.size();
      return false;
    }
    List<NodeId> chosen = seams.candidates().shortlist(p.task, fresh, economy.shortlistSize());
    List<NodeId> shortlist = new ArrayList<>();
    for (NodeId c : chosen) {
      if (fresh.contains(c) && !shortlist.contains(c)
          && shortlist.size() < economy.shortlistSize()) {
        shortlist.add(c);
      }
    }
    if (shortlist.isEmpty()) { // a selector that broke its contract: fall back to arrival order
      shortlist.add(fresh.getFirst());
    }
    long slowest = Duration.ofNanos(p.auction.slowestRoundTrip(shortlist)).toMillis() + 1;
    long window = Math.max(economy.revealWindowMillis(), 2 * slowest);
    List<Messages.Listed> listed = p.auction.open(shortlist, clock.epochMillis(), window);
    p.roundRole = role;
    p.roundWindowMillis = window;
    byte[] msg = Messages.shortlist(new Messages.Shortlist(p.id, listed));
    for (NodeId b : shortlist) {
      engine.send(b, Messages.SHORTLIST, msg);
    }
    p.cancelPhase();
    p.phaseTimer = net.schedule(Duration.ofMillis(Math.max(1, window / 2)),
        () -> locked(() -> nudgeReveals(p, msg)));
    return true;
  }

  /** Half-way through the reveal window: the shortlist again to those that have not revealed. */
  private void nudgeReveals(Pending p, byte[] shortlist) {
    if (p.state.isTerminal() || engine.closedUnlocked() || !p.auction.isOpen()) {
      return;
    }
    for (NodeId b : p.auction.roundBidders()) {
      if (p.auction.askOf(b) < 0) {
        engine.send(b, Messages.SHORTLIST, shortlist);
      }
    }
    p.phaseTimer = net.schedule(
        Duration.ofMillis(Math.max(1, p.roundWindowMillis - p.roundWindowMillis / 2)),
        () -> locked(() -> settleRound(p)));
  }

  /** Resumes an open reveal round after a simulated restart (its timers are gone). */
  boolean resumeRound(Pending p) {
    if (!p.auction.isOpen()) {
      return false;
    }
    p.phaseTimer = net.schedule(Duration.ofMillis(Math.max(1, p.roundWindowMillis)),
        () -> locked(() -> settleRound(p)));
    return true;
  }

  void onCommit(Envelope e, byte[] frame) throws Wire.MalformedException {
    Messages.Commit m = Messages.decodeCommit(e.payload());
    Pending p = mine(m.id());
    if (p == null) {
      if (!endedHere(m.id())) {
        metrics.reject(RejectionReason.UNEXPECTED);
      }
      return;
    }
    long rtt = clock.nanos() - p.requestNanos;
    if (p.auction.commit(e.sender(), m.commitment(), frame, rtt, config.maxOffersPerTask())) {
      engine.emit(TaskEvent.Step.OFFER_RECEIVED, p.id, e.sender(), "sealed");
    }
  }

  void onReveal(Envelope e, Messages.Reveal m, byte[] frame) {
    Pending p = mine(m.id());
    NodeId from = e.sender();
    if (p == null) {
      if (!endedHere(m.id())) {
        metrics.reject(RejectionReason.UNEXPECTED);
      }
      return;
    }
    Bid bid = new Bid(m.priceMicros(), m.latencyMillis(), m.qualityBps());
    switch (p.auction.reveal(from, bid, m.salt(), frame, clock.epochMillis())) {
      case NOT_SHORTLISTED -> {
        if (p.auction.commitOf(from) == null) {
          metrics.reject(RejectionReason.UNEXPECTED); // never committed: nothing to reveal
        } // else a late reveal of a settled round: nothing to change
        return;
      }
      case DUPLICATE -> {
        return;
      }
      case MISMATCH -> {
        metrics.reject(RejectionReason.REVEAL_MISMATCH);
        economyStats.revealMismatches++;
        p.failed.add(from);
        seams.outcomes().providerFailed(p.id, p.task, from, clock.nanos() - p.startNanos);
        misbehaviour(new Evidence(Evidence.Kind.REVEAL_MISMATCH, p.id, from, frame.clone(),
            List.of(), p.auction.commitOf(from).frame()));
      }
      case ACCEPTED -> engine.emit(TaskEvent.Step.BID_REVEALED, p.id, from,
          Long.toString(m.priceMicros()));
    }
    if (p.auction.isOpen() && p.auction.allRevealed()) {
      p.cancelPhase(); // everyone answered: settle now rather than at the end of the window
      settleRound(p);
    }
  }

  /** Whether {@code id} is a task of this node that already ended (a late answer, not an error). */
  private boolean endedHere(TaskId id) {
    return id.submitter().equals(self) && store.submitted(self, id.number()).isPresent();
  }

  /** Settles the open round and awards its winner (or asks others, or gives up). */
  private void settleRound(Pending p) {
    if (p.state.isTerminal() || engine.closedUnlocked() || !p.auction.isOpen()) {
      return;
    }
    p.phaseTimer = null;
    TaskAuction.Settled s = p.auction.settle();
    economyStats.auctions++;
    p.overLimit += s.overLimit();
    for (NodeId silent : s.silent()) {
      economyStats.silentBidders++;
      seams.outcomes().providerFailed(p.id, p.task, silent, clock.nanos() - p.startNanos);
      byte[] list = engine.sign(Messages.SHORTLIST, Messages.shortlist(new Messages.Shortlist(
          p.id, List.of(new Messages.Listed(silent, p.auction.commitOf(silent).commitment())))));
      misbehaviour(new Evidence(Evidence.Kind.NO_REVEAL, p.id, silent,
          p.auction.commitOf(silent).frame(), List.of(), list));
    }
    p.ranked.addAll(s.ranked());
    awardNext(p, p.roundRole);
  }

  /**
   * The next provider to award: the best settled one not yet awarded and not failed; else, if a
   * reveal round among other committers could be opened, null (the round goes on); else the best
   * one that was awarded, stayed silent and has not failed: silence may be slowness, so it is asked
   * again until the deadline.
   */
  private Offer nextCandidate(Pending p, int role) {
    for (Offer o : p.ranked) {
      if (!p.tried.contains(o.provider()) && !p.failed.contains(o.provider())) {
        return o;
      }
    }
    if (openRound(p, role)) {
      return null;
    }
    for (Offer o : p.ranked) {
      if (!p.failed.contains(o.provider()) && !p.answered(o.provider())) {
        return o;
      }
    }
    return null;
  }

  private void awardNext(Pending p, int role) {
    Offer next = nextCandidate(p, role);
    if (next == null) {
      if (!p.auction.isOpen()) {
        noCandidateLeft(p, role);
      }
      return;
    }
    p.tried.add(next.provider());
    p.awardedRole.put(next.provider(), role);
    p.current = next.provider();
    p.currentRole = role;
    p.currentPrice = next.priceMicros();
    p.attempts = 0;
    if (p.state != TaskState.AWARDED) {
      setState(p, TaskState.AWARDED);
      store.awardSubmitted(p.id.number());
    }
    if (!p.escrowed.containsKey(next.provider())) {
      seams.settlement().escrow(p.id, next.provider(), next.priceMicros());
      p.escrowed.put(next.provider(), next.priceMicros());
    }
    engine.emit(TaskEvent.Step.AWARDED, p.id, next.provider(),
        (role == Messages.PRIMARY ? "primary" : "cross-check") + " at " + next.priceMicros());
    sendAward(p);
  }

  /** Nobody is left to award and no committer is left to ask. */
  private void noCandidateLeft(Pending p, int role) {
    if (role == Messages.CROSS_CHECK && p.results.size() == 1) {
      accept(p, List.of(p.results.getFirst())); // nobody left to cross-check with
    } else if (!p.results.isEmpty() || p.verificationFailures > 0) {
      fail(p, Reason.VERIFICATION_FAILED, p.results.size() + " results disagree, "
          + p.verificationFailures + " failed the verifier, no provider left");
    } else if (p.ranked.isEmpty() && p.overLimit > 0) {
      fail(p, Reason.PRICE_OVER_LIMIT, p.overLimit + " sealed bids revealed above "
          + p.task.maxPriceMicros() + " micros, none within");
    } else if (p.rounds < config.requestRounds()) {
      requestRound(p);
    } else if (p.ranked.isEmpty() && p.busy) {
      retryWhenFree(p);
    } else if (p.ranked.isEmpty()) {
      fail(p, Reason.NO_CANDIDATE, "no usable sealed bid for " + p.task.type() + " after "
          + p.rounds + " request rounds");
    } else {
      fail(p, Reason.REJECTED, "every candidate failed the task");
    }
  }

  /** A provider declined the request for now: remembered for the end of the round. */
  void onBusy(Envelope e) throws Wire.MalformedException {
    Messages.Busy m = Messages.decodeBusy(e.payload());
    Pending p = mine(m.id());
    if (p == null) {
      return; // a task that ended (or is not ours): nothing to wait for
    }
    p.busy = true;
    p.busyRetryAfterMillis = Math.max(p.busyRetryAfterMillis, m.retryAfterMillis());
    engine.emit(TaskEvent.Step.DECLINED, p.id, e.sender(),
        "retry after " + m.retryAfterMillis() + " ms");
  }

  /**
   * Every provider that answered was busy: another request round after what they asked for,
   * doubled with each retry and jittered (so declined submitters do not return together), until
   * the deadline ends the task.
   */
  private void retryWhenFree(Pending p) {
    long base = Math.max(p.busyRetryAfterMillis, config.offerWindowMillis());
    long backoff = base << Math.min(p.busyRetries, 3);
    long delay = Math.max(1, (long) (backoff * (0.5 + random.nextDouble())));
    p.busy = false;
    p.busyRetryAfterMillis = 0;
    p.busyRetries++;
    engine.emit(TaskEvent.Step.REQUESTED, p.id, self, "providers busy, asking again in " + delay
        + " ms");
    p.cancelPhase();
    p.phaseTimer = net.schedule(Duration.ofMillis(delay), () -> locked(() -> {
      if (!p.state.isTerminal() && !engine.closedUnlocked()) {
        requestRound(p);
      }
    }));
  }

  void sendAward(Pending p) {
    if (p.state.isTerminal() || engine.closedUnlocked()) {
      return;
    }
    p.phaseTimer = null;
    if (p.attempts >= config.awardAttempts()) {
      refund(p, p.current);
      awardNext(p, p.currentRole); // it did not answer: the next candidate
      return;
    }
    p.attempts++;
    engine.send(p.current, Messages.AWARD, Messages.award(new Messages.Award(p.id, p.currentRole,
        p.task.type(), p.currentPrice, p.deadlineMillis, p.task.payload(), p.task.embedding())));
    p.phaseTimer = net.schedule(Duration.ofMillis(config.retryIntervalMillis()),
        () -> locked(() -> sendAward(p)));
  }

  /**
   * A signed AWARD frame with the inputs {@code provider} was awarded: the context of evidence
   * against its result (signed afresh; an adjudicator checks signatures, not freshness).
   */
  private byte[] awardFrame(Pending p, NodeId provider) {
    return engine.sign(Messages.AWARD, Messages.award(new Messages.Award(p.id,
        p.awardedRole.get(provider), p.task.type(), p.escrowed.getOrDefault(provider, 0L),
        p.deadlineMillis, p.task.payload(), p.task.embedding())));
  }

  void onResult(Envelope e, byte[] frame) throws Wire.MalformedException {
    Messages.Result m = Messages.decodeResult(e.payload(), config.maxResultBytes());
    Pending p = mine(m.id());
    NodeId from = e.sender();
    if (p == null && m.id().submitter().equals(self)
        && store.submitted(self, m.id().number()).isPresent()) {
      return; // a late answer to a task that already ended here (its award was re-sent)
    }
    Integer role = p == null ? null : p.awardedRole.get(from);
    if (role == null) {
      metrics.reject(RejectionReason.UNEXPECTED);
      return;
    }
    if (m.role() != role || p.failed.contains(from) || p.answered(from)) {
      return; // a duplicate answer (the award was re-sent): nothing new
    }
    if (!Arrays.equals(m.inputs(), Messages.inputDigest(p.id, role, p.task.type(),
        p.task.payload(), p.task.embedding()))) {
      metrics.reject(RejectionReason.UNEXPECTED); // signed for other inputs: not our award's answer
      return;
    }
    boolean current = from.equals(p.current);
    if (current) {
      p.cancelPhase();
    }
    engine.emit(TaskEvent.Step.RESULT_RECEIVED, p.id, from,
        m.status() == Messages.OK ? m.result().length + " bytes" : "executor failed");
    if (m.status() != Messages.OK || !verify(p.task, m.result())) {
      p.failed.add(from);
      seams.outcomes().providerFailed(p.id, p.task, from, clock.nanos() - p.startNanos);
      if (m.status() == Messages.OK) {
        p.verificationFailures++;
        misbehaviour(new Evidence(Evidence.Kind.FAILED_VERIFICATION, p.id, from, frame.clone(),
            List.of(), awardFrame(p, from)));
      }
      failedProvider(p, from);
      if (current) {
        awardNext(p, p.currentRole);
      }
      return;
    }
    p.results.add(new Pending.Got(from, m.result(), frame.clone()));
    if (!p.crossCheckDrawn && m.role() == Messages.PRIMARY) {
      p.crossCheckDrawn = true;
      if (config.crossCheckFraction() > 0 && random.nextDouble() < config.crossCheckFraction()
          && !seams.learning().adaptive(p.task.type())) { // learned results differ by version
        p.needed = 2;
      }
    }
    List<Pending.Got> agreeing = largestAgreement(p.results);
    if (agreeing.size() >= p.needed) {
      accept(p, agreeing);
    } else if (current) {
      awardNext(p, Messages.CROSS_CHECK);
    } // else: a late answer that settles nothing yet; the current award goes on
  }

  private static List<Pending.Got> largestAgreement(List<Pending.Got> results) {
    List<Pending.Got> best = List.of();
    for (Pending.Got g : results) {
      List<Pending.Got> same =
          results.stream().filter(o -> Arrays.equals(o.result(), g.result())).toList();
      if (same.size() > best.size()) {
        best = same;
      }
    }
    return best;
  }

  private boolean verify(Task task, byte[] result) {
    ResultVerifier v = verifiers.get(task.type());
    if (v == null) {
      return true;
    }
    try {
      return v.verify(task, result.clone());
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "verifier for " + task.type() + " threw; counted as a failed check",
          ex);
      return false;
    }
  }

  private void accept(Pending p, List<Pending.Got> agreeing) {
    Pending.Got winner = agreeing.getFirst();
    long price = p.escrowed.getOrDefault(winner.provider(), 0L);
    store.completeSubmitted(p.id.number(), winner.result(), winner.provider(), price);
    List<byte[]> witnesses = agreeing.stream().map(Pending.Got::frame).toList();
    for (Pending.Got g : p.results) {
      if (!agreeing.contains(g)) {
        seams.outcomes().providerFailed(p.id, p.task, g.provider(), clock.nanos() - p.startNanos);
        misbehaviour(new Evidence(Evidence.Kind.CROSS_CHECK_MISMATCH, p.id, g.provider(),
            g.frame(), witnesses, awardFrame(p, g.provider())));
        failedProvider(p, g.provider());
      }
    }
    for (Pending.Got g : agreeing) {
      Long paid = p.escrowed.remove(g.provider());
      if (paid != null) {
        seams.settlement().release(p.id, g.provider(), paid);
        economyStats.paid(paid);
      }
      engine.send(g.provider(), Messages.COMPLETE, Messages.complete(p.id));
    }
    for (NodeId other : List.copyOf(p.escrowed.keySet())) {
      refund(p, other);
    }
    audit(p, winner, price);
    long latency = clock.nanos() - p.startNanos;
    metrics.latency(latency);
    finish(p, TaskState.COMPLETED);
    seams.outcomes().outcome(p.id, p.task, winner.provider(), winner.result(), latency);
    engine.emit(TaskEvent.Step.COMPLETED, p.id, winner.provider(), agreeing.size() + " agreeing");
    p.future.complete(winner.result().clone());
  }

  void fail(Pending p, Reason reason, String detail) {
    if (p.state.isTerminal()) {
      return;
    }
    store.failSubmitted(p.id.number(), reason);
    for (NodeId other : List.copyOf(p.escrowed.keySet())) {
      refund(p, other);
    }
    metrics.failed(reason);
    finish(p, TaskState.FAILED);
    seams.outcomes().outcome(p.id, p.task, null, null, clock.nanos() - p.startNanos);
    engine.emit(TaskEvent.Step.FAILED, p.id, self, reason + ": " + detail);
    p.future.completeExceptionally(new TaskFailedException(p.id, reason, detail));
  }

  private void finish(Pending p, TaskState terminal) {
    setState(p, terminal);
    p.cancelTimers();
    pending.remove(p.id.number());
    seams.settlement().ended(p.id);
  }

  private void setState(Pending p, TaskState state) {
    if (p.state != state) {
      metrics.leave(p.state);
      metrics.enter(state);
      p.state = state;
    }
  }

  /**
   * With probability {@code auditFraction}, asks the adjudicators to re-execute the accepted result
   * after paying it, and watches for the slash that would claw the unvested reward back.
   */
  private void audit(Pending p, Pending.Got winner, long price) {
    if (economy.adjudicators().isEmpty() || economy.auditFraction() <= 0 || price <= 0
        || random.nextDouble() >= economy.auditFraction()) {
      return;
    }
    int role = p.awardedRole.get(winner.provider());
    byte[] inputs = Messages.inputDigest(p.id, role, p.task.type(), p.task.payload(),
        p.task.embedding());
    seams.misbehaviour().clawBackIfSlashed(p.id, winner.provider(),
        Adjudicator.resultEvidence(p.id, role, winner.provider(), inputs, winner.result()));
    economyStats.audits++;
    engine.accuse(new Evidence(Evidence.Kind.AUDIT, p.id, winner.provider(), winner.frame(),
        List.of(), awardFrame(p, winner.provider())));
  }

  /** The provider failed the task: its escrow is refunded with a failure report. */
  private void failedProvider(Pending p, NodeId provider) {
    Long price = p.escrowed.remove(provider);
    if (price != null) {
      seams.settlement().failed(p.id, provider, price);
    }
  }

  private void refund(Pending p, NodeId provider) {
    Long price = p.escrowed.remove(provider);
    if (price != null) {
      seams.settlement().refund(p.id, provider, price);
    }
  }

  private void misbehaviour(Evidence evidence) {
    seams.misbehaviour().record(evidence);
    engine.accuse(evidence);
    metrics.misbehaviour++;
    engine.emit(TaskEvent.Step.MISBEHAVIOUR_RECORDED, evidence.task(), evidence.accused(),
        evidence.kind().name());
  }

  Pending mine(TaskId id) {
    return id.submitter().equals(self) ? pending.get(id.number()) : null;
  }
}
