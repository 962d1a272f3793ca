package io.github.edgenet.economy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.OperationId;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM ({@code destroyForcibly}) in the middle of thousands of transfers, then reopens
 * its ledger: every acknowledged operation is there, supply is conserved, nothing is half-applied.
 */
class KillTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedTransferSurvivesAKill() throws Exception {
    long seed = 99;
    Set<String> path = new LinkedHashSet<>();
    String modulePath = System.getProperty("jdk.module.path", "");
    for (String p : modulePath.split(File.pathSeparator)) {
      if (!p.isEmpty()) {
        path.add(p);
      }
    }
    for (String p : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!p.isEmpty()) {
        path.add(p);
      }
    }
    path.add(Path.of(CrashChild.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString());
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        String.join(File.pathSeparator, path), CrashChild.class.getName(), dir.toString(),
        Long.toString(seed));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process child = pb.start();
    List<String> acked = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acked.add(line.substring(4));
          if (acked.size() == 3_000) {
            // Killed while it writes: what it printed after this line was never read, so it does
            // not count as acknowledged (destroying the process closes our end of the pipe).
            child.destroyForcibly();
            break;
          }
        }
      }
    }
    child.waitFor();
    System.out.println("KillTest: " + acked.size() + " acknowledged operations before the kill");
    assertTrue(acked.size() >= 3_000, "acknowledged " + acked.size());

    List<NodeIdentity> ids = CrashChild.identities(seed);
    byte[] digest;
    {
      Ledger ledger = Ledger.open(CrashChild.config(ids), dir, Durability.FULL, Clock.system());
      for (String hex : acked) {
        assertTrue(ledger.operation(OperationId.of(HexFormat.of().parseHex(hex))).isPresent(),
            "acknowledged " + hex + " is stored");
      }
      assertTrue(ledger.size() >= acked.size() + 1, "the mint and every acknowledged transfer");
      assertEquals(1_000_000_000L, ledger.supply());
      assertEquals(ledger.supply(), ledger.circulating());
      long held = ledger.account(ids.get(0).id()).balance()
          + ledger.account(ids.get(1).id()).balance()
          + ledger.account(ids.get(2).id()).balance();
      assertTrue(held <= ledger.supply());
      digest = ledger.stateDigest();
      ledger.close();
    }
    try (Ledger again = Ledger.open(CrashChild.config(ids), dir, Durability.FULL,
        Clock.system())) {
      assertEquals(HexFormat.of().formatHex(digest), HexFormat.of().formatHex(again.stateDigest()),
          "reopening resumes with the same digest");
    }
  }
}
