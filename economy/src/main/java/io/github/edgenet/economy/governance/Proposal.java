package io.github.edgenet.economy.governance;

import io.github.edgenet.core.identity.NodeId;
import java.util.Map;

/**
 * A snapshot of one proposal and its tally (immutable; {@link Governor#proposal} returns a fresh
 * one).
 *
 * @param id the proposal's id
 * @param proposer who proposed
 * @param changes the parameter values it sets, in declaration order
 * @param description what it is for
 * @param snapshotMillis voting power is the stake at this time; voting opens after it
 * @param deadlineMillis voting closes after this time
 * @param forVotes stake voting For
 * @param againstVotes stake voting Against
 * @param abstainVotes stake abstaining
 * @param etaMillis when it becomes executable, or 0 if not queued
 */
public record Proposal(
    ProposalId id, NodeId proposer, Map<NetworkParameter, Long> changes, String description,
    long snapshotMillis, long deadlineMillis, long forVotes, long againstVotes, long abstainVotes,
    long etaMillis) {

  /** Copies the changes. */
  public Proposal {
    java.util.EnumMap<NetworkParameter, Long> copy = new java.util.EnumMap<>(NetworkParameter.class);
    copy.putAll(changes);
    changes = java.util.Collections.unmodifiableMap(copy);
  }
}
