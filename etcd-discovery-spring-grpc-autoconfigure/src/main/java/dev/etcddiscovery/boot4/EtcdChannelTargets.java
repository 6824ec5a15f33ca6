package dev.etcddiscovery.boot4;

import java.util.function.Supplier;

import dev.etcddiscovery.spring.resolver.EtcdChannelServiceConfig;

import org.springframework.boot.grpc.client.autoconfigure.GrpcClientProperties;
import org.springframework.core.env.PropertyResolver;

/**
 * Tells which of Spring gRPC's channels resolve through etcd. Its customizers get the name a channel was asked for:
 * a named channel ({@code spring.grpc.client.channel.<name>.target}) or a target itself, as Spring gRPC's virtual
 * targets read them.
 */
class EtcdChannelTargets {

    private final Supplier<GrpcClientProperties> properties;

    private final PropertyResolver propertyResolver;

    EtcdChannelTargets(Supplier<GrpcClientProperties> properties, PropertyResolver propertyResolver) {
        this.properties = properties;
        this.propertyResolver = propertyResolver;
    }

    boolean isEtcd(String target) {
        GrpcClientProperties.Channel channel = this.properties.get().getChannel().get(target);
        String uri = (channel != null) ? channel.getTarget() : target;
        return EtcdChannelServiceConfig.isEtcdTarget(this.propertyResolver.resolvePlaceholders(uri));
    }
}
