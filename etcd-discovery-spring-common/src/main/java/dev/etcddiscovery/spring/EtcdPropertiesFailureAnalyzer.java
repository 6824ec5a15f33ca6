package dev.etcddiscovery.spring;

import java.util.Set;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Turns {@code etcd.discovery.*} values that cannot be bound (e.g. an endpoint that is not a URI) or that
 * {@link EtcdDiscoveryPropertiesValidator} rejects into the "APPLICATION FAILED TO START" report: one entry per
 * property with its value, origin and what is allowed. Values of secret properties are never printed.
 */
class EtcdPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

    private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of(EtcdDiscoveryProperties.PREFIX);

    private static final EtcdSecretKeys SECRETS = new EtcdSecretKeys(null);

    private static final String ACTION = "Update the etcd.discovery.* properties listed above (see docs/configuration.md "
            + "of etcd-discovery).";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        if (!PREFIX.isAncestorOf(cause.getName()) && !PREFIX.equals(cause.getName())) {
            return null;
        }
        StringBuilder description = new StringBuilder("Invalid etcd discovery configuration:").append(System.lineSeparator());
        if (cause.getCause() instanceof BindValidationException validation) {
            for (ObjectError error : validation.getValidationErrors()) {
                appendValidationError(description, error, validation.getValidationErrors().getBoundProperties());
            }
        }
        else {
            appendBindError(description, cause);
        }
        return new FailureAnalysis(description.toString(), ACTION, cause);
    }

    private void appendValidationError(StringBuilder description, ObjectError error, Set<ConfigurationProperty> bound) {
        if (!(error instanceof FieldError fieldError)) {
            append(description, null, null, Origin.from(error), error.getDefaultMessage());
            return;
        }
        String property = EtcdDiscoveryProperties.PREFIX + "." + DataObjectPropertyName.toDashedForm(fieldError.getField());
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        // the bound property gives the value as written ("0s", not "PT0S") and where it came from;
        // a list element (endpoints[0]) was usually bound as the whole comma-separated list
        ConfigurationProperty source = bound.stream()
            .filter((candidate) -> candidate.getName().equals(name) || candidate.getName().isAncestorOf(name))
            .findFirst()
            .orElse(null);
        Object value = (source != null && source.getName().equals(name)) ? source.getValue() : fieldError.getRejectedValue();
        append(description, property, value, (source != null) ? source.getOrigin() : Origin.from(error),
                error.getDefaultMessage());
    }

    private void appendBindError(StringBuilder description, BindException cause) {
        ConfigurationProperty bound = cause.getProperty();
        String property = (bound != null) ? bound.getName().toString() : cause.getName().toString();
        String reason = NestedExceptionUtils.getMostSpecificCause(cause).getMessage();
        if (property.startsWith(EtcdDiscoveryProperties.PREFIX + ".endpoints")) {
            reason = "must be http:// or https:// URLs with host and port, e.g. http://127.0.0.1:2379 (" + reason + ")";
        }
        append(description, property, (bound != null) ? bound.getValue() : null, Origin.from(bound), reason);
    }

    private static void append(StringBuilder description, String property, Object value, Origin origin, String reason) {
        String newLine = System.lineSeparator();
        description.append(newLine);
        if (property != null) {
            description.append("    Property: ").append(property).append(newLine);
            description.append("    Value: \"").append(printable(property, value)).append('"').append(newLine);
        }
        if (origin != null) {
            description.append("    Origin: ").append(origin).append(newLine);
        }
        description.append("    Reason: ").append(reason).append(newLine);
    }

    private static Object printable(String property, Object value) {
        if (value != null && SECRETS.isSecret(null, property)) {
            return "******";
        }
        return (value != null) ? value : "";
    }

    @Override
    public int getOrder() {
        // before Boot's generic bind analyzers, which would report it without the allowed values otherwise
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
