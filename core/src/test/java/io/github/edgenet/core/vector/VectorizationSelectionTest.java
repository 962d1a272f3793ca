package io.github.edgenet.core.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Which kernels run. Surefire runs this class four times (see core/pom.xml): in the normal test
 * run (Vector API module present: SIMD), with {@code -XX:-UseFMA} (SIMD without fused
 * multiply-add), in a JVM without {@code --add-modules jdk.incubator.vector} (must fall back to
 * scalar and still compute), and with the module present but
 * {@code -Dedgenet.vector.forceScalar=true}. Each execution states what it expects in
 * {@code edgenet.test.expectedKernels}, so this test fails if the fallback logic is wrong.
 */
class VectorizationSelectionTest {

  @Test
  void theExpectedImplementationRuns() {
    boolean moduleInBootLayer = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    String expected = System.getProperty("edgenet.test.expectedKernels", "panama");
    switch (expected) {
      case "panama" -> {
        assertTrue(moduleInBootLayer, "the default test run must have the Vector API module");
        assertTrue(VectorKernels.isVectorized(), VectorKernels.implementationName());
        assertTrue(VectorKernels.implementationName().startsWith("Panama("));
      }
      case "panama-no-fma" -> {
        assertTrue(moduleInBootLayer);
        assertTrue(VectorKernels.implementationName().startsWith("Panama("));
        assertFalse(VectorKernels.implementationName().contains("FMA"), "run with -XX:-UseFMA");
      }
      case "scalar-no-module" -> {
        assertFalse(moduleInBootLayer, "this execution must run without the Vector API module");
        assertFalse(VectorKernels.isVectorized());
        assertEquals("scalar", VectorKernels.implementationName());
      }
      case "scalar-forced" -> {
        assertTrue(moduleInBootLayer, "this execution must have the module and force scalar");
        assertEquals("true", System.getProperty("edgenet.vector.forceScalar"));
        assertEquals("scalar", VectorKernels.implementationName());
      }
      default -> throw new AssertionError("unknown expectation " + expected);
    }
    // The block kernels are chosen separately, by the same rules: the same family in every setup.
    assertEquals(VectorKernels.implementationName(), QuantizedKernels.implementationName(),
        "float and block kernels chosen alike");
    // Whatever runs must compute: 1*1 + 2*2 + ... + 100*100, exact in float.
    float[] a = new float[100];
    for (int i = 0; i < a.length; i++) {
      a[i] = i + 1;
    }
    assertEquals(338_350f, VectorKernels.dot(a, a));
    float[] y = new float[100];
    VectorKernels.gemv(a, 1, 100, a, y);
    assertEquals(338_350f, y[0]);
  }
}
