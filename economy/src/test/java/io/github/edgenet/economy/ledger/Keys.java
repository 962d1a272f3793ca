package io.github.edgenet.economy.ledger;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import java.util.ArrayList;
import java.util.List;

/** Deterministic test identities. */
final class Keys {
  private Keys() {}

  static List<NodeIdentity> identities(long seed, int n) {
    RandomSource r = RandomSource.seeded(seed);
    List<NodeIdentity> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(NodeIdentity.generate(r));
    }
    return out;
  }
}
