package dev.etcddiscovery.resolver;

import java.util.List;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Keeps what the classes of one package log while it is open, for assertions on what was logged at which level. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    /** The logger's own level before the capture, restored on close. */
    private final Level levelBefore;

    /** Captures the resolver's log. */
    LogCapture() {
        this("dev.etcddiscovery.resolver");
    }

    /** Captures what the loggers under {@code loggerName} log. */
    public LogCapture(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.levelBefore = this.logger.getLevel();
        this.appender.start();
        this.logger.addAppender(this.appender);
    }

    /**
     * Captures the resolver's log down to {@code level}, whatever level the JVM's logging configuration gives it:
     * where these tests share a JVM with Spring Boot applications (the Boot 4.1 module reruns them), the last
     * application started sets the levels, usually to INFO, and a DEBUG line a test awaits would never come.
     */
    static LogCapture resolverDownTo(Level level) {
        return downTo("dev.etcddiscovery.resolver", level);
    }

    /** Captures what the loggers under {@code loggerName} log down to {@code level} (see above). */
    static LogCapture downTo(String loggerName, Level level) {
        LogCapture capture = new LogCapture(loggerName);
        capture.logger.setLevel(level);
        return capture;
    }

    /** The formatted messages logged at {@code level} or above. */
    public List<String> atLeast(Level level) {
        synchronized (this.appender.list) {
            return this.appender.list.stream()
                .filter((event) -> event.getLevel().isGreaterOrEqual(level))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
        }
    }

    /** Everything logged so far, one line an event, with its exception's class and message, for text assertions. */
    public String text() {
        synchronized (this.appender.list) {
            return this.appender.list.stream()
                .map((event) -> event.getFormattedMessage() + ((event.getThrowableProxy() != null)
                        ? " " + event.getThrowableProxy().getClassName() + ": " + event.getThrowableProxy().getMessage()
                        : ""))
                .collect(Collectors.joining("\n"));
        }
    }

    /** Forgets what was logged so far. */
    void clear() {
        synchronized (this.appender.list) {
            this.appender.list.clear();
        }
    }

    @Override
    public void close() {
        this.logger.setLevel(this.levelBefore);
        this.logger.detachAppender(this.appender);
        this.appender.stop();
    }
}
