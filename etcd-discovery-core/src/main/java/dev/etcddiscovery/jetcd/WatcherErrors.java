package dev.etcddiscovery.jetcd;

import io.etcd.jetcd.api.WatchResponse;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;

import static io.etcd.jetcd.common.exception.EtcdExceptionFactory.newCompactedException;
import static io.etcd.jetcd.common.exception.EtcdExceptionFactory.newEtcdException;
import static io.etcd.jetcd.common.exception.EtcdExceptionFactory.toEtcdException;

/** The exceptions a watcher ends with, the same types and codes jetcd's own watch uses for the same answers. */
final class WatcherErrors {

    /** etcd's cancel reason when the token of a stream has expired or was revoked (auth disabled, user changed). */
    private static final String INVALID_TOKEN = "etcdserver: invalid auth token";

    /** etcd's cancel reason when the auth store changed since the token was issued. */
    private static final String OLD_AUTH_REVISION = "etcdserver: revision of auth store is old";

    private WatcherErrors() {
    }

    /** Whether etcd refused a watch because of the stream's token rather than the user's permissions. */
    static boolean isTokenRejected(WatchResponse response) {
        String reason = response.getCancelReason();
        return reason.contains(INVALID_TOKEN) || reason.contains(OLD_AUTH_REVISION);
    }

    /** etcd answered a create request with created and canceled: no permission, a bad token or a bad range. */
    static EtcdException refused(String key, WatchResponse response) {
        String reason = response.getCancelReason();
        ErrorCode code = reason.contains("permission denied") ? ErrorCode.PERMISSION_DENIED
                : isTokenRejected(response) ? ErrorCode.UNAUTHENTICATED : ErrorCode.FAILED_PRECONDITION;
        return newEtcdException(code, "etcd refused the watch on '" + key + "': " + reason);
    }

    /** etcd cancelled a watcher it had created: its revision was compacted, or another reason it gives. */
    static EtcdException canceled(WatchResponse response) {
        if (response.getCompactRevision() != 0) {
            return newCompactedException(response.getCompactRevision());
        }
        if (response.getCancelReason().isEmpty()) {
            return newEtcdException(ErrorCode.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
        }
        return newEtcdException(ErrorCode.FAILED_PRECONDITION, response.getCancelReason());
    }

    /** The watch stream ended; with OK when etcd (or a proxy in between) closed it without an error. */
    static EtcdException streamEnded(Status status) {
        if (status.isOk()) {
            return newEtcdException(ErrorCode.UNAVAILABLE, "etcd ended the watch stream");
        }
        return toEtcdException(status);
    }

    /** The watch was closed (its {@code Watch} or jetcd's channel shut down) before etcd answered. */
    static EtcdException closed() {
        return newEtcdException(ErrorCode.CANCELLED, "the watch was closed");
    }
}
