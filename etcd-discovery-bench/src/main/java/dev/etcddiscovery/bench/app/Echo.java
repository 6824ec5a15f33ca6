package dev.etcddiscovery.bench.app;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;

/**
 * A one-method gRPC service without generated code: {@code bench.Echo/Who} answers with the name of the server
 * that served the call. The benchmarks only need calls to land somewhere they can see.
 */
public class Echo implements BindableService {

    /** The method: bytes in, bytes out. */
    public static final MethodDescriptor<byte[], byte[]> WHO = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Echo", "Who"))
        .setRequestMarshaller(new BytesMarshaller())
        .setResponseMarshaller(new BytesMarshaller())
        .build();

    private final byte[] name;

    private final Consumer<Long> onCall;

    /**
     * @param name what every reply says
     * @param onCall told the {@link System#nanoTime()} at which each call arrives
     */
    public Echo(String name, Consumer<Long> onCall) {
        this.name = name.getBytes(StandardCharsets.UTF_8);
        this.onCall = onCall;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return ServerServiceDefinition.builder("bench.Echo")
            .addMethod(WHO, ServerCalls.asyncUnaryCall((request, response) -> {
                this.onCall.accept(System.nanoTime());
                response.onNext(this.name);
                response.onCompleted();
            }))
            .build();
    }

    private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
