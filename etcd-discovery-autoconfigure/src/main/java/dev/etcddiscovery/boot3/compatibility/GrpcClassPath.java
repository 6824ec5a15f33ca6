package dev.etcddiscovery.boot3.compatibility;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Finds the grpc-java artifacts on a class path and the version each jar's manifest declares
 * ({@code Implementation-Version}, which every grpc-java jar carries; their {@code Implementation-Title} is just
 * "jar", so an artifact is recognised by a class only it contains). Nothing is loaded: a mixed class path is exactly
 * where loading io.grpc classes fails.
 */
final class GrpcClassPath {

    private static final Map<String, String> MARKERS = markers();

    private GrpcClassPath() {
    }

    /**
     * Every jar holding one of the known artifacts, in the order of {@link #MARKERS}; an artifact appears twice when
     * two jars have it.
     */
    static List<GrpcArtifact> artifacts(ClassLoader classLoader) {
        List<GrpcArtifact> artifacts = new ArrayList<>();
        MARKERS.forEach((name, marker) -> {
            for (URL classFile : resources(classLoader, marker)) {
                GrpcArtifact artifact = read(name, classFile);
                if (artifact != null) {
                    artifacts.add(artifact);
                }
            }
        });
        return artifacts;
    }

    private static List<URL> resources(ClassLoader classLoader, String name) {
        try {
            Enumeration<URL> resources = classLoader.getResources(name);
            return Collections.list(resources);
        }
        catch (IOException ex) {
            return List.of();
        }
    }

    /** The artifact in the jar the class file is in; null for a class directory or a jar without a version. */
    private static GrpcArtifact read(String name, URL classFile) {
        try {
            URLConnection connection = classFile.openConnection();
            if (!(connection instanceof JarURLConnection jarConnection)) {
                return null;
            }
            jarConnection.setUseCaches(false);
            try (JarFile jar = jarConnection.getJarFile()) {
                Manifest manifest = jar.getManifest();
                String version = (manifest != null)
                        ? manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION) : null;
                return (version != null) ? new GrpcArtifact(name, version, jarConnection.getJarFileURL().toString())
                        : null;
            }
        }
        catch (IOException ex) {
            // an unreadable jar tells nothing about versions; the rest of the check still stands
            return null;
        }
    }

    private static Map<String, String> markers() {
        // a class each artifact has had from io.grpc 1.63 (grpc-spring 3.1) to at least 1.82, and no other artifact has
        Map<String, String> markers = new LinkedHashMap<>();
        markers.put("grpc-api", "io/grpc/ManagedChannelBuilder.class");
        markers.put("grpc-core", "io/grpc/internal/ManagedChannelImplBuilder.class");
        markers.put("grpc-netty", "io/grpc/netty/NettyChannelBuilder.class");
        markers.put("grpc-netty-shaded", "io/grpc/netty/shaded/io/grpc/netty/NettyChannelBuilder.class");
        markers.put("grpc-okhttp", "io/grpc/okhttp/OkHttpChannelBuilder.class");
        markers.put("grpc-inprocess", "io/grpc/inprocess/InProcessChannelBuilder.class");
        markers.put("grpc-util", "io/grpc/util/MutableHandlerRegistry.class");
        markers.put("grpc-stub", "io/grpc/stub/ClientCalls.class");
        markers.put("grpc-protobuf", "io/grpc/protobuf/ProtoUtils.class");
        markers.put("grpc-protobuf-lite", "io/grpc/protobuf/lite/ProtoLiteUtils.class");
        markers.put("grpc-grpclb", "io/grpc/grpclb/GrpclbLoadBalancerProvider.class");
        markers.put("grpc-services", "io/grpc/protobuf/services/HealthStatusManager.class");
        return Collections.unmodifiableMap(markers);
    }
}
