package io.github.edgenet.economy.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.edgenet.core.VirtualClock;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.economy.ledger.Ledger;
import io.github.edgenet.economy.ledger.LedgerConfig;
import io.github.edgenet.economy.ledger.Operation;
import io.github.edgenet.economy.ledger.OperationBody;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {
  @TempDir Path dir;
  private final List<NodeIdentity> ids = CrashChild.identities(5);
  private final LedgerConfig config = LedgerConfig.builder(Set.of(ids.get(0).id())).build();
  private final VirtualClock clock = new VirtualClock();

  private byte[] fill(Path where, int transfers) throws Exception {
    try (Ledger l = Ledger.open(config, where, Durability.FULL, clock)) {
      l.append(ids.get(0), new OperationBody.Mint(1_000_000));
      for (int i = 0; i < transfers; i++) {
        Operation s = l.append(ids.get(0), new OperationBody.Send(ids.get(1).id(), 10 + i));
        l.append(ids.get(1), new OperationBody.Receive(s.id()));
      }
      l.append(ids.get(1), new OperationBody.Stake(1_000));
      return l.stateDigest();
    }
  }

  @Test
  void reopeningResumesWithTheSameDigest() throws Exception {
    byte[] digest = fill(dir, 200);
    try (Ledger l = Ledger.open(config, dir, Durability.NORMAL, clock)) {
      assertArrayEquals(digest, l.stateDigest());
      assertEquals(402, l.size());
      assertEquals(1_000, l.account(ids.get(1).id()).stake());
      l.append(ids.get(1), new OperationBody.Burn(1));
    }
    try (Ledger l = Ledger.open(config, dir, Durability.NORMAL, clock)) {
      assertEquals(403, l.size());
      assertEquals(999_999, l.supply());
    }
  }

  @Test
  void aFileThatIsNotADatabaseIsATypedErrorAndLeftUntouched() throws Exception {
    Path file = dir.resolve(Ledger.FILE_NAME);
    byte[] text = "this is my thesis, not a ledger\n".repeat(200).getBytes(StandardCharsets.UTF_8);
    Files.write(file, text);
    StorageException e = assertThrows(StorageException.class,
        () -> Ledger.open(config, dir, Durability.FULL, clock));
    assertEquals(StorageException.Reason.NOT_A_DATABASE, e.reason());
    assertArrayEquals(text, Files.readAllBytes(file), "never replaced");
  }

  @Test
  void aCorruptedDatabaseIsATypedErrorAndLeftUntouched() throws Exception {
    fill(dir, 300);
    Path file = dir.resolve(Ledger.FILE_NAME);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long len = f.length();
      byte[] junk = new byte[8192];
      java.util.Arrays.fill(junk, (byte) 0x5A);
      f.seek(len / 2);
      f.write(junk);
    }
    byte[] before = Files.readAllBytes(file);
    StorageException e = assertThrows(StorageException.class,
        () -> Ledger.open(config, dir, Durability.FULL, clock));
    assertEquals(StorageException.Reason.CORRUPT, e.reason(), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file), "never replaced");
  }

  @Test
  void anotherApplicationsDatabaseIsNotTaken() throws Exception {
    Path file = dir.resolve(Ledger.FILE_NAME);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE notes(body TEXT)");
      s.execute("INSERT INTO notes VALUES ('keep me')");
    }
    StorageException e = assertThrows(StorageException.class,
        () -> Ledger.open(config, dir, Durability.FULL, clock));
    assertEquals(StorageException.Reason.FOREIGN_DATABASE, e.reason());
  }
}
