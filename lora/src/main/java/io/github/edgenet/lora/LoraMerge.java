package io.github.edgenet.lora;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Exact merging of LoRA adapters: the merged update is {@code ΔW = sum_i w_i * scale_i * B_i A_i},
 * re-factorized to a requested rank by truncated SVD, with the truncation's error reported.
 *
 * <pre>{@code
 * LoraMerge.Result merged = LoraMerge.builder()
 *     .add(adapterFromPeer1, 0.5)
 *     .add(adapterFromPeer2, 0.3)
 *     .add(localAdapter, 0.2)
 *     .rank(8)
 *     .merge();
 * MicroLora adapter = merged.adapter();
 * double lost = merged.relativeError(); // 0 when the sum has rank <= 8
 * }</pre>
 *
 * <p>Averaging the {@code A}'s and the {@code B}'s separately is <em>not</em> a merge: {@code (sum
 * w_i B_i)(sum w_i A_i)} has the cross terms {@code w_i w_j B_i A_j} and misses the intended
 * {@code sum w_i B_i A_i}. This class computes the intended matrix, without forming it densely:
 * with the factors stacked, {@code P = [w_1 s_1 B_1 | ... | w_n s_n B_n]} ({@code outputDim x R})
 * and {@code Q = [A_1; ...; A_n]} ({@code R x inputDim}), {@code R = sum r_i}, we have {@code ΔW =
 * P Q}. Thin QR factorizations {@code P = Q_p R_p} and {@code Q^T = Q_q R_q} reduce the problem to
 * the SVD of the small {@code R x R} core {@code C = R_p R_q^T = U Σ V^T}, so {@code ΔW = (Q_p U) Σ
 * (Q_q V)^T}. The top {@code r} singular triplets are kept (the best rank-{@code r} approximation
 * in Frobenius and spectral norm, by Eckart-Young) and {@code Σ} is split evenly: {@code B'[:,k] =
 * sqrt(σ_k / s') Q_p u_k}, {@code A'[k,:] = sqrt(σ_k / s') (Q_q v_k)^T}, so that {@code s' B' A'}
 * is the truncated {@code ΔW}. Everything is computed in double; the result is rounded to float
 * once. Cost: {@code O(R^2 (inputDim + outputDim) + R^3)}.
 *
 * <p>Singular values below {@code 4 R 2^-52 |P|_F |Q|_F} are rounding noise of the computation
 * (e.g. from adapters that cancel) and are treated as exact zeros. Kept directions with a zero
 * singular value get zero factors, so merging to a rank above the numerical rank is exact; note
 * that such directions have zero gradient if the merged adapter is trained further.
 *
 * <p>Not thread-safe (a builder); reads each input adapter as one consistent
 * {@link MicroLora#snapshot() snapshot}, so merging adapters that are being trained is safe.
 */
public final class LoraMerge {
  private static final double EPS = 0x1.0p-52;

  private LoraMerge() {}

  /**
   * A builder for a merge.
   *
   * @return a builder for a merge
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The outcome of a merge.
   *
   * @param adapter the merged adapter, of the requested rank
   * @param singularValues all {@code R} singular values of the exact update {@code ΔW}, in
   *     decreasing order (numerical zeros flushed to 0); the first {@code rank} are kept
   * @param relativeError the relative Frobenius error of the truncation, {@code |ΔW - ΔW_r|_F /
   *     |ΔW|_F = sqrt(sum_{k >= r} σ_k^2 / sum_k σ_k^2)}: 0 when the update's rank fits, and 0 when
   *     {@code ΔW = 0}
   */
  public record Result(MicroLora adapter, double[] singularValues, double relativeError) {
    /** Copies the singular values. */
    public Result {
      Objects.requireNonNull(adapter, "adapter");
      singularValues = singularValues.clone();
    }

    /**
     * A copy of the singular values of the exact update, decreasing.
     *
     * @return a copy of the singular values of the exact update, decreasing
     */
    @Override
    public double[] singularValues() {
      return singularValues.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Result other
          && adapter.equals(other.adapter)
          && Arrays.equals(singularValues, other.singularValues)
          && Double.compare(relativeError, other.relativeError) == 0;
    }

    @Override
    public int hashCode() {
      return Objects.hash(adapter, Arrays.hashCode(singularValues), relativeError);
    }

    @Override
    public String toString() {
      return "LoraMerge.Result[" + adapter + ", singularValues " + Arrays.toString(singularValues)
          + ", relativeError " + relativeError + "]";
    }
  }

  /**
   * Collects weighted adapters and the target shape of the merge. Defaults: rank {@code min(16,
   * sum of the input ranks)}, {@code alpha} equal to the rank (scale 1), {@link
   * LoraScaling#STANDARD}. Not thread-safe; may be reused (each {@link #merge()} reads the adapters
   * afresh).
   */
  public static final class Builder {
    private final List<MicroLora> adapters = new ArrayList<>();
    private double[] weights = new double[4];
    private int rank;
    private float alpha = Float.NaN;
    private LoraScaling scaling = LoraScaling.STANDARD;

    private Builder() {}

    /**
     * Adds {@code adapter} with weight {@code weight} (any finite number: negative weights
     * subtract, 0 ignores). All adapters must have the same input and output dimensions; ranks,
     * alphas and scaling rules may differ.
     *
     * @param adapter an f32 adapter; its weights are read at {@link #merge()}, not now
     * @param weight its weight in the merged update, finite
     * @return this builder
     * @throws IllegalArgumentException if {@code weight} is not finite or the dimensions differ
     *     from those of the adapters added before
     */
    public Builder add(MicroLora adapter, double weight) {
      Objects.requireNonNull(adapter, "adapter");
      if (!Double.isFinite(weight)) {
        throw new IllegalArgumentException("weight must be finite, was " + weight);
      }
      if (!adapters.isEmpty()) {
        MicroLora first = adapters.get(0);
        if (first.inputDim() != adapter.inputDim() || first.outputDim() != adapter.outputDim()) {
          throw new IllegalArgumentException(
              "adapter " + adapters.size() + " is " + adapter.inputDim() + "->" + adapter.outputDim()
                  + ", the first is " + first.inputDim() + "->" + first.outputDim());
        }
      }
      if (adapters.size() == weights.length) {
        weights = Arrays.copyOf(weights, 2 * weights.length);
      }
      weights[adapters.size()] = weight;
      adapters.add(adapter);
      return this;
    }

    /**
     * The rank of the merged adapter, 1 to {@value MicroLora#MAX_RANK}.
     *
     * @param rank the merged adapter's rank, 1 to {@value MicroLora#MAX_RANK} (default: the sum of
     *     the ranks added, at most 16, which keeps the merge exact when it fits)
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder rank(int rank) {
      MicroLora.checkRank(rank);
      this.rank = rank;
      return this;
    }

    /**
     * The merged adapter's {@code alpha} (default: its rank). Only the split of the update between
     * scale and factors depends on it, not the update itself.
     *
     * @param alpha {@code alpha}, finite and {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if not finite and positive
     */
    public Builder alpha(float alpha) {
      if (!(Float.isFinite(alpha) && alpha > 0f)) {
        throw new IllegalArgumentException("alpha must be finite and > 0, was " + alpha);
      }
      this.alpha = alpha;
      return this;
    }

    /**
     * The merged adapter's scaling rule (default {@link LoraScaling#STANDARD}).
     *
     * @param scaling the scaling rule
     * @return this builder
     */
    public Builder scaling(LoraScaling scaling) {
      this.scaling = Objects.requireNonNull(scaling, "scaling");
      return this;
    }

    /**
     * Computes the merge.
     *
     * @return the merged adapter, the singular values of the exact update and the truncation's
     *     relative error
     * @throws IllegalStateException if no adapter was added
     * @throws IllegalArgumentException if the merged weights overflow float
     */
    public Result merge() {
      if (adapters.isEmpty()) {
        throw new IllegalStateException("no adapter to merge: call add(...)");
      }
      int in = adapters.get(0).inputDim();
      int out = adapters.get(0).outputDim();
      int total = 0;
      for (MicroLora adapter : adapters) {
        total += adapter.rank();
      }
      int r = rank != 0 ? rank : Math.min(MicroLora.MAX_RANK, total);
      float effectiveAlpha = Float.isNaN(alpha) ? r : alpha;

      // Stack the factors: rows of p are the columns of P, rows of q the rows of Q.
      double[] p = new double[total * out];
      double[] q = new double[total * in];
      int j = 0;
      for (int i = 0; i < adapters.size(); i++) {
        MicroLora snapshot = adapters.get(i).snapshot();
        double c = weights[i] * snapshot.scale();
        float[] a = snapshot.a();
        float[] bt = snapshot.bt();
        for (int k = 0; k < snapshot.rank(); k++, j++) {
          for (int o = 0; o < out; o++) {
            p[j * out + o] = c * bt[k * out + o];
          }
          for (int x = 0; x < in; x++) {
            q[j * in + x] = a[k * in + x];
          }
        }
      }
      double noise =
          4 * total * EPS
              * Math.sqrt(SmallLinearAlgebra.dot(p, 0, p, 0, p.length))
              * Math.sqrt(SmallLinearAlgebra.dot(q, 0, q, 0, q.length));

      double[] rp = SmallLinearAlgebra.orthonormalizeRows(p, total, out); // p now holds Q_p^T
      double[] rq = SmallLinearAlgebra.orthonormalizeRows(q, total, in); // q now holds Q_q^T
      double[] core = new double[total * total];
      for (int i = 0; i < total; i++) {
        for (int k = 0; k < total; k++) {
          double s = 0;
          for (int l = Math.max(i, k); l < total; l++) { // both factors are upper triangular
            s += rp[i * total + l] * rq[k * total + l];
          }
          core[i * total + k] = s;
        }
      }
      SmallLinearAlgebra.Svd svd = SmallLinearAlgebra.svd(core, total);
      double[] sigma = svd.sigma();
      double all = 0;
      double dropped = 0;
      for (int k = 0; k < total; k++) {
        if (sigma[k] <= noise) {
          sigma[k] = 0;
        }
        double sq = sigma[k] * sigma[k];
        all += sq;
        if (k >= r) {
          dropped += sq;
        }
      }
      double error = all == 0 ? 0 : Math.sqrt(dropped) / Math.sqrt(all);

      float newScale = scaling.scale(effectiveAlpha, r);
      double[] newA = new double[r * in];
      double[] newBt = new double[r * out];
      for (int k = 0; k < Math.min(r, total); k++) {
        if (sigma[k] == 0) {
          continue;
        }
        double f = Math.sqrt(sigma[k] / newScale);
        for (int l = 0; l < total; l++) {
          double cu = f * svd.u(l, k);
          if (cu != 0) {
            for (int o = 0; o < out; o++) {
              newBt[k * out + o] += cu * p[l * out + o];
            }
          }
          double cv = f * svd.v(l, k);
          if (cv != 0) {
            for (int x = 0; x < in; x++) {
              newA[k * in + x] += cv * q[l * in + x];
            }
          }
        }
      }
      MicroLora merged =
          MicroLora.ofWeights(in, out, r, effectiveAlpha, scaling, toFloat(newA), toFloat(newBt));
      return new Result(merged, sigma, error);
    }

    private static float[] toFloat(double[] v) {
      float[] f = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        f[i] = (float) v[i];
      }
      return f;
    }
  }
}
