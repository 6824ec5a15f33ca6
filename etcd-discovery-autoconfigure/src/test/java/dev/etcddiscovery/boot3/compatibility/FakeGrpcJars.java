package dev.etcddiscovery.boot3.compatibility;

import java.io.IOException;
import java.io.OutputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Jars laid out as grpc-java's are (Implementation-Version in the manifest, classes under io/grpc). */
final class FakeGrpcJars {

    private final Path directory;

    FakeGrpcJars(Path directory) {
        this.directory = directory;
    }

    /** A jar with the given entries; {@code version} null writes a manifest without Implementation-Version. */
    URL jar(String fileName, String version, String... entries) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_TITLE, "jar");
        if (version != null) {
            manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        }
        Path jar = this.directory.resolve(fileName);
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (String entry : entries) {
                out.putNextEntry(new JarEntry(entry));
                out.closeEntry();
            }
        }
        return jar.toUri().toURL();
    }

    /** A class directory with the given (empty) class files. */
    URL directory(String name, String... entries) throws IOException {
        Path root = this.directory.resolve(name);
        for (String entry : entries) {
            Files.createDirectories(root.resolve(entry).getParent());
            Files.createFile(root.resolve(entry));
        }
        return root.toUri().toURL();
    }

    /** grpc-spring's 1.63.0 grpc-api next to jetcd's 1.70.0 grpc-core, as the starter has them without the BOM. */
    URL[] mixed() throws IOException {
        return new URL[] { jar("grpc-api-1.63.0.jar", "1.63.0", "io/grpc/ManagedChannelBuilder.class"),
                jar("grpc-core-1.70.0.jar", "1.70.0", "io/grpc/internal/ManagedChannelImplBuilder.class") };
    }

    static URLClassLoader classLoader(ClassLoader parent, URL... urls) throws MalformedURLException {
        return new URLClassLoader(urls, parent);
    }
}
