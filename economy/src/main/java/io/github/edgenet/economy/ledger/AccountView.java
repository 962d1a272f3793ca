package io.github.edgenet.economy.ledger;

import io.github.edgenet.core.identity.NodeId;

/**
 * A snapshot of one account's derived state.
 *
 * @param account the account
 * @param balance liquid micro-units
 * @param stake bonded stake
 * @param unbonding stake requested for withdrawal, still slashable
 * @param unlockAtMillis when {@code unbonding} becomes withdrawable (epoch ms; 0 if never)
 * @param escrowed the sum of the account's open escrows
 * @param chainLength how many operations of its chain this node holds (conflicting ones aside)
 * @param equivocated whether the account equivocated (its chain is void from the conflict on)
 * @param vesting what the vesting grants this account funded still hold (not its money any more
 *     unless clawed back; counted in {@link Ledger#circulating()})
 * @param auctionLocked reserves of the sealed auctions this account opened and has not settled
 *     ({@link AuctionBody.Open})
 * @param deposits bid deposits this account locked ({@link AuctionBody.Commit}), neither refunded
 *     by a reveal nor forfeited
 */
public record AccountView(
    NodeId account,
    long balance,
    long stake,
    long unbonding,
    long unlockAtMillis,
    long escrowed,
    long chainLength,
    boolean equivocated,
    long vesting,
    long auctionLocked,
    long deposits) {}
