package dev.etcddiscovery.spring.cloud;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;

/**
 * The reactive face of {@link EtcdDiscoveryClient}. A first lookup of a service may wait for its first list and
 * listing the names reads etcd, so both run on the bounded-elastic scheduler.
 */
public class EtcdReactiveDiscoveryClient implements ReactiveDiscoveryClient {

    private final EtcdServiceInstances instances;

    private final EtcdServiceNames names;

    private int order = DiscoveryClient.DEFAULT_ORDER;

    public EtcdReactiveDiscoveryClient(EtcdServiceInstances instances, EtcdServiceNames names) {
        this.instances = instances;
        this.names = names;
    }

    @Override
    public String description() {
        return EtcdDiscoveryClient.DESCRIPTION;
    }

    @Override
    public Flux<ServiceInstance> getInstances(String serviceId) {
        return Flux.defer(() -> Flux.fromIterable(this.instances.instances(serviceId)))
            .subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Flux<String> getServices() {
        return Flux.defer(() -> Flux.fromIterable(this.names.names())).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public int getOrder() {
        return this.order;
    }

    public void setOrder(int order) {
        this.order = order;
    }
}
