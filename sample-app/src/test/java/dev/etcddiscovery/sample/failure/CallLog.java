package dev.etcddiscovery.sample.failure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls a sample client printed so far, one line each: {@code call N answered by host:port: ...} or
 * {@code call N FAILED: status}.
 */
final class CallLog {

    private static final Pattern CALL = Pattern.compile("^call (\\d+) (?:answered by (\\S+?): |FAILED: )(.*)$");

    private final List<Call> calls;

    CallLog(List<Call> calls) {
        this.calls = calls;
    }

    /** The call {@code line} prints, or nothing when it is another line (a log line, say). */
    static Optional<Call> parseLine(String line) {
        Matcher matcher = CALL.matcher(line);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Call(Long.parseLong(matcher.group(1)), matcher.group(2), matcher.group(3)));
    }

    /** Number of the last call printed, 0 before the first. */
    long last() {
        return this.calls.isEmpty() ? 0 : this.calls.get(this.calls.size() - 1).number();
    }

    /** The calls after call number {@code mark}. */
    CallLog after(long mark) {
        return new CallLog(this.calls.stream().filter((call) -> call.number() > mark).toList());
    }

    /** The last {@code count} calls (fewer when fewer were made). */
    CallLog lastCalls(int count) {
        return new CallLog(this.calls.subList(Math.max(0, this.calls.size() - count), this.calls.size()));
    }

    int size() {
        return this.calls.size();
    }

    List<String> failures() {
        return this.calls.stream().filter(Call::failed).map(Call::toString).toList();
    }

    /** The instances that answered, in order of their first answer. */
    Set<String> instances() {
        Set<String> instances = new LinkedHashSet<>();
        this.calls.stream().filter((call) -> !call.failed()).forEach((call) -> instances.add(call.instance()));
        return instances;
    }

    /** One printed call: {@code instance} is null when it failed, and {@code detail} then holds the status. */
    record Call(long number, String instance, String detail) {

        boolean failed() {
            return this.instance == null;
        }

        @Override
        public String toString() {
            return "call " + this.number + (failed() ? " FAILED: " : " answered by " + this.instance + ": ")
                    + this.detail;
        }
    }
}
