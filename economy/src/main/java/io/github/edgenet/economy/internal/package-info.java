/** Implementation of the ledger: state, rules, fold and SQLite store. Not exported. */
package io.github.edgenet.economy.internal;
