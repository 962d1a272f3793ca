package io.github.edgenet.optimize.search;

import java.util.Arrays;
import java.util.Objects;

/**
 * One point of a {@link SearchSpace}: a choice index per dimension. Two candidates of the same
 * space are equal when they make the same choices, which is what the search's cache keys on.
 *
 * <p><b>Thread-safety.</b> Immutable.
 */
public final class Candidate {
  private final SearchSpace space;
  private final int[] genes;

  Candidate(SearchSpace space, int[] genes) {
    this.space = space;
    this.genes = genes;
  }

  /**
   * The space this candidate belongs to.
   *
   * @return the space whose choices this candidate's indices refer to
   */
  public SearchSpace space() {
    return space;
  }

  /**
   * The choice index of dimension {@code d}.
   *
   * @param d the dimension's index, in declaration order from 0
   * @return the chosen index, in {@code [0, space().size(d))}
   * @throws IndexOutOfBoundsException if {@code d} is not in {@code [0, space().dimensions())}
   */
  public int index(int d) {
    return genes[Objects.checkIndex(d, genes.length)];
  }

  /**
   * A copy of all choice indices, one per dimension.
   *
   * @return a new array of the chosen indices, in dimension order
   */
  public int[] indices() {
    return genes.clone();
  }

  /**
   * The chosen value of the dimension called {@code name}.
   *
   * @param name the dimension's name
   * @return the chosen value, one of that dimension's choices
   * @throws IllegalArgumentException if there is no such dimension
   */
  public Object value(String name) {
    int d = space.dimension(name);
    return space.choices(d).get(genes[d]);
  }

  /**
   * The chosen value of {@code name} as a {@code type}.
   *
   * @param <T> the expected type of the choice
   * @param name the dimension's name
   * @param type the expected type's class
   * @return the chosen value, cast to {@code type}
   * @throws IllegalArgumentException if there is no such dimension
   * @throws ClassCastException if the value is not a {@code type}
   */
  public <T> T value(String name, Class<T> type) {
    return type.cast(value(name));
  }

  /**
   * The chosen value of {@code name} as an int.
   *
   * @param name the dimension's name
   * @return the chosen value, unboxed
   * @throws IllegalArgumentException if there is no such dimension
   * @throws ClassCastException if the value is not an {@link Integer}
   */
  public int intValue(String name) {
    return value(name, Integer.class);
  }

  /**
   * This candidate with dimension {@code d} set to choice {@code index}.
   *
   * @param d the dimension's index, in declaration order from 0
   * @param index the new choice, in {@code [0, space().size(d))}
   * @return a candidate with that one choice changed (this one is immutable)
   * @throws IndexOutOfBoundsException if {@code d} or {@code index} is out of range
   */
  public Candidate with(int d, int index) {
    Objects.checkIndex(index, space.size(d));
    int[] g = genes.clone();
    g[d] = index;
    return new Candidate(space, g);
  }

  /**
   * A stable 64-bit key of the choices (FNV-1a over the indices): the same on every JVM, for
   * deriving a per-candidate random stream ({@code random.derive(candidate.key())}) so that an
   * evaluator's result does not depend on evaluation order.
   *
   * @return the key, a function of the indices only
   */
  public long key() {
    long h = 0xCBF29CE484222325L;
    for (int g : genes) {
      h ^= g;
      h *= 0x100000001B3L;
      h ^= g >>> 16;
      h *= 0x100000001B3L;
    }
    return h;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Candidate c && c.space == space && Arrays.equals(c.genes, genes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(genes);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("{");
    for (int d = 0; d < genes.length; d++) {
      s.append(d == 0 ? "" : ", ").append(space.name(d)).append('=')
          .append(space.choices(d).get(genes[d]));
    }
    return s.append('}').toString();
  }
}
