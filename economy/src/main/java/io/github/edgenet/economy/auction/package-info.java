/**
 * Sealed reverse (procurement) auctions with commit-reveal: salted SHA-256 commitments with a
 * deposit, second-price (Vickrey) payment, constraints and a deterministic tie-break.
 */
package io.github.edgenet.economy.auction;
