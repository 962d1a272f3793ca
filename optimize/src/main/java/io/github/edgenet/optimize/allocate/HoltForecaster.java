package io.github.edgenet.optimize.allocate;

/**
 * Holt's linear (double exponential smoothing) forecast of one series, e.g. the demand of one task
 * type per period: with smoothing factors {@code alpha} (level) and {@code beta} (trend),
 *
 * <pre>{@code
 * first observation y_1:  level = y_1, trend = 0
 * then:                   level' = alpha * y + (1 - alpha) * (level + trend)
 *                         trend' = beta * (level' - level) + (1 - beta) * trend
 * forecast h periods on:  level + h * trend
 * }</pre>
 *
 * <p>(Holt 1957; Hyndman and Athanasopoulos, "Forecasting: Principles and Practice", 8.1.)
 *
 * <p><b>Thread-safety.</b> Not thread-safe; {@link ResourceAllocator} guards its own.
 */
public final class HoltForecaster {
  private final double alpha;
  private final double beta;
  private double level;
  private double trend;
  private long observations;

  /**
   * A forecaster with no observation yet.
   *
   * @param alpha level smoothing in {@code (0, 1]}
   * @param beta trend smoothing in {@code [0, 1]}
   * @throws IllegalArgumentException if a factor is out of range
   */
  public HoltForecaster(double alpha, double beta) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
    }
    if (!(beta >= 0 && beta <= 1)) {
      throw new IllegalArgumentException("beta must be in [0, 1], was " + beta);
    }
    this.alpha = alpha;
    this.beta = beta;
  }

  /**
   * Adds the next observation.
   *
   * @param value this period's observation, finite (e.g. tasks submitted)
   * @throws IllegalArgumentException if {@code value} is not finite (nothing changes)
   */
  public void observe(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("value must be finite, was " + value);
    }
    if (observations == 0) {
      level = value;
      trend = 0;
    } else {
      double previous = level;
      level = alpha * value + (1 - alpha) * (level + trend);
      trend = beta * (level - previous) + (1 - beta) * trend;
    }
    observations++;
  }

  /**
   * The forecast {@code horizon} periods after the last observation, {@code level + horizon *
   * trend}; 0 before any observation.
   *
   * @param horizon periods ahead, {@code >= 0} (0: the current level)
   * @return the forecast, unclamped (it may be negative on a falling trend)
   * @throws IllegalArgumentException if {@code horizon < 0}
   */
  public double forecast(int horizon) {
    if (horizon < 0) {
      throw new IllegalArgumentException("horizon must be >= 0, was " + horizon);
    }
    return observations == 0 ? 0 : level + horizon * trend;
  }

  /**
   * The smoothed level.
   *
   * @return the smoothed level, in the observations' unit; 0 before any observation
   */
  public double level() {
    return level;
  }

  /**
   * The smoothed trend per period.
   *
   * @return the smoothed change per period; 0 before two observations
   */
  public double trend() {
    return trend;
  }

  /**
   * How many observations were made.
   *
   * @return the number of observations so far, {@code >= 0}
   */
  public long observations() {
    return observations;
  }
}
