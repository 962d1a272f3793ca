package io.github.edgenet.lora.model;

import io.github.edgenet.core.vector.VectorKernels;
import io.github.edgenet.lora.LoraAdapter;
import io.github.edgenet.lora.LoraTrainer;
import io.github.edgenet.lora.MicroLora;
import io.github.edgenet.lora.quant.QuantizedLora;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The evaluation plan of a {@link Model}: every buffer a batch of up to {@link #maxBatch()}
 * samples needs, allocated once by {@link Model#plan(int)}, and the passes that use them. A batch
 * allocates nothing, whatever its size.
 *
 * <pre>{@code
 * ModelPlan plan = model.plan(32);
 * plan.forward(xs, 0, batch);           // xs: batch x inputDim, row-major
 * float loss = plan.loss(labels, 0);    // mean softmax cross-entropy of the batch
 * plan.backward();                      // adapters' gradients into their trainers
 * for (LoraTrainer t : model.trainers()) t.step();
 * // or all four at once: plan.trainBatch(xs, 0, labels, 0, batch)
 * }</pre>
 *
 * <p><b>Buffers.</b> For each layer {@code l} with {@code in_l} inputs and {@code out_l} outputs
 * the plan holds, batch-major ({@code maxBatch} rows, row-major): its input {@code a_l} (for
 * {@code l = 0} a copy of the caller's batch, so the caller may reuse its array right after
 * {@link #forward}), its pre-activation {@code z_l} (shared with {@code a_{l+1}} when the
 * activation is {@link Activation#IDENTITY}) and the gradient of the loss with respect to
 * {@code a_l}. The last {@code a} is the output ({@link #output(int, int)}). The backward pass
 * turns each gradient into {@code dL/dz} in place.
 *
 * <p><b>Passes.</b> {@link #forward} runs {@code z = W a + b + adapter(a)}, then the activation,
 * layer by layer. {@link #loss} computes the mean {@link SoftmaxCrossEntropy softmax
 * cross-entropy} of the outputs (which are then logits) and its gradient. {@link #backward()} runs
 * from the last layer down: through the activation, then {@code dL/da = W^T dz} plus the
 * adapter's part; each trainable adapter's trainer gets {@link LoraTrainer#accumulateBatch} with
 * its layer's input and {@code dz}. It stops at the lowest layer with a trainer (nothing below
 * needs a gradient) unless the gradient with respect to the input is asked for
 * ({@link #backward(float[], int)}). Frozen base weights are only read.
 *
 * <p><b>Gradient scale.</b> Trainers receive each sample's own gradient; their {@link
 * LoraTrainer#step()} averages, so one step follows the gradient of the batch's mean loss. The
 * input gradient written by {@link #backward(float[], int)} is that of the mean loss, {@code
 * dL/dx_b = (1/batch) dl_b/dx_b}.
 *
 * <p><b>Order.</b> {@code forward} may be called at any time; {@code loss} needs a forward;
 * {@code backward} needs a {@code loss} since the last forward and consumes it (a second backward
 * would count the batch twice). Violations throw {@link IllegalStateException}.
 *
 * <p><b>Failures.</b> Bad arguments throw before anything is written: {@link
 * IllegalArgumentException} for a batch outside {@code [1, maxBatch]} or a label outside
 * {@code [0, outputDim)}, {@link IndexOutOfBoundsException} for a slice that does not fit. A
 * non-finite input propagates as NaN to the outputs and the loss; a trainer then refuses the step
 * (see {@link LoraTrainer#step()}). The backward pass goes through inference-only adapters of type
 * {@link MicroLora} or {@link QuantizedLora}; if it has to go through another adapter type it
 * throws {@link IllegalStateException} before writing anything.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: a plan is one thread's workspace. Give each thread its
 * own plan of the same model (see {@link Model} for what plans of one model share).
 */
public final class ModelPlan {
  private final Model model;
  private final int maxBatch;
  private final int layerCount;
  private final int[] dims;
  private final DenseLayer[] layers;
  private final Activation[] activations;
  private final LoraAdapter[] adapters;
  private final LoraTrainer[] trainers;

  /** act[l]: input of layer l (act[0] is the copied batch), act[layerCount] is the output. */
  private final float[][] act;
  /** pre[l]: pre-activation z of layer l; the same array as act[l+1] for IDENTITY. */
  private final float[][] pre;
  /** grad[l]: per-sample gradient of the loss w.r.t. act[l]; made dL/dz in place when used. */
  private final float[][] grad;

  // Backward through inference-only adapters: MicroLora weights are copied from live read-only
  // views at each backward (rank x (in + out) floats); QuantizedLora is read on its blocks.
  private final FloatBuffer[] frozenAView;
  private final FloatBuffer[] frozenBtView;
  private final float[][] frozenA;
  private final float[][] frozenBt;
  private final boolean[] backwardUnsupported;
  private final float[] rankScratch;

  // Base-weight gradient sinks (sums over samples), only for DenseTrainer; null otherwise.
  private final float[][] baseGradW;
  private final float[][] baseGradB;

  /** The lowest layer whose parameters receive a gradient; layerCount when none does. */
  private final int lowestTrainedLayer;
  private final boolean hasTrainer;

  private int batch;
  private boolean lossReady;

  ModelPlan(Model model, int maxBatch, float[][] baseGradW, float[][] baseGradB) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1, was " + maxBatch);
    }
    this.model = model;
    this.maxBatch = maxBatch;
    this.layers = model.layersInternal();
    this.activations = model.activationsInternal();
    this.adapters = model.adaptersInternal();
    this.trainers = model.trainersInternal();
    this.layerCount = layers.length;
    this.baseGradW = baseGradW;
    this.baseGradB = baseGradB;
    dims = new int[layerCount + 1];
    dims[0] = model.inputDim();
    for (int l = 0; l < layerCount; l++) {
      dims[l + 1] = layers[l].outputDim();
    }
    act = new float[layerCount + 1][];
    pre = new float[layerCount][];
    grad = new float[layerCount + 1][];
    for (int l = 0; l <= layerCount; l++) {
      int size;
      try {
        size = Math.multiplyExact(maxBatch, dims[l]);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "maxBatch " + maxBatch + " times width " + dims[l] + " exceeds an array's size", e);
      }
      act[l] = new float[size];
      grad[l] = new float[size];
    }
    frozenAView = new FloatBuffer[layerCount];
    frozenBtView = new FloatBuffer[layerCount];
    frozenA = new float[layerCount][];
    frozenBt = new float[layerCount][];
    backwardUnsupported = new boolean[layerCount];
    int maxRank = 0;
    int lowest = layerCount;
    boolean anyTrainer = false;
    for (int l = 0; l < layerCount; l++) {
      pre[l] = activations[l] == Activation.IDENTITY ? act[l + 1] : new float[act[l + 1].length];
      LoraAdapter adapter = adapters[l];
      if (adapter != null) {
        maxRank = Math.max(maxRank, adapter.rank());
      }
      if (trainers[l] == null && adapter != null) {
        if (adapter instanceof MicroLora m) {
          frozenAView[l] = m.viewA();
          frozenBtView[l] = m.viewBTransposed();
          frozenA[l] = new float[m.rank() * m.inputDim()];
          frozenBt[l] = new float[m.rank() * m.outputDim()];
        } else if (!(adapter instanceof QuantizedLora)) {
          backwardUnsupported[l] = true;
        }
      }
      anyTrainer |= trainers[l] != null;
      if (lowest == layerCount
          && (trainers[l] != null || (baseGradW != null && baseGradW[l] != null))) {
        lowest = l;
      }
    }
    lowestTrainedLayer = lowest;
    hasTrainer = anyTrainer;
    rankScratch = new float[Math.max(1, maxRank)];
  }

  /**
   * The model this plan evaluates.
   *
   * @return the model this plan evaluates
   */
  public Model model() {
    return model;
  }

  /**
   * The largest batch this plan accepts.
   *
   * @return the largest batch this plan accepts
   */
  public int maxBatch() {
    return maxBatch;
  }

  /**
   * The size of the last forward batch; 0 before the first {@link #forward}.
   *
   * @return the size of the last forward batch
   */
  public int batchSize() {
    return batch;
  }

  /**
   * Runs the model on {@code batch} inputs: {@code xs[xsOffset ..]} holds them one after another
   * ({@code batch x inputDim}, row-major). The outputs stay in the plan until the next forward.
   *
   * @param xs the array holding the inputs; read only
   * @param xsOffset the index in {@code xs} of its first element used
   * @param batch the number of samples, 1 to {@link #maxBatch()}
   * @throws IllegalArgumentException if {@code batch} is not in {@code [1, maxBatch]}
   * @throws IndexOutOfBoundsException if the slice does not fit {@code xs}
   */
  public void forward(float[] xs, int xsOffset, int batch) {
    checkBatch(batch);
    int n = batch * dims[0];
    Objects.checkFromIndexSize(xsOffset, n, xs.length);
    this.batch = 0;
    this.lossReady = false;
    System.arraycopy(xs, xsOffset, act[0], 0, n);
    for (int l = 0; l < layerCount; l++) {
      float[] in = act[l];
      float[] z = pre[l];
      layers[l].forwardBatch(in, z, batch);
      if (adapters[l] != null) {
        adapters[l].forwardBatch(in, 0, z, 0, batch);
      }
      activations[l].apply(z, act[l + 1], 0, batch * dims[l + 1]);
    }
    this.batch = batch;
  }

  /**
   * Output {@code column} of sample {@code row} of the last forward batch.
   *
   * @param row the sample, in {@code [0, batchSize())}
   * @param column the output, in {@code [0, outputDim)}
   * @return that output of the last forward batch
   * @throws IllegalStateException if no forward ran yet
   * @throws IndexOutOfBoundsException if {@code row >= batchSize()} or {@code column >= outputDim}
   */
  public float output(int row, int column) {
    requireForward();
    Objects.checkIndex(row, batch);
    Objects.checkIndex(column, dims[layerCount]);
    return act[layerCount][row * dims[layerCount] + column];
  }

  /**
   * Copies the last forward batch's outputs ({@code batchSize() x outputDim}, row-major) to
   * {@code dst[dstOffset ..]}.
   *
   * @param dst the array written, {@code batchSize() * outputDim} floats from {@code dstOffset}
   * @param dstOffset the index in {@code dst} of its first element used
   * @throws IllegalStateException if no forward ran yet
   * @throws IndexOutOfBoundsException if the slice does not fit {@code dst}
   */
  public void copyOutputs(float[] dst, int dstOffset) {
    requireForward();
    int n = batch * dims[layerCount];
    Objects.checkFromIndexSize(dstOffset, n, dst.length);
    System.arraycopy(act[layerCount], 0, dst, dstOffset, n);
  }

  /**
   * Writes each sample's predicted class, the index of its largest output (the first on ties), to
   * {@code classes[offset ..]} ({@link #batchSize()} ints).
   *
   * @param classes the array written, {@link #batchSize()} ints from {@code offset}
   * @param offset the index of the first element used
   * @throws IllegalStateException if no forward ran yet
   * @throws IndexOutOfBoundsException if the slice does not fit {@code classes}
   */
  public void predict(int[] classes, int offset) {
    requireForward();
    Objects.checkFromIndexSize(offset, batch, classes.length);
    for (int b = 0; b < batch; b++) {
      classes[offset + b] = argmax(b);
    }
  }

  /**
   * How many samples of the last forward batch are predicted as their label
   * ({@code labels[offset ..]}, {@link #batchSize()} ints).
   *
   * @param labels the array holding the expected classes; read only
   * @param offset the index of the first element used
   * @return how many samples of the last forward batch are predicted as their label ({@code
   *     labels[offset ..]}, {@link #batchSize()} ints)
   * @throws IllegalStateException if no forward ran yet
   * @throws IndexOutOfBoundsException if the slice does not fit {@code labels}
   */
  public int countCorrect(int[] labels, int offset) {
    requireForward();
    Objects.checkFromIndexSize(offset, batch, labels.length);
    int correct = 0;
    for (int b = 0; b < batch; b++) {
      if (argmax(b) == labels[offset + b]) {
        correct++;
      }
    }
    return correct;
  }

  /**
   * The fraction of {@code count} samples classified correctly, running forward passes of up to
   * {@link #maxBatch()} samples: {@code xs[xsOffset ..]} is {@code count x inputDim} row-major,
   * {@code labels[labelsOffset ..]} has {@code count} ints. Leaves the last chunk's outputs in the
   * plan and any pending loss discarded.
   *
   * @param xs the array holding the inputs; read only
   * @param xsOffset the index in {@code xs} of its first element used
   * @param labels the array holding the expected classes; read only
   * @param labelsOffset the index in {@code labels} of its first element used
   * @param count the number of samples, {@code >= 1} (any number: the plan runs them in chunks)
   * @return the fraction of {@code count} samples classified correctly, running forward passes of
   *     up to {@link #maxBatch()} samples
   * @throws IllegalArgumentException if {@code count < 1}
   * @throws IndexOutOfBoundsException if a slice does not fit its array
   */
  public double accuracy(float[] xs, int xsOffset, int[] labels, int labelsOffset, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, was " + count);
    }
    Objects.checkFromIndexSize(xsOffset, (long) count * dims[0], xs.length);
    Objects.checkFromIndexSize(labelsOffset, count, labels.length);
    long correct = 0;
    for (int start = 0; start < count; start += maxBatch) {
      int n = Math.min(maxBatch, count - start);
      forward(xs, xsOffset + start * dims[0], n);
      correct += countCorrect(labels, labelsOffset + start);
    }
    return (double) correct / count;
  }

  /**
   * The mean softmax cross-entropy of the last forward batch's outputs (taken as logits) against
   * {@code labels[offset ..]} ({@link #batchSize()} ints in {@code [0, outputDim)}), and its
   * gradient, kept for {@link #backward()}.
   *
   * @param labels the array holding the expected classes; read only
   * @param offset the index of the first element used
   * @return the mean loss in nats
   * @throws IllegalStateException if no forward ran yet
   * @throws IllegalArgumentException if a label is out of range (nothing is changed)
   * @throws IndexOutOfBoundsException if the slice does not fit {@code labels}
   */
  public float loss(int[] labels, int offset) {
    requireForward();
    Objects.checkFromIndexSize(offset, batch, labels.length);
    int classes = dims[layerCount];
    SoftmaxCrossEntropy.checkLabels(labels, offset, batch, classes);
    float loss = SoftmaxCrossEntropy.compute(
        act[layerCount], 0, classes, labels, offset, batch, grad[layerCount], 0);
    lossReady = true;
    return loss;
  }

  /**
   * Back-propagates the last {@link #loss} through the model, accumulating each trainable
   * adapter's gradients into its trainer (no step is taken).
   *
   * @throws IllegalStateException if no loss is pending (see the type's "Order"), or the pass
   *     would have to go through an adapter type it cannot differentiate
   */
  public void backward() {
    backward(null, 0);
  }

  /**
   * {@link #backward()} that also writes the gradient of the batch's mean loss with respect to the
   * inputs, {@code dL/dx}, to {@code dxs[dxsOffset ..]} ({@code batchSize() x inputDim},
   * row-major, overwritten); {@code dxs} may be the array the inputs came from.
   *
   * @param dxs the array the input gradients are written to
   * @param dxsOffset the index in {@code dxs} of its first element used
   * @throws IllegalStateException as {@link #backward()}
   * @throws IndexOutOfBoundsException if the slice does not fit {@code dxs} (nothing is done)
   */
  public void backward(float[] dxs, int dxsOffset) {
    if (!lossReady) {
      throw new IllegalStateException(
          batch == 0 ? "backward needs forward(...) and loss(...) first"
              : "backward needs loss(...) after the last forward(...); each loss allows one backward");
    }
    if (dxs != null) {
      Objects.checkFromIndexSize(dxsOffset, batch * dims[0], dxs.length);
    }
    int stop = dxs != null ? 0 : lowestTrainedLayer;
    for (int l = layerCount - 1; l >= stop; l--) {
      boolean needInput = l > stop || dxs != null;
      if (needInput && trainers[l] == null && backwardUnsupported[l]) {
        throw new IllegalStateException(
            "cannot back-propagate through layer " + l + "'s adapter of type "
                + adapters[l].getClass().getName() + " (supported: MicroLora, QuantizedLora)");
      }
    }
    lossReady = false;
    for (int l = layerCount - 1; l >= stop; l--) {
      int in = dims[l];
      int out = dims[l + 1];
      float[] dz = grad[l + 1];
      activations[l].backwardInPlace(pre[l], act[l + 1], dz, 0, batch * out);
      boolean needInput = l > stop || dxs != null;
      float[] dx = grad[l];
      if (needInput) {
        Arrays.fill(dx, 0, batch * in, 0f);
        layers[l].backwardAddBatch(dz, dx, batch);
      }
      if (trainers[l] != null) {
        if (needInput) {
          trainers[l].accumulateBatch(act[l], 0, dz, 0, dx, 0, batch);
        } else {
          trainers[l].accumulateBatch(act[l], 0, dz, 0, batch);
        }
      } else if (adapters[l] != null && needInput) {
        frozenAdapterBackward(l, dz, dx);
      }
      if (baseGradW != null && baseGradW[l] != null) {
        accumulateBaseGradients(l, dz);
      }
    }
    if (dxs != null) {
      float inv = 1f / batch;
      float[] g = grad[0];
      for (int i = 0, n = batch * dims[0]; i < n; i++) {
        dxs[dxsOffset + i] = inv * g[i];
      }
    }
  }

  /**
   * One training step of the model's trainable adapters on a batch: {@link #forward}, {@link
   * #loss}, {@link #backward()}, then {@link LoraTrainer#step()} on every trainer of the model.
   *
   * @param xs the array holding the inputs, {@code batch x inputDim} row-major; read only
   * @param xsOffset the index in {@code xs} of its first element used
   * @param labels the array holding the classes, in {@code [0, outputDim)}; read only
   * @param labelsOffset the index in {@code labels} of its first element used
   * @param batch the number of samples, 1 to {@link #maxBatch()}
   * @return the batch's mean loss before the step
   * @throws IllegalStateException if the model has no trainable adapter
   * @throws IllegalArgumentException as {@link #forward} and {@link #loss} (checked before the
   *     forward pass: nothing is changed)
   * @throws IndexOutOfBoundsException as {@link #forward} and {@link #loss}
   */
  public float trainBatch(float[] xs, int xsOffset, int[] labels, int labelsOffset, int batch) {
    if (!hasTrainer) {
      throw new IllegalStateException("the model has no trainable adapter: " + model);
    }
    checkBatch(batch);
    Objects.checkFromIndexSize(labelsOffset, batch, labels.length);
    SoftmaxCrossEntropy.checkLabels(labels, labelsOffset, batch, dims[layerCount]);
    forward(xs, xsOffset, batch);
    float loss = loss(labels, labelsOffset);
    backward();
    for (LoraTrainer t : trainers) {
      if (t != null) {
        t.step();
      }
    }
    return loss;
  }

  // ---------------------------------------------------------------------------------------------

  /** dx += (adapter's d/dx)^T dz for every sample: A^T (s Bt dz). */
  private void frozenAdapterBackward(int l, float[] dz, float[] dx) {
    LoraAdapter adapter = adapters[l];
    int rank = adapter.rank();
    int in = dims[l];
    int out = dims[l + 1];
    float s = adapter.scale();
    float[] u = rankScratch;
    if (adapter instanceof QuantizedLora q) {
      for (int b = 0; b < batch; b++) {
        for (int k = 0; k < rank; k++) {
          float uk = s * q.bTransposed().dotRow(k, dz, b * out);
          if (uk != 0f) {
            q.a().addRowTo(k, uk, dx, b * in);
          }
        }
      }
      return;
    }
    float[] a = frozenA[l];
    float[] bt = frozenBt[l];
    frozenAView[l].get(0, a, 0, a.length);
    frozenBtView[l].get(0, bt, 0, bt.length);
    for (int b = 0; b < batch; b++) {
      VectorKernels.gemv(bt, 0, rank, out, dz, b * out, u, 0);
      for (int k = 0; k < rank; k++) {
        u[k] *= s;
      }
      VectorKernels.gemvTransposedAdd(a, 0, rank, in, u, 0, dx, b * in);
    }
  }

  /** gradW += sum_b dz_b a_b^T, gradB += sum_b dz_b. */
  private void accumulateBaseGradients(int l, float[] dz) {
    int in = dims[l];
    int out = dims[l + 1];
    float[] gw = baseGradW[l];
    float[] gb = baseGradB[l];
    float[] a = act[l];
    for (int b = 0; b < batch; b++) {
      int zo = b * out;
      for (int o = 0; o < out; o++) {
        float d = dz[zo + o];
        if (d != 0f) {
          VectorKernels.axpy(d, a, b * in, gw, o * in, in);
        }
      }
      VectorKernels.axpy(1f, dz, zo, gb, 0, out);
    }
  }

  private int argmax(int row) {
    int classes = dims[layerCount];
    float[] y = act[layerCount];
    int base = row * classes;
    int best = 0;
    float bestValue = y[base];
    for (int c = 1; c < classes; c++) {
      if (y[base + c] > bestValue) {
        bestValue = y[base + c];
        best = c;
      }
    }
    return best;
  }

  private void checkBatch(int batch) {
    if (batch < 1 || batch > maxBatch) {
      throw new IllegalArgumentException("batch must be in [1, " + maxBatch + "], was " + batch);
    }
  }

  private void requireForward() {
    if (batch == 0) {
      throw new IllegalStateException("no forward pass yet: call forward(...) first");
    }
  }

  @Override
  public String toString() {
    return "ModelPlan[maxBatch " + maxBatch + ", " + model + "]";
  }
}
