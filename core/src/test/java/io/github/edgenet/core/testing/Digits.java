package io.github.edgenet.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The scikit-learn "digits" data set (1,797 handwritten digits, 8x8 pixels, labels 0-9), shipped as
 * the resource {@code digits.csv.gz} of this package with its licence in {@code digits.NOTICE.txt}
 * (BSD 3-Clause, scikit-learn 1.2.1).
 *
 * @param x the images, {@code size() x 64} floats row-major, pixels scaled from 0..16 to [0, 1]
 * @param y the labels, 0 to 9
 */
public record Digits(float[] x, int[] y) {
  /** Pixels per image (8 x 8). */
  public static final int PIXELS = 64;
  /** Number of classes. */
  public static final int CLASSES = 10;
  /** Number of samples in the file. */
  public static final int SAMPLES = 1797;

  private static final class All {
    static final Digits DIGITS = read();
  }

  /** The number of samples. */
  public int size() {
    return y.length;
  }

  /**
   * All 1,797 samples in file order. Read once per JVM; each call returns fresh copies of the
   * arrays, so a test may change them.
   *
   * @throws IllegalStateException if the resource is missing or malformed
   */
  public static Digits load() {
    return new Digits(All.DIGITS.x.clone(), All.DIGITS.y.clone());
  }

  private static Digits read() {
    float[] xs = new float[SAMPLES * PIXELS];
    int[] ys = new int[SAMPLES];
    int n = 0;
    try (InputStream raw = Digits.class.getResourceAsStream("digits.csv.gz")) {
      if (raw == null) {
        throw new IllegalStateException("test resource digits.csv.gz is missing next to " + Digits.class);
      }
      BufferedReader in = new BufferedReader(
          new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",");
        if (f.length != PIXELS + 1 || n == SAMPLES) {
          throw new IllegalStateException("sample " + n + ": expected 65 fields, got " + f.length);
        }
        for (int i = 0; i < PIXELS; i++) {
          xs[n * PIXELS + i] = Float.parseFloat(f[i]) / 16f;
        }
        ys[n++] = (int) Float.parseFloat(f[PIXELS]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (n != SAMPLES) {
      throw new IllegalStateException("expected " + SAMPLES + " samples, read " + n);
    }
    return new Digits(xs, ys);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digits d && Arrays.equals(x, d.x) && Arrays.equals(y, d.y);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(x) + Arrays.hashCode(y);
  }

  @Override
  public String toString() {
    return "Digits[" + size() + " samples]";
  }
}
