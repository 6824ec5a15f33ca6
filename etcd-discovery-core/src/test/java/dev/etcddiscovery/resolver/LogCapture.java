package dev.etcddiscovery.resolver;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Keeps what the resolver's classes log while it is open, for assertions on what was logged at which level. */
final class LogCapture implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.etcddiscovery.resolver");

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
        this.appender.start();
        this.logger.addAppender(this.appender);
    }

    /** The formatted messages logged at {@code level} or above. */
    List<String> atLeast(Level level) {
        synchronized (this.appender.list) {
            return this.appender.list.stream()
                .filter((event) -> event.getLevel().isGreaterOrEqual(level))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
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
        this.logger.detachAppender(this.appender);
        this.appender.stop();
    }
}
