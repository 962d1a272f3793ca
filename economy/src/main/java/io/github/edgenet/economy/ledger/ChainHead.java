package io.github.edgenet.economy.ledger;

import io.github.edgenet.core.identity.NodeId;

/**
 * What a node holds of one account's chain, as anti-entropy compares it.
 *
 * @param account the account
 * @param length how many sequence numbers are held, 0 to {@code length - 1}
 * @param head the id of the operation at {@code length - 1}
 * @param conflictSequence the lowest sequence with two conflicting operations, or -1
 */
public record ChainHead(NodeId account, long length, OperationId head, long conflictSequence) {}
