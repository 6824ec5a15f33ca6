package dev.etcddiscovery.boot4;

import dev.etcddiscovery.resolver.PortServer;
import dev.etcddiscovery.spring.resolver.AbstractChannelRoutingTest;
import dev.etcddiscovery.spring.resolver.HealthReportingServer;
import dev.etcddiscovery.test.EtcdCluster;
import io.grpc.Channel;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.grpc.client.GrpcChannelFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AbstractChannelRoutingTest} on Spring gRPC's channels, plus what only they have: a channel with a
 * health check of its own is left alone, and etcd.discovery.resolver.load-balancing-policy wins over the channel's
 * default policy, as on the Boot 3.5 line.
 */
class ChannelRoutingTest extends AbstractChannelRoutingTest {

    ChannelRoutingTest(EtcdCluster etcd) {
        super(etcd);
    }

    @Override
    protected Class<?>[] grpcClientAutoConfigurations() {
        return new Class<?>[] { SslAutoConfiguration.class, GrpcClientAutoConfiguration.class };
    }

    @Override
    protected String[] channel(String name, String target) {
        return new String[] { "spring.grpc.client.channel." + name + ".target=" + target };
    }

    @Override
    protected Channel createChannel(AssertableApplicationContext context, String name) {
        return context.getBean(GrpcChannelFactory.class).createChannel(name);
    }

    @Test
    void aHealthCheckOfTheChannelsOwnWins() {
        // the channel asks about the whole server (""), which stays SERVING
        first().serving(false);
        runner()
            .withPropertyValues("etcd.discovery.resolver.health-check.service-name=" + HealthReportingServer.SERVICE,
                    "spring.grpc.client.channel.greeter.health.enabled=true",
                    "spring.grpc.client.channel.greeter.health.service-name=")
            .run((context) -> awaitBothAnswer(createChannel(context, "greeter")));
    }

    @Test
    void theResolversPolicyWinsOverTheChannelsDefaultPolicy() {
        runner()
            .withPropertyValues("etcd.discovery.resolver.load-balancing-policy=pick_first",
                    "spring.grpc.client.channel.greeter.default.load-balancing-policy=round_robin")
            .run((context) -> {
                Channel channel = createChannel(context, "greeter");
                PortServer.call(channel);
                // round_robin, connected to one server, connects to the other at once: these calls would reach it
                for (int i = 0; i < 5; i++) {
                    assertThat(portsAnswering(channel)).hasSize(1);
                }
            });
        runner().run((context) -> awaitBothAnswer(createChannel(context, "greeter")));
    }
}
