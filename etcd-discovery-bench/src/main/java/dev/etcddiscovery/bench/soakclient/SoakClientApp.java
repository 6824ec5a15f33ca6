package dev.etcddiscovery.bench.soakclient;

import java.util.ArrayList;
import java.util.List;

import javax.management.JMException;

import io.grpc.Channel;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;

/**
 * The client JVM of the soak benchmark: the starter on the class path, {@code soak.channels-per-service} grpc-spring
 * channels to each of {@code soak.services} (each {@code grpc.client.<service>-<i>.address=etcd:///<service>},
 * set by the bench), all calling all the time. Its heap and threads are read over JMX by the bench.
 */
@SpringBootApplication
public class SoakClientApp {

    public static void main(String[] args) {
        new SpringApplicationBuilder(SoakClientApp.class).web(WebApplicationType.NONE).run(args);
    }

    /** The grpc-spring channel name of channel {@code index} to {@code service}. */
    public static String channelName(String service, int index) {
        return service + "-" + index;
    }

    @Bean(destroyMethod = "close")
    SoakCalls soakCalls(GrpcChannelFactory channelFactory, @Value("${soak.services}") List<String> services,
            @Value("${soak.channels-per-service}") int channelsPerService) throws JMException {
        List<Channel> channels = new ArrayList<>();
        for (String service : services) {
            for (int i = 0; i < channelsPerService; i++) {
                channels.add(channelFactory.createChannel(channelName(service, i)));
            }
        }
        return SoakCalls.start(channels);
    }
}
