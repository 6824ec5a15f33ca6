package dev.etcddiscovery.boot3;

import dev.etcddiscovery.spring.resolver.AbstractChannelRoutingTest;
import dev.etcddiscovery.test.EtcdCluster;
import io.grpc.Channel;
import net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

/** {@link AbstractChannelRoutingTest} on grpc-spring's client channels. */
class ChannelRoutingTest extends AbstractChannelRoutingTest {

    ChannelRoutingTest(EtcdCluster etcd) {
        super(etcd);
    }

    @Override
    protected Class<?>[] grpcClientAutoConfigurations() {
        return new Class<?>[] { GrpcClientAutoConfiguration.class };
    }

    @Override
    protected String[] channel(String name, String target) {
        return new String[] { "grpc.client." + name + ".address=" + target,
                "grpc.client." + name + ".negotiation-type=plaintext" };
    }

    @Override
    protected Channel createChannel(AssertableApplicationContext context, String name) {
        return context.getBean(GrpcChannelFactory.class).createChannel(name);
    }
}
