package dev.etcddiscovery.test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gRPC calls of one plaintext connection through {@link EtcdProxy}, read from its HTTP/2 frames, so that the
 * proxy can end calls the way an HTTP/2-aware proxy may: trailers with {@code grpc-status: 0} (OK) although etcd
 * never ended them. Frames to the application are forwarded whole, so that such trailers land between two frames;
 * etcd's later frames of an ended call are dropped.
 */
final class Http2Calls {

    private static final int HEADER_LENGTH = 9;

    /** How much of a call's request data is kept to be searched; the first messages say what a call is about. */
    private static final int MAX_REQUEST_DATA = 4096;

    private static final int TYPE_DATA = 0x0;

    private static final int TYPE_HEADERS = 0x1;

    private static final int TYPE_RST_STREAM = 0x3;

    private static final int FLAG_END_STREAM = 0x1;

    private static final int FLAG_END_HEADERS = 0x4;

    private static final byte[] CLIENT_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1);

    private final Frames requests = new Frames(CLIENT_PREFACE.length);

    private final Frames responses = new Frames(0);

    /** Calls etcd has answered with headers and not ended yet, with what their requests carried. */
    private final Map<Integer, ByteArrayOutputStream> requestData = new HashMap<>();

    private final Set<Integer> answered = new HashSet<>();

    private final Set<Integer> endedByProxy = new HashSet<>();

    /** Reads request bytes (application to etcd); they are forwarded as they are. */
    synchronized void request(byte[] bytes, int length) {
        for (byte[] frame : this.requests.add(bytes, length)) {
            int stream = stream(frame);
            if (type(frame) == TYPE_DATA) {
                ByteArrayOutputStream data = this.requestData.computeIfAbsent(stream,
                        (id) -> new ByteArrayOutputStream());
                if (data.size() < MAX_REQUEST_DATA) {
                    data.write(frame, HEADER_LENGTH, frame.length - HEADER_LENGTH);
                }
            }
            else if (type(frame) == TYPE_RST_STREAM) {
                closed(stream);
            }
        }
    }

    /** Reads response bytes (etcd to application) and returns the whole frames to forward. */
    synchronized byte[] response(byte[] bytes, int length) {
        ByteArrayOutputStream forward = new ByteArrayOutputStream();
        for (byte[] frame : this.responses.add(bytes, length)) {
            int stream = stream(frame);
            if (this.endedByProxy.contains(stream)) {
                continue;
            }
            if (type(frame) == TYPE_HEADERS) {
                this.answered.add(stream);
            }
            if ((type(frame) == TYPE_HEADERS && (flags(frame) & FLAG_END_STREAM) != 0)
                    || type(frame) == TYPE_RST_STREAM) {
                closed(stream);
            }
            forward.writeBytes(frame);
        }
        return forward.toByteArray();
    }

    /**
     * Trailers with {@code grpc-status: 0} for every open call, answered by etcd, whose request data contains
     * {@code text}; the caller writes them to the application between two whole frames.
     */
    synchronized byte[] endCallsCarrying(String text) {
        String wanted = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream trailers = new ByteArrayOutputStream();
        for (int stream : Set.copyOf(this.answered)) {
            ByteArrayOutputStream data = this.requestData.get(stream);
            if (data != null && data.toString(StandardCharsets.ISO_8859_1).contains(wanted)) {
                trailers.writeBytes(okTrailers(stream));
                this.endedByProxy.add(stream);
                closed(stream);
            }
        }
        return trailers.toByteArray();
    }

    /** How many frames {@code bytes} holds, e.g. the trailers of {@link #endCallsCarrying(String)}. */
    static int frameCount(byte[] bytes) {
        return new Frames(0).add(bytes, bytes.length).size();
    }

    private void closed(int stream) {
        this.answered.remove(stream);
        this.requestData.remove(stream);
    }

    /** A HEADERS frame ending the stream, its one field a literal without indexing, so HPACK state is untouched. */
    private static byte[] okTrailers(int stream) {
        byte[] name = "grpc-status".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x00);
        block.write(name.length);
        block.writeBytes(name);
        block.write(1);
        block.write('0');
        int length = block.size();
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(length >>> 16);
        frame.write(length >>> 8);
        frame.write(length);
        frame.write(TYPE_HEADERS);
        frame.write(FLAG_END_STREAM | FLAG_END_HEADERS);
        frame.write(stream >>> 24);
        frame.write(stream >>> 16);
        frame.write(stream >>> 8);
        frame.write(stream);
        frame.writeBytes(block.toByteArray());
        return frame.toByteArray();
    }

    private static int type(byte[] frame) {
        return frame[3] & 0xff;
    }

    private static int flags(byte[] frame) {
        return frame[4] & 0xff;
    }

    private static int stream(byte[] frame) {
        return ((frame[5] & 0x7f) << 24) | ((frame[6] & 0xff) << 16) | ((frame[7] & 0xff) << 8) | (frame[8] & 0xff);
    }

    /** Cuts a byte stream into whole frames, after skipping a preface. */
    private static final class Frames {

        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        private int prefaceLeft;

        Frames(int preface) {
            this.prefaceLeft = preface;
        }

        List<byte[]> add(byte[] bytes, int length) {
            int skip = Math.min(this.prefaceLeft, length);
            this.prefaceLeft -= skip;
            this.pending.write(bytes, skip, length - skip);
            byte[] all = this.pending.toByteArray();
            List<byte[]> frames = new ArrayList<>();
            int offset = 0;
            while (all.length - offset >= HEADER_LENGTH) {
                int payload = ((all[offset] & 0xff) << 16) | ((all[offset + 1] & 0xff) << 8) | (all[offset + 2] & 0xff);
                if (all.length - offset < HEADER_LENGTH + payload) {
                    break;
                }
                frames.add(Arrays.copyOfRange(all, offset, offset + HEADER_LENGTH + payload));
                offset += HEADER_LENGTH + payload;
            }
            this.pending.reset();
            this.pending.write(all, offset, all.length - offset);
            return frames;
        }
    }
}
