package dev.etcddiscovery.sample.failure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A client's calls, read from its output file as it grows: each {@link #read()} parses only the lines appended
 * since the previous one. The tests poll a client every 10 ms for minutes while it prints 50 calls a second;
 * parsing the whole file each time cost the test JVM a core while it waited.
 */
final class CallLogReader {

    private final Path file;

    private final List<CallLog.Call> calls = new ArrayList<>();

    private long position;

    /** The bytes after the last complete line read so far. */
    private byte[] partialLine = new byte[0];

    CallLogReader(Path file) {
        this.file = file;
    }

    /** Every call printed so far. */
    synchronized CallLog read() throws IOException {
        byte[] appended;
        try (InputStream in = Files.newInputStream(this.file)) {
            in.skipNBytes(this.position);
            appended = in.readAllBytes();
        }
        this.position += appended.length;
        byte[] text = concat(this.partialLine, appended);
        int end = lastNewline(text);
        this.partialLine = Arrays.copyOfRange(text, end + 1, text.length);
        if (end >= 0) {
            new String(text, 0, end, StandardCharsets.UTF_8).lines()
                .forEach((line) -> CallLog.parseLine(line).ifPresent(this.calls::add));
        }
        return new CallLog(List.copyOf(this.calls));
    }

    private static int lastNewline(byte[] text) {
        for (int i = text.length - 1; i >= 0; i--) {
            if (text[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
