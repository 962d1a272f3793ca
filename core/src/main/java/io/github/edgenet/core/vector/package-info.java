/**
 * Numeric kernels on {@code float[]} slices and block-quantized rows, fast with the Vector API and
 * correct without it: {@link io.github.edgenet.core.vector.VectorKernels} (dot products, axpy,
 * matrix-vector and batched products) and {@link io.github.edgenet.core.vector.QuantizedKernels}
 * (llama.cpp's {@code Q8_0} and {@code Q4_0} blocks: quantization and products).
 *
 * <p>The implementation is chosen once per JVM: SIMD when {@code jdk.incubator.vector} is in the
 * boot layer ({@code --add-modules jdk.incubator.vector}) and the vector shape has a fixed-order
 * lane sum, plain Java loops otherwise or with {@code -Dedgenet.vector.forceScalar=true};
 * {@link io.github.edgenet.core.vector.VectorKernels#isVectorized()} and
 * {@link io.github.edgenet.core.vector.VectorKernels#implementationName()} report the choice.
 * Every method checks its ranges before touching an element and allocates nothing; the classes are
 * stateless and thread-safe.
 */
package io.github.edgenet.core.vector;
