package io.github.edgenet.core.testing;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Helpers for tests that start a child JVM running one of their own classes. */
public final class ChildJvms {
  private ChildJvms() {}

  /**
   * Everything the running test sees, as one class path for a child JVM: surefire's module path,
   * its class path, and the code location of {@code mainClass} (the test classes directory), in
   * that order without repeats.
   *
   * @param mainClass the class the child runs
   * @return the class path, entries joined by {@link File#pathSeparator}
   */
  public static String classPath(Class<?> mainClass) {
    Set<String> entries = new LinkedHashSet<>();
    for (String prop : new String[] {"jdk.module.path", "java.class.path"}) {
      String v = System.getProperty(prop);
      if (v != null && !v.isEmpty()) {
        entries.addAll(List.of(v.split(File.pathSeparator)));
      }
    }
    try {
      entries.add(Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return String.join(File.pathSeparator, entries);
  }
}
