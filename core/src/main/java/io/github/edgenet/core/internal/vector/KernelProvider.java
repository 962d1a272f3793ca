package io.github.edgenet.core.internal.vector;

import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.Function;

/**
 * Chooses the kernel implementation once, when the class initializes, in the manner of Lucene's
 * {@code VectorizationProvider}: the Panama kernels when {@code jdk.incubator.vector} is in the boot
 * layer (and not disabled), the scalar kernels otherwise. One log line says which one runs and, on
 * the scalar path, how to get the fast one.
 */
public final class KernelProvider {
  /** System property that forces the scalar kernels even when the Vector API is available. */
  public static final String FORCE_SCALAR_PROPERTY = "edgenet.vector.forceScalar";

  private static final String VECTOR_MODULE = "jdk.incubator.vector";
  private static final System.Logger LOG = System.getLogger("io.github.edgenet.core.vector");
  private static final FloatKernelSupport FLOATS = choose("vector kernels", "PanamaKernels",
      FloatKernelSupport.class, ScalarKernels.INSTANCE, FloatKernelSupport::name);
  private static final BlockKernelSupport BLOCKS = choose("block kernels", "PanamaBlockKernels",
      BlockKernelSupport.class, BlockKernels.INSTANCE, BlockKernelSupport::name);

  private KernelProvider() {}

  /**
   * The float kernels in use for the life of this JVM.
   *
   * @return the float kernels
   */
  public static FloatKernelSupport floats() {
    return FLOATS;
  }

  /**
   * The block-quantized kernels in use for the life of this JVM, chosen by the same rules as
   * {@link #floats()} but separately (one family's failure to load does not change the other).
   *
   * @return the block kernels
   */
  public static BlockKernelSupport blocks() {
    return BLOCKS;
  }

  private static <T> T choose(
      String family, String panamaClass, Class<T> type, T scalar, Function<T, String> name) {
    if (Boolean.getBoolean(FORCE_SCALAR_PROPERTY)) {
      LOG.log(Level.INFO, "edgenet " + family + ": scalar (forced by -D" + FORCE_SCALAR_PROPERTY
          + "=true)");
      return scalar;
    }
    Optional<Module> vectorModule = ModuleLayer.boot().findModule(VECTOR_MODULE);
    if (vectorModule.isEmpty()) {
      LOG.log(Level.INFO, "edgenet " + family + ": scalar; start the JVM with --add-modules "
          + VECTOR_MODULE + " to enable SIMD");
      return scalar;
    }
    try {
      Module self = KernelProvider.class.getModule();
      if (self.isNamed() && !self.canRead(vectorModule.get())) {
        self.addReads(vectorModule.get());
      }
      // Loaded reflectively so that no linkage to the Vector API happens on the scalar path.
      Object panama = Class.forName(KernelProvider.class.getPackageName() + "." + panamaClass)
          .getDeclaredConstructor()
          .newInstance();
      T kernels = type.cast(panama);
      LOG.log(Level.INFO, "edgenet " + family + ": " + name.apply(kernels));
      return kernels;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      LOG.log(Level.WARNING, "edgenet " + family
          + ": scalar; the Vector API is present but could not be used: " + e);
      return scalar;
    }
  }
}
