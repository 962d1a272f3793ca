package io.github.edgenet.lora.model;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.quant.QuantizedLora;
import java.nio.FloatBuffer;

/**
 * A model evaluated in double precision from a {@link Model}'s weights: the reference the plan is
 * checked against, with every parameter exposed for finite differences.
 */
final class Reference {
  final int layerCount;
  final int[] dims;
  final double[][] w;
  final double[][] b;
  final Activation[] act;
  final double[][] a; // adapter A (rank x in), null when none
  final double[][] bt; // adapter Bt (rank x out)
  final int[] rank;
  final double[] scale;

  Reference(Model model) {
    layerCount = model.layerCount();
    dims = new int[layerCount + 1];
    dims[0] = model.inputDim();
    w = new double[layerCount][];
    b = new double[layerCount][];
    act = new Activation[layerCount];
    a = new double[layerCount][];
    bt = new double[layerCount][];
    rank = new int[layerCount];
    scale = new double[layerCount];
    for (int l = 0; l < layerCount; l++) {
      DenseLayer layer = model.layer(l);
      dims[l + 1] = layer.outputDim();
      w[l] = toDouble(layer.copyWeights());
      b[l] = toDouble(layer.copyBias());
      act[l] = model.activation(l);
      LoraAdapter adapter = model.adapter(l).orElse(null);
      if (adapter instanceof QuantizedLora q) {
        adapter = q.dequantize();
      }
      if (adapter != null) {
        MicroLora m = (MicroLora) adapter;
        a[l] = toDouble(m.viewA());
        bt[l] = toDouble(m.viewBTransposed());
        rank[l] = m.rank();
        scale[l] = m.scale();
      }
    }
  }

  /** Outputs (batch x outputDim) of the model for xs (batch x inputDim). */
  double[] forward(double[] xs, int batch) {
    double[] cur = xs;
    for (int l = 0; l < layerCount; l++) {
      int in = dims[l];
      int out = dims[l + 1];
      double[] next = new double[batch * out];
      for (int s = 0; s < batch; s++) {
        double[] h = new double[rank[l]];
        for (int k = 0; k < rank[l]; k++) {
          for (int i = 0; i < in; i++) {
            h[k] += a[l][k * in + i] * cur[s * in + i];
          }
        }
        for (int o = 0; o < out; o++) {
          double z = b[l][o];
          for (int i = 0; i < in; i++) {
            z += w[l][o * in + i] * cur[s * in + i];
          }
          for (int k = 0; k < rank[l]; k++) {
            z += scale[l] * bt[l][k * out + o] * h[k];
          }
          next[s * out + o] = activate(act[l], z);
        }
      }
      cur = next;
    }
    return cur;
  }

  /** Mean softmax cross-entropy of the outputs against labels. */
  double loss(double[] xs, int[] labels, int batch) {
    double[] z = forward(xs, batch);
    int c = dims[layerCount];
    double total = 0;
    for (int s = 0; s < batch; s++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < c; j++) {
        max = Math.max(max, z[s * c + j]);
      }
      double sum = 0;
      for (int j = 0; j < c; j++) {
        sum += Math.exp(z[s * c + j] - max);
      }
      total += max + Math.log(sum) - z[s * c + labels[s]];
    }
    return total / batch;
  }

  /** Central difference of loss with respect to array[index]. */
  double numericGradient(double[] array, int index, double[] xs, int[] labels, int batch) {
    double saved = array[index];
    double h = 1e-6 * Math.max(1, Math.abs(saved));
    array[index] = saved + h;
    double plus = loss(xs, labels, batch);
    array[index] = saved - h;
    double minus = loss(xs, labels, batch);
    array[index] = saved;
    return (plus - minus) / (2 * h);
  }

  static double activate(Activation f, double z) {
    return switch (f) {
      case IDENTITY -> z;
      case RELU -> Math.max(0, z);
      case TANH -> Math.tanh(z);
      case GELU -> 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
    };
  }

  static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  static double[] toDouble(FloatBuffer v) {
    double[] d = new double[v.remaining()];
    for (int i = 0; i < d.length; i++) {
      d[i] = v.get(i);
    }
    return d;
  }

  static float[] gaussian(RandomSource r, int n, double sd) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (sd * r.nextGaussian());
    }
    return v;
  }

  /** An adapter with random A and random (non-zero) Bt, so both factors have gradients. */
  static MicroLora randomAdapter(RandomSource r, int in, int out, int rank) {
    return MicroLora.ofWeights(in, out, rank, rank, io.github.edgenet.lora.LoraScaling.STANDARD,
        gaussian(r, rank * in, 1 / Math.sqrt(in)), gaussian(r, rank * out, 0.5));
  }

  static DenseLayer randomLayer(RandomSource r, int in, int out) {
    return DenseLayer.of(in, out, gaussian(r, in * out, 1 / Math.sqrt(in)), gaussian(r, out, 0.1));
  }
}
