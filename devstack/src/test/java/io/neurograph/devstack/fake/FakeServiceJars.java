package io.neurograph.devstack.fake;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Packs {@link FakeService} into executable {@code <name>.jar} files, so tests need no real service build. */
public final class FakeServiceJars {

  private FakeServiceJars() {}

  /** Writes {@code dir/<name>.jar} for each name and returns {@code dir}. */
  public static Path create(Path dir, List<String> names) throws IOException {
    Files.createDirectories(dir);
    for (String name : names) {
      write(dir.resolve(name + ".jar"));
    }
    return dir;
  }

  private static void write(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
    Path classes = classesRoot();
    Path packageDir = classes.resolve(FakeService.class.getPackageName().replace('.', '/'));
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        Stream<Path> entries = Files.list(packageDir)) {
      for (Path classFile : entries.filter(p -> p.getFileName().toString().startsWith("FakeService")
          && !p.getFileName().toString().startsWith("FakeServiceJars")).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(classFile).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(classFile));
        out.closeEntry();
      }
    }
  }

  private static Path classesRoot() {
    try {
      return Path.of(FakeService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
