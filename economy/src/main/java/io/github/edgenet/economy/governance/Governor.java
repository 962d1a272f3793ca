package io.github.edgenet.economy.governance;

import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.governance.GovernanceException.Reason;
import io.github.edgenet.economy.internal.Canonical;
import io.github.edgenet.economy.internal.Int128;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Stake-weighted governance of the {@link NetworkParameter network parameters}, after OpenZeppelin
 * Governor (5.x) with {@code GovernorCountingSimple}, {@code GovernorVotesQuorumFraction} and a
 * timelock with a grace period ({@code GovernorTimelockCompound}).
 *
 * <p><b>Lifecycle.</b> {@link #propose} at time {@code t} fixes the snapshot
 * {@code t + votingDelay} and the deadline {@code snapshot + votingPeriod}. The state at time
 * {@code now} is, as in Governor's {@code state()}: Executed or Canceled if so; Pending while
 * {@code now <= snapshot}; Active while {@code now <= deadline}; then Defeated unless quorum is
 * reached ({@code quorumBps} of the total stake at the snapshot {@code <= For + Abstain}) and
 * {@code For > Against}; Succeeded until {@link #queue queued}; Queued until executed, Expired from
 * {@code eta + gracePeriod}. {@link #execute} from {@code eta} applies all changes at once,
 * producing the next immutable {@link NetworkConfig}.
 *
 * <p><b>Votes.</b> One per voter per proposal ({@link Support For/Against/Abstain}), weighted by the
 * voter's stake at the snapshot from the {@link StakeHistory}; the weight and the total are cached
 * when first read, so later stake operations cannot change them. Every operation carries its signed
 * time; the governor remembers the latest time it has accepted, and once that passes a proposal's
 * deadline the tally is closed: a vote dated inside the window that arrives afterwards (late or
 * back-dated) is refused with {@code VOTING_CLOSED}. Nodes folding the ledger's operations in its
 * canonical order therefore reach the same tallies and the same {@link #digest()}.
 *
 * <p><b>Guardians.</b> A configured guardian can cancel a Succeeded or Queued proposal with a
 * {@link GuardianCancel} whose Ed25519 signature every node verifies; each cancel is kept in
 * {@link #cancelLog()} and logged through {@link System.Logger}.
 *
 * <p>Refusals are {@link GovernanceException}s thrown before any change. Thread-safe: one monitor.
 */
public final class Governor {
  private static final System.Logger LOG = System.getLogger(Governor.class.getName());

  private static final class Entry {
    final ProposalId id;
    final NodeId proposer;
    final EnumMap<NetworkParameter, Long> changes;
    final String description;
    final long snapshot;
    final long deadline;
    final HashMap<NodeId, Support> votes = new HashMap<>();
    final HashMap<NodeId, Long> weights = new HashMap<>();
    long forVotes;
    long againstVotes;
    long abstainVotes;
    long totalStake = -1;
    long eta;
    boolean canceled;
    boolean executed;

    Entry(ProposalId id, NodeId proposer, EnumMap<NetworkParameter, Long> changes,
        String description, long snapshot, long deadline) {
      this.id = id;
      this.proposer = proposer;
      this.changes = changes;
      this.description = description;
      this.snapshot = snapshot;
      this.deadline = deadline;
    }
  }

  private final GovernorSettings settings;
  private final StakeHistory stake;
  private final TreeMap<ProposalId, Entry> proposals = new TreeMap<>();
  private final List<GuardianCancel> cancelLog = new ArrayList<>();
  private volatile NetworkConfig config;
  private long latestMillis = Long.MIN_VALUE;
  private final boolean quiet;

  /**
   * A governor over {@code initial}.
   *
   * @param settings delays, quorum, threshold, timelock and guardians
   * @param initial the live configuration at genesis
   * @param stake the ledger's historical stake (voting power)
   */
  public Governor(GovernorSettings settings, NetworkConfig initial, StakeHistory stake) {
    this(settings, initial, stake, false);
  }

  private Governor(GovernorSettings settings, NetworkConfig initial, StakeHistory stake,
      boolean quiet) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.config = Objects.requireNonNull(initial, "initial");
    this.stake = Objects.requireNonNull(stake, "stake");
    this.quiet = quiet;
  }

  /**
   * A governor that logs nothing, for a fold that replays signed history (the ledger's
   * governance fold, which may replay the same executions and cancels many times); otherwise the
   * same as the constructor.
   *
   * @param settings delays, quorum, threshold, timelock and guardians
   * @param initial the live configuration at genesis
   * @param stake the ledger's historical stake (voting power)
   * @return the governor
   */
  public static Governor replaying(GovernorSettings settings, NetworkConfig initial,
      StakeHistory stake) {
    return new Governor(settings, initial, stake, true);
  }

  /**
   * The live configuration; a reader sees all of an executed proposal or none of it.
   *
   * @return the live configuration; a reader sees all of an executed proposal or none of it
   */
  public NetworkConfig config() {
    return config;
  }

  /**
   * The governor's rules.
   *
   * @return the governor's rules
   */
  public GovernorSettings settings() {
    return settings;
  }

  /**
   * Creates a proposal (Governor's {@code propose}).
   *
   * @param proposer who signed it; needs the proposal threshold of stake at {@code atMillis}
   * @param changes the values to set, 1 to {@link GovernorSettings#MAX_CHANGES} parameters
   * @param description what it is for, at most {@value GovernorSettings#MAX_DESCRIPTION_CHARS}
   *     characters
   * @param atMillis the signed operation's time
   * @return the proposal's id (a hash of proposer, changes and description)
   * @throws GovernanceException {@code MALFORMED_PROPOSAL}, {@code PARAMETER_OUT_OF_BOUNDS},
   *     {@code BELOW_PROPOSAL_THRESHOLD} or {@code PROPOSAL_EXISTS}
   */
  public synchronized ProposalId propose(NodeId proposer, Map<NetworkParameter, Long> changes,
      String description, long atMillis) {
    Objects.requireNonNull(proposer, "proposer");
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(description, "description");
    if (changes.isEmpty() || changes.size() > GovernorSettings.MAX_CHANGES) {
      throw new GovernanceException(Reason.MALFORMED_PROPOSAL,
          "a proposal changes 1 to " + GovernorSettings.MAX_CHANGES + " parameters, got "
              + changes.size());
    }
    if (description.length() > GovernorSettings.MAX_DESCRIPTION_CHARS) {
      throw new GovernanceException(Reason.MALFORMED_PROPOSAL, "description has "
          + description.length() + " chars, at most " + GovernorSettings.MAX_DESCRIPTION_CHARS);
    }
    EnumMap<NetworkParameter, Long> ch = new EnumMap<>(NetworkParameter.class);
    for (Map.Entry<NetworkParameter, Long> e : changes.entrySet()) {
      NetworkParameter p = Objects.requireNonNull(e.getKey(), "parameter");
      ch.put(p, p.check(Objects.requireNonNull(e.getValue(), "value")));
    }
    long power = stake.stakeAt(proposer, atMillis);
    if (power < settings.proposalThresholdMicros()) {
      throw new GovernanceException(Reason.BELOW_PROPOSAL_THRESHOLD,
          proposer + " stakes " + power + " < " + settings.proposalThresholdMicros());
    }
    ProposalId id = ProposalId.of(proposer, ch, description);
    if (proposals.containsKey(id)) {
      throw new GovernanceException(Reason.PROPOSAL_EXISTS, id.toString());
    }
    long snapshot;
    long deadline;
    try {
      snapshot = Math.addExact(atMillis, settings.votingDelayMillis());
      deadline = Math.addExact(snapshot, settings.votingPeriodMillis());
    } catch (ArithmeticException e) {
      throw new GovernanceException(Reason.MALFORMED_PROPOSAL, "time " + atMillis + " overflows");
    }
    proposals.put(id, new Entry(id, proposer, ch, description, snapshot, deadline));
    observe(atMillis);
    return id;
  }

  /**
   * The proposal's state at {@code atMillis} (Governor's {@code state}); reading changes nothing.
   *
   * @param id the proposal
   * @param atMillis the time the state is read at, epoch millis
   * @return the proposal's state at {@code atMillis} (Governor's {@code state}); reading changes
   *     nothing
   * @throws GovernanceException {@code UNKNOWN_PROPOSAL}
   */
  public synchronized ProposalState state(ProposalId id, long atMillis) {
    return state(find(id), atMillis);
  }

  private ProposalState state(Entry p, long now) {
    if (p.executed) {
      return ProposalState.EXECUTED;
    }
    if (p.canceled) {
      return ProposalState.CANCELED;
    }
    if (now <= p.snapshot) {
      return ProposalState.PENDING;
    }
    if (now <= p.deadline) {
      return ProposalState.ACTIVE;
    }
    if (!quorumReached(p) || p.forVotes <= p.againstVotes) {
      return ProposalState.DEFEATED;
    }
    if (p.eta == 0) {
      return ProposalState.SUCCEEDED;
    }
    if (now - p.eta >= settings.gracePeriodMillis()) {
      return ProposalState.EXPIRED;
    }
    return ProposalState.QUEUED;
  }

  private boolean quorumReached(Entry p) {
    long total = p.totalStake >= 0 ? p.totalStake : stake.totalStakeAt(p.snapshot);
    p.totalStake = total; // cached: the snapshot is in the past whenever this runs
    return Int128.mulDiv(total, settings.quorumBps(), 10_000) <= p.forVotes + p.abstainVotes;
  }

  /**
   * The quorum of a proposal in micro-units of stake: {@code quorumBps} of the total stake at its
   * snapshot. Call only once the snapshot is in the past (the answer is then fixed).
   *
   * @param id the proposal
   * @return the quorum of a proposal in micro-units of stake: {@code quorumBps} of the total stake
   *     at its snapshot
   * @throws GovernanceException {@code UNKNOWN_PROPOSAL}
   */
  public synchronized long quorum(ProposalId id) {
    Entry p = find(id);
    quorumReached(p);
    return Int128.mulDiv(p.totalStake, settings.quorumBps(), 10_000);
  }

  /**
   * Casts {@code voter}'s vote (Governor's {@code castVote}).
   *
   * @param id the proposal
   * @param voter who signed the vote
   * @param support For, Against or Abstain
   * @param atMillis the signed vote's time; the proposal must be Active then
   * @return the vote's weight: the voter's stake at the snapshot
   * @throws GovernanceException {@code UNKNOWN_PROPOSAL}, {@code VOTING_CLOSED},
   *     {@code UNEXPECTED_STATE} (before the start or after the deadline), {@code ALREADY_VOTED} or
   *     {@code NO_VOTING_POWER}
   */
  public synchronized long castVote(ProposalId id, NodeId voter, Support support, long atMillis) {
    Objects.requireNonNull(voter, "voter");
    Objects.requireNonNull(support, "support");
    Entry p = find(id);
    if (latestMillis > p.deadline && !p.canceled && !p.executed) {
      throw new GovernanceException(Reason.VOTING_CLOSED, "vote dated " + atMillis + " on " + id
          + " arrived after time " + latestMillis + " passed the deadline " + p.deadline);
    }
    ProposalState s = state(p, atMillis);
    if (s != ProposalState.ACTIVE) {
      throw new GovernanceException(Reason.UNEXPECTED_STATE,
          "vote at " + atMillis + " on " + id + " which is " + s + " (open after " + p.snapshot
              + " until " + p.deadline + ")");
    }
    if (p.votes.containsKey(voter)) {
      throw new GovernanceException(Reason.ALREADY_VOTED, voter + " voted " + p.votes.get(voter)
          + " on " + id);
    }
    long w = p.weights.computeIfAbsent(voter, v -> stake.stakeAt(v, p.snapshot));
    if (p.totalStake < 0) {
      p.totalStake = stake.totalStakeAt(p.snapshot); // fixed from the first vote on
    }
    if (w <= 0) {
      throw new GovernanceException(Reason.NO_VOTING_POWER,
          voter + " had no stake at the snapshot " + p.snapshot);
    }
    long f = p.forVotes;
    long a = p.againstVotes;
    long ab = p.abstainVotes;
    try {
      switch (support) {
        case FOR -> f = Math.addExact(f, w);
        case AGAINST -> a = Math.addExact(a, w);
        case ABSTAIN -> ab = Math.addExact(ab, w);
        default -> throw new IllegalStateException("support " + support);
      }
      Math.addExact(f, ab);
    } catch (ArithmeticException e) {
      throw new GovernanceException(Reason.NO_VOTING_POWER, "weight " + w + " overflows the tally");
    }
    p.forVotes = f;
    p.againstVotes = a;
    p.abstainVotes = ab;
    p.votes.put(voter, support);
    observe(atMillis);
    return w;
  }

  /**
   * Whether {@code voter} has voted on the proposal (Governor's {@code hasVoted}).
   *
   * @param id the proposal
   * @param voter the account asked about
   * @return true if {@code voter} has voted on the proposal (Governor's {@code hasVoted})
   */
  public synchronized boolean hasVoted(ProposalId id, NodeId voter) {
    return find(id).votes.containsKey(voter);
  }

  /**
   * Tells the governor that time has reached {@code atMillis} (for example the time of the latest
   * ledger operation): closes the tally of every proposal whose deadline it passed.
   *
   * @param atMillis a signed operation's time
   */
  public synchronized void observe(long atMillis) {
    latestMillis = Math.max(latestMillis, atMillis);
  }

  /**
   * Queues a succeeded proposal in the timelock: executable from {@code atMillis + timelockDelay}.
   *
   * @param id the proposal
   * @param atMillis the signed operation's time
   * @return the eta, epoch millis
   * @throws GovernanceException {@code UNKNOWN_PROPOSAL} or {@code UNEXPECTED_STATE}
   */
  public synchronized long queue(ProposalId id, long atMillis) {
    Entry p = find(id);
    expect(p, atMillis, ProposalState.SUCCEEDED, "queue");
    long eta;
    try {
      eta = Math.max(1, Math.addExact(atMillis, settings.timelockDelayMillis()));
    } catch (ArithmeticException e) {
      throw new GovernanceException(Reason.UNEXPECTED_STATE, "eta of " + atMillis + " overflows");
    }
    p.eta = eta;
    observe(atMillis);
    return eta;
  }

  /**
   * Executes a queued proposal whose timelock has expired: the live configuration becomes the
   * next version with all its changes, in one step.
   *
   * @param id the proposal
   * @param atMillis the signed operation's time
   * @return the new live configuration
   * @throws GovernanceException {@code UNKNOWN_PROPOSAL}, {@code UNEXPECTED_STATE} or
   *     {@code TIMELOCK_NOT_READY}
   */
  public synchronized NetworkConfig execute(ProposalId id, long atMillis) {
    Entry p = find(id);
    expect(p, atMillis, ProposalState.QUEUED, "execute");
    if (atMillis < p.eta) {
      throw new GovernanceException(Reason.TIMELOCK_NOT_READY,
          id + " executable from " + p.eta + ", now " + atMillis);
    }
    NetworkConfig next = config.with(p.changes);
    p.executed = true;
    config = next;
    observe(atMillis);
    if (!quiet) {
      LOG.log(System.Logger.Level.INFO, "executed {0}: {1} -> config v{2}", id, p.changes,
          next.version());
    }
    return next;
  }

  /**
   * The proposer's cancel (Governor 5.x: only while Pending).
   *
   * @param id the proposal
   * @param caller who signed the cancel
   * @param atMillis the signed operation's time
   * @throws GovernanceException {@code UNKNOWN_PROPOSAL}, {@code NOT_PROPOSER} or
   *     {@code UNEXPECTED_STATE}
   */
  public synchronized void cancel(ProposalId id, NodeId caller, long atMillis) {
    Entry p = find(id);
    if (!p.proposer.equals(caller)) {
      throw new GovernanceException(Reason.NOT_PROPOSER, caller + " did not propose " + id);
    }
    expect(p, atMillis, ProposalState.PENDING, "cancel");
    p.canceled = true;
    observe(atMillis);
  }

  /**
   * A guardian's cancel of a Succeeded or Queued proposal, before it executes.
   *
   * @param cancel the signed cancel
   * @throws GovernanceException {@code NOT_GUARDIAN}, {@code BAD_SIGNATURE},
   *     {@code UNKNOWN_PROPOSAL} or {@code UNEXPECTED_STATE}
   */
  public synchronized void guardianCancel(GuardianCancel cancel) {
    Objects.requireNonNull(cancel, "cancel");
    if (!settings.guardians().contains(cancel.guardian())) {
      throw new GovernanceException(Reason.NOT_GUARDIAN, cancel.guardian() + " is no guardian");
    }
    if (!cancel.verifies()) {
      throw new GovernanceException(Reason.BAD_SIGNATURE,
          "cancel of " + cancel.proposal() + " by " + cancel.guardian());
    }
    Entry p = find(cancel.proposal());
    ProposalState s = state(p, cancel.atMillis());
    if (s != ProposalState.SUCCEEDED && s != ProposalState.QUEUED) {
      throw new GovernanceException(Reason.UNEXPECTED_STATE,
          "guardian cancel of " + p.id + " which is " + s);
    }
    p.canceled = true;
    cancelLog.add(cancel);
    observe(cancel.atMillis());
    if (!quiet) {
      LOG.log(System.Logger.Level.WARNING, "guardian {0} canceled {1} at {2}: {3}",
          cancel.guardian(), p.id, cancel.atMillis(), cancel.reason());
    }
  }

  /**
   * Every guardian cancel applied, in order (an unmodifiable copy; signatures re-verifiable).
   *
   * @return every guardian cancel applied, in order (an unmodifiable copy; signatures
   *     re-verifiable)
   */
  public synchronized List<GuardianCancel> cancelLog() {
    return List.copyOf(cancelLog);
  }

  /**
   * A snapshot of a proposal and its tally.
   *
   * @param id the proposal
   * @return a snapshot of a proposal and its tally
   * @throws GovernanceException {@code UNKNOWN_PROPOSAL}
   */
  public synchronized Proposal proposal(ProposalId id) {
    Entry p = find(id);
    return new Proposal(p.id, p.proposer, p.changes, p.description, p.snapshot, p.deadline,
        p.forVotes, p.againstVotes, p.abstainVotes, p.eta);
  }

  /**
   * SHA-256 over the live configuration, every proposal (in id order) with its votes (in voter
   * order) and the cancel log: equal on two nodes exactly when they hold the same governance state.
   *
   * @return SHA-256 over the live configuration, every proposal (in id order) with its votes (in
   *     voter order) and the cancel log: equal on two nodes exactly when they hold the same
   *     governance state
   */
  public synchronized String digest() {
    Canonical c = Canonical.of("edgenet.governance.v1").text(config.digest()).u64(latestMillis)
        .u64(proposals.size());
    for (Entry p : proposals.values()) {
      c.text(p.id.hex()).u64(p.forVotes).u64(p.againstVotes).u64(p.abstainVotes).u64(p.eta)
          .bool(p.canceled).bool(p.executed);
      TreeMap<NodeId, Support> votes = new TreeMap<>(p.votes);
      c.u64(votes.size());
      votes.forEach((v, s) -> c.id(v).u64(s.ordinal()).u64(p.weights.get(v)));
    }
    c.u64(cancelLog.size());
    for (GuardianCancel g : cancelLog) {
      c.text(g.proposal().hex()).id(g.guardian()).u64(g.atMillis()).bytes(g.signature());
    }
    return c.finishHex();
  }

  private void expect(Entry p, long atMillis, ProposalState want, String what) {
    ProposalState s = state(p, atMillis);
    if (s != want) {
      throw new GovernanceException(Reason.UNEXPECTED_STATE,
          what + " " + p.id + " at " + atMillis + ": it is " + s + ", needs " + want);
    }
  }

  private Entry find(ProposalId id) {
    Entry p = proposals.get(Objects.requireNonNull(id, "id"));
    if (p == null) {
      throw new GovernanceException(Reason.UNKNOWN_PROPOSAL, id.toString());
    }
    return p;
  }
}
