package io.github.edgenet.learning.demo;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST (LeCun's format): a big-endian magic {@code 0x0000
 * TT DD} (type {@code 0x08} = unsigned byte, {@code DD} dimensions), {@code DD} big-endian int
 * sizes, then the data row-major. Images are {@code 0x00000803} (count, rows, columns), labels
 * {@code 0x00000801} (count). Files ending in {@code .gz} are gunzipped on the fly.
 *
 * <p>Everything is checked before it is allocated: the magic, the dimension count, every size
 * positive and their product at most {@link #MAX_BYTES}; a short file, trailing bytes, a label
 * count that differs from the image count, or a label outside {@code [0, classes)} is an {@link
 * IOException} naming the file.
 */
final class Idx {
  /** Largest data block accepted (Fashion-MNIST's training images are 47,040,000 bytes). */
  static final long MAX_BYTES = 1L << 28;

  private Idx() {}

  /**
   * Images and labels as a {@link Dataset}, pixels scaled from 0..255 to [0, 1].
   *
   * @throws IOException if a file is unreadable or malformed
   */
  static Dataset load(String name, Path images, Path labels, int classes) throws IOException {
    int[] imageDims = new int[3];
    byte[] pixels = read(images, 3, imageDims);
    int[] labelDims = new int[1];
    byte[] tags = read(labels, 1, labelDims);
    if (labelDims[0] != imageDims[0]) {
      throw new IOException(labels + ": " + labelDims[0] + " labels for " + imageDims[0]
          + " images in " + images);
    }
    int features = imageDims[1] * imageDims[2];
    float[] x = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      x[i] = (pixels[i] & 0xFF) / 255f;
    }
    int[] y = new int[tags.length];
    for (int i = 0; i < tags.length; i++) {
      y[i] = tags[i] & 0xFF;
      if (y[i] >= classes) {
        throw new IOException(labels + ": label " + y[i] + " at " + i + " is not below "
            + classes);
      }
    }
    return new Dataset(name, features, classes, x, y);
  }

  /**
   * The unsigned-byte data of an IDX file with {@code dimensions} dimensions; their sizes go to
   * {@code dims}.
   */
  static byte[] read(Path file, int dimensions, int[] dims) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        DataInputStream in = new DataInputStream(
            file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw)) {
      return read(in, file.toString(), dimensions, dims);
    }
  }

  static byte[] read(DataInputStream in, String what, int dimensions, int[] dims)
      throws IOException {
    try {
      int magic = in.readInt();
      int expected = 0x0800 | dimensions;
      if (magic != expected) {
        throw new IOException(what + ": magic 0x" + Integer.toHexString(magic) + ", expected 0x"
            + Integer.toHexString(expected) + " (unsigned bytes, " + dimensions + " dimensions)");
      }
      long total = 1;
      for (int d = 0; d < dimensions; d++) {
        dims[d] = in.readInt();
        if (dims[d] <= 0) {
          throw new IOException(what + ": dimension " + d + " is " + dims[d]);
        }
        total *= dims[d];
        if (total > MAX_BYTES) {
          throw new IOException(what + ": more than " + MAX_BYTES + " bytes of data");
        }
      }
      byte[] data = new byte[(int) total];
      in.readFully(data);
      if (in.read() != -1) {
        throw new IOException(what + ": trailing bytes after " + total + " bytes of data");
      }
      return data;
    } catch (EOFException e) {
      throw new IOException(what + ": truncated", e);
    }
  }
}
