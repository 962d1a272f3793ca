package io.github.edgenet.learning.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader on small hand-made files, gzipped and plain, and on malformed ones. */
class IdxTest {
  @TempDir
  Path dir;

  static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    out.writeInt(magic);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data);
    return b.toByteArray();
  }

  Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    if (name.endsWith(".gz")) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
        out.write(bytes);
      }
    } else {
      Files.write(p, bytes);
    }
    return p;
  }

  @Test
  void readsImagesAndLabels() throws IOException {
    // three 2x2 images: pixel values 0, 51, 255, ...; labels 9, 0, 3
    byte[] pixels = {0, 51, (byte) 255, (byte) 128, 1, 2, 3, 4, 5, 6, 7, 8};
    Path images = write("i.gz", idx(0x803, new int[] {3, 2, 2}, pixels));
    Path labels = write("l", idx(0x801, new int[] {3}, new byte[] {9, 0, 3}));
    Dataset d = Idx.load("tiny", images, labels, 10);
    assertEquals(3, d.size());
    assertEquals(4, d.features());
    assertArrayEquals(new int[] {9, 0, 3}, d.y());
    assertEquals(0f, d.x()[0]);
    assertEquals(0.2f, d.x()[1], 1e-7f);
    assertEquals(1f, d.x()[2]);
    assertEquals(128 / 255f, d.x()[3]);
    assertEquals(8 / 255f, d.x()[11]);
  }

  @Test
  void rejectsMalformedFiles() throws IOException {
    Path labels = write("l", idx(0x801, new int[] {2}, new byte[] {1, 2}));
    Path ok = write("ok", idx(0x803, new int[] {2, 1, 1}, new byte[] {1, 2}));
    String[] messages = {
        message(write("magic", idx(0x801, new int[] {2, 1, 1}, new byte[] {1, 2})), labels),
        message(write("zero", idx(0x803, new int[] {0, 1, 1}, new byte[0])), labels),
        message(write("short", idx(0x803, new int[] {2, 1, 2}, new byte[] {1, 2, 3})), labels),
        message(write("long", idx(0x803, new int[] {2, 1, 1}, new byte[] {1, 2, 3})), labels),
        message(write("huge", idx(0x803, new int[] {60000, 28000, 28}, new byte[0])), labels),
        message(ok, write("count", idx(0x801, new int[] {3}, new byte[] {1, 2, 3}))),
        message(ok, write("class", idx(0x801, new int[] {2}, new byte[] {1, 10}))),
        message(write("gz.gz", new byte[0]), labels),
    };
    String[] expected = {"magic 0x801", "dimension 0 is 0", "truncated", "trailing bytes",
        "more than", "3 labels for 2 images", "label 10 at 1", "truncated"};
    for (int i = 0; i < expected.length; i++) {
      assertTrue(messages[i].contains(expected[i]), messages[i] + " should say " + expected[i]);
    }
  }

  private static String message(Path images, Path labels) {
    return assertThrows(IOException.class, () -> Idx.load("bad", images, labels, 10))
        .getMessage();
  }
}
