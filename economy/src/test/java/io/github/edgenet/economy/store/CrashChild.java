package io.github.edgenet.economy.store;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.Clock;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The child JVM of {@link KillTest}: opens the ledger in {@code args[0]}, mints, then transfers
 * forever, printing {@code ACK <id>} after each transfer's commit returned.
 */
public final class CrashChild {
  private CrashChild() {}

  static List<NodeIdentity> identities(long seed) {
    RandomSource r = RandomSource.seeded(seed);
    return List.of(NodeIdentity.generate(r), NodeIdentity.generate(r), NodeIdentity.generate(r));
  }

  static LedgerConfig config(List<NodeIdentity> ids) {
    return LedgerConfig.builder(Set.of(ids.get(0).id())).build();
  }

  /**
   * Runs the child.
   *
   * @param args the storage directory and the key seed
   * @throws Exception on any failure
   */
  public static void main(String[] args) throws Exception {
    List<NodeIdentity> ids = identities(Long.parseLong(args[1]));
    PrintStream out = System.out;
    try (Ledger ledger = Ledger.open(config(ids), Path.of(args[0]), Durability.NORMAL,
        Clock.system())) {
      ledger.append(ids.get(0), new OperationBody.Mint(1_000_000_000L));
      out.println("READY");
      out.flush();
      for (long i = 0; ; i++) {
        NodeIdentity to = ids.get(1 + (int) (i % 2));
        Operation send = ledger.append(ids.get(0), new OperationBody.Send(to.id(), 1 + i % 7));
        out.println("ACK " + send.id().toHex());
        if (i % 3 == 0) {
          Operation r = ledger.append(to, new OperationBody.Receive(send.id()));
          out.println("ACK " + r.id().toHex());
        }
        out.flush();
      }
    }
  }
}
