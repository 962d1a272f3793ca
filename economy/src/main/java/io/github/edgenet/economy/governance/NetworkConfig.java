package io.github.edgenet.economy.governance;

import io.github.edgenet.economy.internal.Canonical;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One immutable version of the live network parameters. Governance never edits a configuration:
 * executing a proposal produces the next version ({@link #with}), so a reader holding a
 * configuration sees all of a change or none of it. Immutable and thread-safe.
 */
public final class NetworkConfig {
  private final long version;
  private final EnumMap<NetworkParameter, Long> values;

  private NetworkConfig(long version, EnumMap<NetworkParameter, Long> values) {
    this.version = version;
    this.values = values;
  }

  /**
   * Version 0: every parameter at its default.
   *
   * @return version 0: every parameter at its default
   */
  public static NetworkConfig defaults() {
    EnumMap<NetworkParameter, Long> v = new EnumMap<>(NetworkParameter.class);
    for (NetworkParameter p : NetworkParameter.values()) {
      v.put(p, p.defaultValue());
    }
    return new NetworkConfig(0, v);
  }

  /**
   * Version 0 with {@code values} in place of the defaults they name (a network whose genesis
   * differs from the defaults, such as a ledger configured with other slash rates).
   *
   * @param values parameter values, each within its bounds
   * @return version 0
   * @throws GovernanceException {@code PARAMETER_OUT_OF_BOUNDS}
   */
  public static NetworkConfig genesis(Map<NetworkParameter, Long> values) {
    EnumMap<NetworkParameter, Long> v = new EnumMap<>(defaults().values);
    for (Map.Entry<NetworkParameter, Long> e : values.entrySet()) {
      v.put(e.getKey(), e.getKey().check(e.getValue()));
    }
    return new NetworkConfig(0, v);
  }

  /**
   * The configuration's version: 0 at genesis, +1 per executed proposal.
   *
   * @return the configuration's version: 0 at genesis, +1 per executed proposal
   */
  public long version() {
    return version;
  }

  /**
   * The value of {@code parameter}, in its {@link NetworkParameter#unit() unit}.
   *
   * @param parameter which parameter
   * @return the value of {@code parameter}, in its {@link NetworkParameter#unit() unit}
   */
  public long get(NetworkParameter parameter) {
    return values.get(Objects.requireNonNull(parameter, "parameter"));
  }

  /**
   * All values, in declaration order (unmodifiable).
   *
   * @return all values, in declaration order (unmodifiable)
   */
  public Map<NetworkParameter, Long> values() {
    return Collections.unmodifiableMap(values);
  }

  /**
   * The next version with {@code changes} applied.
   *
   * @param changes new values
   * @return a new configuration, version + 1
   * @throws GovernanceException {@code PARAMETER_OUT_OF_BOUNDS} (nothing is applied)
   */
  public NetworkConfig with(Map<NetworkParameter, Long> changes) {
    EnumMap<NetworkParameter, Long> v = new EnumMap<>(values);
    for (Map.Entry<NetworkParameter, Long> e : changes.entrySet()) {
      v.put(e.getKey(), e.getKey().check(e.getValue()));
    }
    return new NetworkConfig(version + 1, v);
  }

  /**
   * SHA-256 over version and values, 64 hex digits.
   *
   * @return SHA-256 over version and values, 64 hex digits
   */
  public String digest() {
    Canonical c = Canonical.of("edgenet.governance.config.v1").u64(version);
    values.forEach((p, val) -> c.text(p.name()).u64(val));
    return c.finishHex();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkConfig other && version == other.version
        && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(version) * 31 + values.hashCode();
  }

  @Override
  public String toString() {
    return "NetworkConfig[v" + version + " " + values + "]";
  }
}
