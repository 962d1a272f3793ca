package io.github.edgenet.optimize.search;

import io.github.edgenet.core.RandomSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A discrete search space declared by the user: named dimensions, each with a finite, ordered list
 * of choices (layer count, widths, activation, bit width per layer, or anything else). A point of
 * the space is a {@link Candidate}: one choice index per dimension.
 *
 * <pre>{@code
 * SearchSpace space = SearchSpace.builder()
 *     .choice("depth", 1, 2, 3)
 *     .choice("width", 16, 32, 64, 128)
 *     .choice("activation", Activation.RELU, Activation.TANH)
 *     .build();
 * }</pre>
 *
 * <p><b>Thread-safety.</b> Immutable; the choice values should be immutable too.
 */
public final class SearchSpace {
  private final String[] names;
  private final List<List<Object>> choices;
  private final Map<String, Integer> indexOf;

  private SearchSpace(Map<String, List<Object>> dims) {
    this.names = dims.keySet().toArray(new String[0]);
    List<List<Object>> c = new ArrayList<>();
    Map<String, Integer> idx = new HashMap<>();
    for (String n : names) {
      idx.put(n, c.size());
      c.add(List.copyOf(dims.get(n)));
    }
    this.choices = List.copyOf(c);
    this.indexOf = Map.copyOf(idx);
  }

  /**
   * A builder for a space; dimensions keep the order they are added in.
   *
   * @return an empty builder; at least one dimension is required
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Number of dimensions, at least 1.
   *
   * @return the number of dimensions, {@code >= 1}
   */
  public int dimensions() {
    return names.length;
  }

  /**
   * Name of dimension {@code d}.
   *
   * @param d the dimension's index, in declaration order from 0
   * @return its name, as given to {@link Builder#choice(String, List)}
   * @throws IndexOutOfBoundsException if {@code d} is not in {@code [0, dimensions())}
   */
  public String name(int d) {
    return names[Objects.checkIndex(d, names.length)];
  }

  /**
   * Whether there is a dimension called {@code name}.
   *
   * @param name a dimension name (case-sensitive)
   * @return whether the space has a dimension of that name
   */
  public boolean hasDimension(String name) {
    return indexOf.containsKey(Objects.requireNonNull(name, "name"));
  }

  /**
   * The index of the dimension called {@code name}.
   *
   * @param name the dimension's name (case-sensitive)
   * @return its index, in {@code [0, dimensions())}
   * @throws IllegalArgumentException if there is no such dimension
   */
  public int dimension(String name) {
    Integer d = indexOf.get(Objects.requireNonNull(name, "name"));
    if (d == null) {
      throw new IllegalArgumentException("no dimension named '" + name + "' in " + this);
    }
    return d;
  }

  /**
   * The number of choices of dimension {@code d}, at least 1.
   *
   * @param d the dimension's index, in declaration order from 0
   * @return the number of choices of that dimension, {@code >= 1}
   * @throws IndexOutOfBoundsException if {@code d} is not in {@code [0, dimensions())}
   */
  public int size(int d) {
    return choices.get(Objects.checkIndex(d, names.length)).size();
  }

  /**
   * The choices of dimension {@code d}, in declaration order (immutable).
   *
   * @param d the dimension's index, in declaration order from 0
   * @return its choices, immutable
   * @throws IndexOutOfBoundsException if {@code d} is not in {@code [0, dimensions())}
   */
  public List<Object> choices(int d) {
    return choices.get(Objects.checkIndex(d, names.length));
  }

  /**
   * The number of points of the space (saturates at {@link Long#MAX_VALUE}).
   *
   * @return the product of the dimensions' sizes, or {@link Long#MAX_VALUE} if larger
   */
  public long cardinality() {
    long n = 1;
    for (List<Object> c : choices) {
      if (n > Long.MAX_VALUE / c.size()) {
        return Long.MAX_VALUE;
      }
      n *= c.size();
    }
    return n;
  }

  /**
   * The candidate with the given choice indices, one per dimension.
   *
   * @param indices one choice index per dimension, in declaration order, each in {@code [0,
   *     size(d))}; copied
   * @return the candidate with those choices
   * @throws IllegalArgumentException if the count is wrong or an index is out of its range
   */
  public Candidate candidate(int... indices) {
    Objects.requireNonNull(indices, "indices");
    if (indices.length != names.length) {
      throw new IllegalArgumentException(
          "expected " + names.length + " indices, got " + indices.length);
    }
    for (int d = 0; d < indices.length; d++) {
      if (indices[d] < 0 || indices[d] >= size(d)) {
        throw new IllegalArgumentException("index of '" + names[d] + "' must be in [0, "
            + size(d) + "), was " + indices[d]);
      }
    }
    return new Candidate(this, indices.clone());
  }

  /**
   * A candidate drawn uniformly at random from the whole space (one draw per dimension).
   *
   * @param random the seeded stream to draw from; it advances by one draw per dimension
   * @return a uniformly random candidate of this space
   */
  public Candidate random(RandomSource random) {
    int[] g = new int[names.length];
    for (int d = 0; d < g.length; d++) {
      g[d] = random.nextInt(size(d));
    }
    return new Candidate(this, g);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("SearchSpace[");
    for (int d = 0; d < names.length; d++) {
      s.append(d == 0 ? "" : ", ").append(names[d]).append(' ').append(choices.get(d));
    }
    return s.append(']').toString();
  }

  /** Declares dimensions. Not thread-safe. */
  public static final class Builder {
    private final Map<String, List<Object>> dims = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds a dimension with the given choices (in order; duplicates allowed but pointless).
     *
     * @param name the dimension's name, not blank, unique in the space
     * @param values its choices, at least one, none null; copied
     * @return this builder
     * @throws IllegalArgumentException if the name is blank or already used, or no choice is given
     * @throws NullPointerException if the name or a choice is null
     */
    public Builder choice(String name, List<?> values) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(values, "values");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      if (dims.containsKey(name)) {
        throw new IllegalArgumentException("dimension '" + name + "' is already declared");
      }
      if (values.isEmpty()) {
        throw new IllegalArgumentException("dimension '" + name + "' needs at least one choice");
      }
      List<Object> copy = new ArrayList<>();
      for (Object v : values) {
        copy.add(Objects.requireNonNull(v, "a choice of '" + name + "'"));
      }
      dims.put(name, copy);
      return this;
    }

    /**
     * Adds a dimension with the given choices; see {@link #choice(String, List)}.
     *
     * @param name the dimension's name, not blank, unique in the space
     * @param values its choices, at least one, none null; copied
     * @return this builder
     * @throws IllegalArgumentException as {@link #choice(String, List)}
     */
    public Builder choice(String name, Object... values) {
      return choice(name, List.of(values));
    }

    /**
     * The space.
     *
     * @return an immutable space of the dimensions declared so far
     * @throws IllegalStateException if no dimension was declared
     */
    public SearchSpace build() {
      if (dims.isEmpty()) {
        throw new IllegalStateException("a search space needs at least one dimension");
      }
      return new SearchSpace(dims);
    }
  }
}
